// Walks a calendar's working intervals forward in time, one local day at a time.
#pragma once

#include <optional>
#include <vector>

#include <cctz/civil_time.h>

#include "calendar/business_calendar.h"

namespace salesradar::calendar {

// Not thread-safe; each computation makes its own cursor. The calendar must outlive it.
class WorkingIntervalCursor {
 public:
  // Starts at `from`. When `until` is set, Next returns nullopt instead of loading a day after the
  // local day of `until`, so a bounded computation never loads a year it does not need.
  WorkingIntervalCursor(const BusinessCalendar& calendar, Timestamp from,
                        std::optional<Timestamp> until = std::nullopt);

  // Returns the next working interval, cut so that it begins at or after `from` and after the
  // interval returned before it. Fails when a day's classification fails, or with
  // kInvalidArgument after walking kMaxDaysWalked days.
  Result<std::optional<TimeInterval>> Next();

 private:
  // Loads the working intervals of `next_day_` and moves to the day after it.
  Status LoadNextDay();

  const BusinessCalendar& calendar_;
  Timestamp floor_;  // nothing before this instant is returned
  cctz::civil_day next_day_;
  std::optional<cctz::civil_day> last_day_;
  std::vector<TimeInterval> pending_;
  size_t pending_index_ = 0;
  int days_walked_ = 0;
};

}  // namespace salesradar::calendar
