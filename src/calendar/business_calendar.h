// A business calendar: a time zone, working hours, weekly rest days, public holidays and make-up
// working days (调休), and the working-time arithmetic that absence windows need.
//
// All instants are UTC Timestamps; the calendar converts them to local civil time in its zone.
// The class reads no clock and no files, except that cctz reads the zone's rules from the
// system's zoneinfo database (tzdata) once, in Create.
//
// Thread-safety: a BusinessCalendar is immutable after Create, so any number of threads may call
// its const methods at once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include "calendar/calendar_spec.h"
#include "common/clock.h"
#include "common/result.h"

namespace salesradar::calendar {

// A span of real (elapsed) time, [begin, end).
struct TimeInterval {
  Timestamp begin;
  Timestamp end;

  friend bool operator==(const TimeInterval&, const TimeInterval&) = default;
};

enum class DayKind {
  kWorkday,        // a regular working day
  kMakeUpWorkday,  // a weekly rest day that is a working day by notice (调休上班)
  kRestDay,        // a weekly rest day
  kHoliday,        // a public holiday, whatever weekday it falls on
};

struct DayInfo {
  DayKind kind = DayKind::kWorkday;
  std::optional<LocalizedName> name;  // set for holidays and make-up working days
  bool from_weekly_pattern = false;   // true when the year has no data and the policy allowed it
};

// The maximum number of days one computation walks, about 100 years. A longer walk fails with
// kInvalidArgument.
inline constexpr int kMaxDaysWalked = 36'600;

class BusinessCalendar {
 public:
  // Validates `spec` and loads its time zone. Each problem is a kInvalidArgument error naming the
  // file, line and value. Problems: an unknown zone, no working hours, unsorted or overlapping
  // hours, every weekday a rest day, a date outside its year's file, two files for one year,
  // overlapping holidays, and a make-up working day that is not a weekly rest day, is also a
  // holiday or is listed twice.
  static Result<BusinessCalendar> Create(CalendarSpec spec);

  const std::string& id() const { return spec_.id; }
  const LocalizedName& name() const { return spec_.name; }
  const cctz::time_zone& zone() const { return zone_; }
  const CalendarSpec& spec() const { return spec_; }

  // True when a year file was loaded for `year`.
  bool HasYearData(int year) const { return years_with_data_.count(year) > 0; }

  // Returns the years between the local dates of `a` and `b` (both included) that have no data.
  std::vector<int> YearsWithoutData(Timestamp a, Timestamp b) const;

  // Classifies a local date. Fails with kFailedPrecondition when the year has no data and the
  // policy is MissingYearPolicy::kError. The same failure applies to every method below that
  // has to look at such a day.
  Result<DayInfo> DescribeDay(cctz::civil_day day) const;
  Result<bool> IsWorkday(cctz::civil_day day) const;

  // Returns the working intervals of a local date as instants, in order; empty on a day off.
  // A boundary that falls into a daylight-saving gap maps to the transition instant. One that
  // falls into a repeated hour maps to its first occurrence for a begin and its second for an end.
  Result<std::vector<TimeInterval>> WorkingIntervalsOn(cctz::civil_day day) const;

  // True when `t` lies inside working hours on a working day.
  Result<bool> IsWorkingTime(Timestamp t) const;

  // Returns `t` if it is working time, otherwise the start of the next working interval.
  Result<Timestamp> NextWorkingInstant(Timestamp t) const;

  // Returns the real working time in [a, b). When b < a, returns minus the time in [b, a).
  Result<Microseconds> WorkingTimeBetween(Timestamp a, Timestamp b) const;

  // Returns the earliest instant at which `amount` of working time has passed since `start`;
  // `start` itself when `amount` is zero. Fails with kInvalidArgument when `amount` is negative.
  Result<Timestamp> AddWorkingTime(Timestamp start, Microseconds amount) const;

  // Returns the deadline `days` working days after `start`, or `start` itself when `days` is zero.
  // The deadline is the point reached on the start's working day, `days` working days later:
  // Friday 17:00 + 2 workdays is Tuesday 17:00 when Monday and Tuesday are working days.
  // Before working hours the whole day counts, so Monday 08:00 + 1 workday is Monday 18:00.
  // After working hours or on a day off, counting starts with the next working day, so
  // Saturday + 1 workday is the end of Monday. The point reached is measured in working time since
  // the day's start of work, so a lunch break or a 23-hour day maps to the earliest equal point
  // on the target day. Fails with kInvalidArgument when `days` is negative or above kMaxDaysWalked.
  Result<Timestamp> AddWorkdays(Timestamp start, int64_t days) const;

  // Converts between instants and local civil time in this calendar's zone. A local time in a
  // daylight-saving gap maps to the transition instant, a repeated one to its first occurrence.
  cctz::civil_second ToLocal(Timestamp t) const;
  Timestamp FromLocal(cctz::civil_second local) const;

  // Formats `t` in the calendar's zone as "2026-02-24 17:00:00 +08:00", with fractional seconds
  // when there are any.
  std::string FormatLocal(Timestamp t) const;

 private:
  BusinessCalendar(CalendarSpec spec, cctz::time_zone zone);

  // Returns the working day after `day`, skipping days off.
  Result<cctz::civil_day> NextWorkday(cctz::civil_day day) const;

  // Returns the instant `elapsed` of working time after the start of work on `day`, capped at
  // the day's end of work. REQUIRES: `day` is a working day.
  Result<Timestamp> PointInWorkday(cctz::civil_day day, Microseconds elapsed) const;

  CalendarSpec spec_;
  cctz::time_zone zone_;
  std::set<int> years_with_data_;
  std::map<cctz::civil_day, DayInfo> exceptions_;  // holidays and make-up working days
};

}  // namespace salesradar::calendar
