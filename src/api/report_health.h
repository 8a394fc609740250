// The behaviour-health report: how reps and teams handle their alerts.
//
// Definitions (docs/api.md repeats them for users of the API):
//   handled in time  an alert acknowledged by a person, or resolved in any way, before its first
//                    escalation (alerts that never escalate count when handled at all);
//   late             an alert that escalated before anyone acknowledged or resolved it;
//   pending          neither yet: still open and not escalated;
//   compliance rate  handled in time / (handled in time + late), null when both are 0, so alerts
//                    still pending count neither way;
//   open             not resolved now;
//   overdue          not resolved now and at level orange or red.
// Weeks are ISO weeks in Asia/Shanghai. Teams are the org units of the alerts' owners.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/locale.h"
#include "store/health_query.h"

namespace salesradar::api {

struct HealthReportInput {
  Timestamp from;
  Timestamp to;
  std::optional<int64_t> team_id;
  std::vector<store::HealthAlertRow> alerts;            // raised in [from, to)
  std::vector<store::HealthAlertRow> this_week_alerts;  // raised since this week's Monday
  std::string this_week;                                 // "2026-W49"
  Timestamp this_week_start;                             // its Monday 00:00 in Asia/Shanghai
  std::map<int64_t, std::string> unit_names;            // org unit id -> name
  // Returns a rule's name in both languages; empty texts when unknown.
  std::function<LocalizedText(const std::string& pack_id, const std::string& rule_id)> rule_name;
};

// Returns "YYYY-Www", the ISO 8601 week of `t` in Asia/Shanghai.
std::string ShanghaiIsoWeek(Timestamp t);

// Returns the start of the ISO week of `t` (Monday 00:00 in Asia/Shanghai).
Timestamp ShanghaiWeekStart(Timestamp t);

// Builds the report JSON: period, definitions, weeks [{week, by_level, by_rule}], teams,
// reps, top_rules_this_week. Every count is {count, filter}, where filter holds the query
// parameters of GET /api/v1/alerts that list the alerts behind it.
nlohmann::json BuildHealthReport(const HealthReportInput& input, Locale locale);

}  // namespace salesradar::api
