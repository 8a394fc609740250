// The alert rows behind the behaviour-health report: alerts raised in a period, with the times
// of their first escalation, first acknowledgement and resolution taken from their history, and
// their owner joined to the users table. Store::ListHealthAlerts reads them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace salesradar::store {

struct HealthAlertFilter {
  Timestamp from;  // alerts with from <= raised_at < to
  Timestamp to;
  // Alerts whose owner belongs to one of these org units; empty means every owner. Alerts
  // without a known owner match only an empty list.
  std::vector<int64_t> owner_unit_ids;
};

struct HealthAlertRow {
  std::string id;
  std::string pack_id;
  std::string rule_id;
  std::string level;   // the current level, the highest reached: "yellow", "orange", "red"
  std::string status;  // rules::AlertStatusName
  bool resolved = false;
  Timestamp raised_at;
  std::optional<Timestamp> first_escalated_at;
  std::optional<Timestamp> first_acknowledged_at;  // by a person
  std::optional<Timestamp> resolved_at;
  std::string owner_external_id;         // as stored on the alert; empty when none
  std::optional<int64_t> owner_user_id;  // the users row of that external id
  std::string owner_name;
  std::optional<int64_t> owner_unit_id;
};

}  // namespace salesradar::store
