// The weekly digest per manager: for the seven days before the scheduled time, the number of
// alerts raised for the manager's team (the users whose manager is this one), the team's
// compliance rate and the three rules that raised the most alerts.
//
// Compliance rate here is the share of the team's alerts raised in the week that were resolved
// (by a person or by the awaited event) before the digest was written.
// NOTE: it will move to the visit check form's answer rate once that form is stored.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "model/entities.h"
#include "notify/worker.h"
#include "rules/alert.h"
#include "store/notify_store.h"

namespace salesradar::notify {

// Returns the latest scheduled digest time at or before `now`. kInvalidArgument for an unknown
// time zone, a weekday outside 1..7 or an hour outside 0..23.
Result<Timestamp> LatestDigestTime(const DigestSchedule& schedule, Timestamp now);

// Returns "YYYY-MM-DD" of `slot` in the schedule's time zone, for the digest's message source.
std::string DigestWeekKey(const DigestSchedule& schedule, Timestamp slot);

struct TeamFigures {
  int64_t raised = 0;
  int64_t resolved = 0;
  std::vector<std::pair<std::string, int64_t>> top_rules;  // "pack/rule" and count, at most 3
};

// Computes the figures of the team whose members have the external ids `team`, from the alert
// changes of the week.
TeamFigures ComputeTeamFigures(std::span<const rules::AlertChange> changes, const std::vector<std::string>& team);

// Returns one message row per address of every manager with a team, sourced
// "digest:<user id>:<week key>".
std::vector<store::NotifyMessage> BuildWeeklyDigests(std::span<const model::User> users,
                                                    std::span<const store::NotifyAddress> addresses,
                                                    std::span<const rules::AlertChange> changes,
                                                    const std::string& week_key, Timestamp now,
                                                    const std::string& public_base_url);

}  // namespace salesradar::notify
