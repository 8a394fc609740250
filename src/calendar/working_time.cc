// The working-time arithmetic of BusinessCalendar: membership, distance and addition.
#include <algorithm>

#include <fmt/format.h>

#include "calendar/business_calendar.h"
#include "calendar/working_interval_cursor.h"

namespace salesradar::calendar {
namespace {

Error NegativeAmount(std::string_view what_zh, std::string_view what_en, long long value) {
  return InvalidArgument(fmt::format("{}不能为负数（值 {}）；请传入 0 或正数", what_zh, value),
                         fmt::format("{} must not be negative (value {}); pass 0 or more", what_en, value));
}

}  // namespace

Result<bool> BusinessCalendar::IsWorkingTime(Timestamp t) const {
  WorkingIntervalCursor cursor(*this, t, t);
  SR_ASSIGN_OR_RETURN(std::optional<TimeInterval> interval, cursor.Next());
  return interval.has_value() && interval->begin == t;
}

Result<Timestamp> BusinessCalendar::NextWorkingInstant(Timestamp t) const {
  WorkingIntervalCursor cursor(*this, t);
  SR_ASSIGN_OR_RETURN(std::optional<TimeInterval> interval, cursor.Next());
  return interval->begin;  // an unbounded cursor returns an interval or fails
}

Result<Microseconds> BusinessCalendar::WorkingTimeBetween(Timestamp a, Timestamp b) const {
  if (b < a) {
    SR_ASSIGN_OR_RETURN(Microseconds reversed, WorkingTimeBetween(b, a));
    return -reversed;
  }

  WorkingIntervalCursor cursor(*this, a, b);
  Microseconds total(0);
  while (true) {
    SR_ASSIGN_OR_RETURN(std::optional<TimeInterval> interval, cursor.Next());
    if (!interval.has_value() || interval->begin >= b) {
      return total;
    }
    total += std::min(interval->end, b) - interval->begin;
  }
}

Result<Timestamp> BusinessCalendar::AddWorkingTime(Timestamp start, Microseconds amount) const {
  if (amount < Microseconds(0)) {
    return NegativeAmount("工作时长", "working time", static_cast<long long>(amount.count()));
  }
  if (amount == Microseconds(0)) {
    return start;
  }

  WorkingIntervalCursor cursor(*this, start);
  Microseconds remaining = amount;
  while (true) {
    SR_ASSIGN_OR_RETURN(std::optional<TimeInterval> interval, cursor.Next());
    Microseconds length = interval->end - interval->begin;
    if (remaining <= length) {
      return interval->begin + remaining;
    }
    remaining -= length;
  }
}

Result<cctz::civil_day> BusinessCalendar::NextWorkday(cctz::civil_day day) const {
  for (int step = 1; step <= kMaxDaysWalked; ++step) {
    SR_ASSIGN_OR_RETURN(std::vector<TimeInterval> intervals, WorkingIntervalsOn(day + step));
    if (!intervals.empty()) {
      return day + step;
    }
  }
  return InvalidArgument(
      fmt::format("日历 '{}' 在 {} 天内没有工作日；请检查假日数据", spec_.id, kMaxDaysWalked),
      fmt::format("calendar '{}' has no working day within {} days; check its holiday data",
                  spec_.id, kMaxDaysWalked));
}

Result<Timestamp> BusinessCalendar::PointInWorkday(cctz::civil_day day, Microseconds elapsed) const {
  SR_ASSIGN_OR_RETURN(std::vector<TimeInterval> intervals, WorkingIntervalsOn(day));
  Microseconds remaining = elapsed;
  for (const TimeInterval& interval : intervals) {
    Microseconds length = interval.end - interval.begin;
    if (remaining <= length) {
      return interval.begin + remaining;
    }
    remaining -= length;
  }
  return intervals.back().end;
}

Result<Timestamp> BusinessCalendar::AddWorkdays(Timestamp start, int64_t days) const {
  if (days < 0) {
    return NegativeAmount("工作日数", "the number of workdays", static_cast<long long>(days));
  }
  if (days > kMaxDaysWalked) {
    return InvalidArgument(
        fmt::format("工作日数 {} 超过上限 {}；请使用更短的时间窗口", days, kMaxDaysWalked),
        fmt::format("the number of workdays {} exceeds the maximum {}; use a shorter window", days,
                    kMaxDaysWalked));
  }
  if (days == 0) {
    return start;
  }

  // Find the working day that `start` counts in and the working time already passed in it.
  cctz::civil_day first_day(ToLocal(start));
  SR_ASSIGN_OR_RETURN(std::vector<TimeInterval> intervals, WorkingIntervalsOn(first_day));
  Microseconds elapsed(0);
  if (!intervals.empty() && start < intervals.back().end) {
    for (const TimeInterval& interval : intervals) {
      elapsed += std::clamp(start, interval.begin, interval.end) - interval.begin;
    }
  } else {
    SR_ASSIGN_OR_RETURN(first_day, NextWorkday(first_day));
  }

  // A whole first day counts as one: the deadline is the end of work `days - 1` days later.
  int64_t steps = elapsed == Microseconds(0) ? days - 1 : days;
  cctz::civil_day target = first_day;
  for (int64_t i = 0; i < steps; ++i) {
    SR_ASSIGN_OR_RETURN(target, NextWorkday(target));
  }

  if (elapsed == Microseconds(0)) {
    SR_ASSIGN_OR_RETURN(std::vector<TimeInterval> last, WorkingIntervalsOn(target));
    return last.back().end;
  }
  return PointInWorkday(target, elapsed);
}

}  // namespace salesradar::calendar
