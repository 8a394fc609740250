// The data that defines a business calendar, as parsed from its files or built in code.
// BusinessCalendar::Create validates it; these structs only carry it.
#pragma once

#include <array>
#include <string>
#include <vector>

#include <cctz/civil_time.h>

namespace salesradar::calendar {

// Where a value came from, so that errors can name the file and line. `line` is 1-based and 0
// when unknown (a spec built in code).
struct SourceLocation {
  std::string file;
  int line = 0;
};

struct LocalizedName {
  std::string zh;
  std::string en;
};

// One interval of working hours in local wall-clock time, [begin, end) in minutes since
// midnight. `end_minute` may be 1440 ("24:00").
struct WorkingInterval {
  int begin_minute = 0;
  int end_minute = 0;
  SourceLocation where;
};

// A public holiday: the days from `first` to `last`, both included, are not working days.
struct Holiday {
  LocalizedName name;
  cctz::civil_day first;
  cctz::civil_day last;
  SourceLocation where;
};

// A make-up working day (调休上班): a weekly rest day that is a working day with the normal hours.
struct MakeUpWorkday {
  LocalizedName name;
  cctz::civil_day date;
  SourceLocation where;
};

// The holidays and make-up working days of one calendar year. Every date lies in `year`.
struct YearData {
  int year = 0;
  std::string source;  // the published notice the dates come from
  std::vector<Holiday> holidays;
  std::vector<MakeUpWorkday> make_up_workdays;
  SourceLocation where;
};

// What a calendar does on a day in a year that has no YearData.
enum class MissingYearPolicy {
  kWeeklyPattern,  // use the working hours and rest days only, as if the year had no holidays
  kError,          // fail with kFailedPrecondition, naming the missing year
};

struct CalendarSpec {
  std::string id;  // registry key: lower-case letters, digits, '-' and '_'
  LocalizedName name;
  std::string zone = "Asia/Shanghai";  // IANA time zone name
  SourceLocation zone_where;
  // NOTE: the same hours apply on every working day; shorter days (a half day before a holiday)
  // and intervals across midnight cannot be expressed yet.
  std::vector<WorkingInterval> working_hours;  // sorted, disjoint
  std::array<bool, 7> rest_days = {false, false, false, false, false, true, true};  // Monday first
  MissingYearPolicy missing_years = MissingYearPolicy::kWeeklyPattern;
  std::vector<YearData> years;
  SourceLocation where;
};

}  // namespace salesradar::calendar
