// Text forms of civil dates, times of day and weekdays, as calendar data files write them.
// Pure functions: no I/O, no time zone.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <cctz/civil_time.h>

namespace salesradar::calendar {

// Minutes since local midnight, 0 to 1440; 1440 is "24:00", the end of the day.
inline constexpr int kMinutesPerDay = 24 * 60;

// Parses an ISO 8601 calendar date "YYYY-MM-DD". Returns nullopt when the text is malformed or
// names a day that does not exist (2026-02-30).
std::optional<cctz::civil_day> ParseIsoDate(std::string_view text);

// Parses a 24-hour time of day "HH:MM" into minutes since midnight. "24:00" is accepted and
// returns 1440. Returns nullopt for anything else ("9:00", "25:00", "12:60", "noon").
std::optional<int> ParseTimeOfDay(std::string_view text);

// Returns "YYYY-MM-DD".
std::string FormatIsoDate(cctz::civil_day day);

// Returns "HH:MM" for minutes since midnight; 1440 gives "24:00".
std::string FormatTimeOfDay(int minutes);

// Parses an English weekday name in lower case ("monday" ... "sunday").
std::optional<cctz::weekday> ParseWeekday(std::string_view text);

// Returns the lower-case English name ("saturday") and the Chinese name ("星期六").
std::string_view WeekdayName(cctz::weekday day);
std::string_view WeekdayNameZh(cctz::weekday day);

}  // namespace salesradar::calendar
