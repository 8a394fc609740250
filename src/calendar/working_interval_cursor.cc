#include "calendar/working_interval_cursor.h"

#include <algorithm>

#include <fmt/format.h>

namespace salesradar::calendar {

WorkingIntervalCursor::WorkingIntervalCursor(const BusinessCalendar& calendar, Timestamp from,
                                             std::optional<Timestamp> until)
    : calendar_(calendar), floor_(from) {
  // Start one day early: around a daylight-saving change at midnight, the previous day's last
  // interval can still be running at `from`.
  next_day_ = cctz::civil_day(calendar.ToLocal(from)) - 1;
  if (until.has_value()) {
    last_day_ = cctz::civil_day(calendar.ToLocal(*until));
  }
}

Status WorkingIntervalCursor::LoadNextDay() {
  if (++days_walked_ > kMaxDaysWalked) {
    return InvalidArgument(
        fmt::format("日历 '{}' 的计算已经走过 {} 天（约 100 年）仍未结束；请使用更短的时间窗口",
                    calendar_.id(), kMaxDaysWalked),
        fmt::format("the computation on calendar '{}' walked {} days (about 100 years) without "
                    "finishing; use a shorter window",
                    calendar_.id(), kMaxDaysWalked));
  }

  SR_ASSIGN_OR_RETURN(pending_, calendar_.WorkingIntervalsOn(next_day_));
  pending_index_ = 0;
  ++next_day_;
  return OkStatus();
}

Result<std::optional<TimeInterval>> WorkingIntervalCursor::Next() {
  while (true) {
    while (pending_index_ < pending_.size()) {
      TimeInterval interval = pending_[pending_index_++];
      interval.begin = std::max(interval.begin, floor_);
      if (interval.begin < interval.end) {
        floor_ = interval.end;
        return std::optional<TimeInterval>(interval);
      }
    }

    if (last_day_.has_value() && next_day_ > *last_day_) {
      return std::optional<TimeInterval>();
    }
    SR_RETURN_IF_ERROR(LoadNextDay());
  }
}

}  // namespace salesradar::calendar
