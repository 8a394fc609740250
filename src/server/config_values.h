// Parsers for the value types of configuration settings. Each returns kInvalidArgument with a
// message in both locales that quotes the value and shows a valid example. The config loader
// prefixes the key and the source.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"
#include "server/config.h"

namespace salesradar::server {

// Parses a decimal whole number in [min, max].
Result<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max);

// Parses a byte size in [min, max]: a whole number with an optional unit, B, KB, MB, GB (powers
// of 1000) or KiB, MiB, GiB (powers of 1024), case-insensitive, optionally after a space:
// "1048576", "512KiB", "8 MiB".
Result<uint64_t> ParseByteSize(std::string_view text, uint64_t min, uint64_t max);

// Parses a duration in [min, max]: one or more whole numbers each with a unit ms, s, m or h, as
// in "500ms", "30s", "1m30s". A number without a unit is rejected, because seconds and
// milliseconds are both common guesses.
Result<std::chrono::milliseconds> ParseDuration(std::string_view text, std::chrono::milliseconds min,
                                                std::chrono::milliseconds max);

// Parses "host:port" where host is an IPv4 address, "localhost" (taken as 127.0.0.1) or an IPv6
// address in brackets ("[::1]:8080"), and port is 0 to 65535.
Result<ListenAddress> ParseListenAddress(std::string_view text);

// Accepts true, false, 1, 0, yes, no, on or off (any case) and returns the value.
Result<bool> ParseBoolean(std::string_view text);

// Accepts one of trace, debug, info, warn, error, off (lower case) and returns it.
Result<std::string> ParseLogLevel(std::string_view text);

// Formats a byte size for messages: "8MiB", "16KiB", "1000B".
std::string FormatByteSize(uint64_t bytes);

// Formats a duration for messages: "15s", "250ms", "2m", "1h".
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace salesradar::server
