// Building business calendars from the texts of their YAML files. The caller reads the files;
// nothing here touches the file system except cctz loading the named time zone.
//
// A calendar is one `calendar.yaml` (id, names, zone, working hours, rest days, what to do in a
// year without data) plus one file per year (holidays and make-up working days). The format is
// documented in docs/calendars.md.
//
// Every failure is a kInvalidArgument error. Its Chinese and English messages start with the
// file name and line and name the fix.
#pragma once

#include <string>
#include <vector>

#include "calendar/business_calendar.h"
#include "calendar/calendar_spec.h"
#include "common/result.h"

namespace salesradar::calendar {

// The contents of one data file. `name` is what errors call the file, such as "cn/2026.yaml".
struct CalendarFile {
  std::string name;
  std::string text;
};

// Parses a calendar.yaml into a spec without years. The zone is checked in BusinessCalendar::Create.
Result<CalendarSpec> ParseCalendarFile(const CalendarFile& file);

// Parses one year file. Fails when the file name's stem is a year ("2026.yaml") that differs from
// its `year` field.
Result<YearData> ParseYearFile(const CalendarFile& file);

// Parses the calendar file and every year file and creates the calendar.
Result<BusinessCalendar> LoadCalendar(const CalendarFile& calendar_file,
                                      const std::vector<CalendarFile>& year_files);

}  // namespace salesradar::calendar
