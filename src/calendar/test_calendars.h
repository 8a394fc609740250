// Helpers shared by the calendar tests: the shipped calendars and local-time shorthands.
#pragma once

#include <string>
#include <string_view>

#include "calendar/business_calendar.h"
#include "calendar/calendar_loader.h"

namespace salesradar::calendar::testing {

// Reads a file below the source tree, such as "examples/calendars/cn/2026.yaml".
std::string ReadSourceFile(const std::string& relative_path);

// Returns the calendar.yaml and year files of the shipped calendar `id` ("cn" or "nl").
CalendarFile ShippedCalendarFile(const std::string& id);
std::vector<CalendarFile> ShippedYearFiles(const std::string& id);

// Loads the shipped calendar `id`; aborts the test binary when it fails to load.
BusinessCalendar LoadShipped(const std::string& id);

// Creates a calendar from inline YAML; aborts when it fails to load.
BusinessCalendar LoadInline(const std::string& calendar_yaml);

// Parses local time "YYYY-MM-DD HH:MM" or "YYYY-MM-DD HH:MM:SS" in the calendar's zone.
// A time in a repeated hour takes its first occurrence.
Timestamp Local(const BusinessCalendar& calendar, std::string_view text);

}  // namespace salesradar::calendar::testing
