// Parsing and checking of the pipeline report's command-line values, with errors in Chinese and
// English that name the value and the expected form.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "model/value.h"

namespace salesradar::report {

// The time zone that decides which day "today" is and when the as-of day ends.
// NOTE: fixed for now; a per-company setting will replace it.
inline constexpr std::string_view kReportTimeZone = "Asia/Shanghai";

// Parses the --as-of value "YYYY-MM-DD". Returns kInvalidArgument naming the text and the
// expected format otherwise, including days that do not exist (2017-02-30).
Result<model::CivilDate> ParseAsOfDate(std::string_view text);

// Parses the --stale-days value: a whole number of days from 0 to 36500.
// Returns kInvalidArgument naming the text otherwise.
Result<int64_t> ParseStaleDays(std::string_view text);

// Parses the --max-discount value, a percentage from 0 to 100 with at most two decimals and an
// optional trailing '%' ("15", "12.5", "7.25%"), into basis points (1/100 of a percent).
// Returns kInvalidArgument naming the text otherwise.
Result<int64_t> ParseMaxDiscount(std::string_view text);

// Parses the --top value: how many deals each list of the table output shows, 0 to 100000.
// Returns kInvalidArgument naming the text otherwise.
Result<int64_t> ParseListedDeals(std::string_view text);

// Returns the civil date of `now` in `time_zone` (an IANA name). Falls back to UTC+8 when the
// zone is not in the system's time zone database.
model::CivilDate DateIn(Timestamp now, std::string_view time_zone);

// Returns the first instant after `date` in `time_zone`, that is midnight at the start of the
// next day. Falls back to UTC+8 like DateIn.
Timestamp EndOfDay(model::CivilDate date, std::string_view time_zone);

}  // namespace salesradar::report
