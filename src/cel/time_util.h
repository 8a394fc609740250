// Parsing, formatting and range checks of timestamps and durations.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cel/value.h"

namespace salesradar::cel {

inline constexpr int64_t kMinTimestampSeconds = -62135596800;  // 0001-01-01T00:00:00Z
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;  // 9999-12-31T23:59:59Z

// Returns true when `t` lies between 0001-01-01 and 9999-12-31T23:59:59.999999999Z.
bool IsValidTime(Time t);

// Parses an RFC 3339 timestamp such as "2009-02-13T23:31:30.5+08:00".
std::optional<Time> ParseTimestamp(std::string_view text);

// Formats `t` as RFC 3339 in UTC, with as many fraction digits as needed (0 to 9).
std::string FormatTimestamp(Time t);

// Parses a duration written as a sequence of decimal numbers with units, e.g. "1h30m",
// "-1.5s", "300ms"; units are h, m, s, ms, us, µs and ns. Returns nullopt when the text is
// malformed or the duration does not fit the int64 nanosecond range.
std::optional<Duration> ParseDuration(std::string_view text);

// Formats `d` in seconds with as many fraction digits as needed, e.g. "3600s" or "-1.5s".
std::string FormatDuration(Duration d);

// Adds `d` to `t`; nullopt when the result is outside the valid timestamp range.
std::optional<Time> AddDuration(Time t, Duration d);

// Returns a - b; nullopt when the difference does not fit a Duration.
std::optional<Duration> Difference(Time a, Time b);

}  // namespace salesradar::cel
