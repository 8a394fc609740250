// Request ids: taken from the client's X-Request-Id when it is safe to log and echo, otherwise
// generated, so that every log line of a request and its response carry the same id.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace salesradar::server {

// Returns a new random id of 16 lowercase hex digits. Thread-safe.
std::string NewRequestId();

// Returns true when `id` is 1 to 128 characters of letters, digits and "-_.:", which is safe
// to put into a log line and a response header unchanged.
bool IsAcceptableRequestId(std::string_view id);

// Returns `incoming` when it is acceptable, a new id otherwise.
std::string ChooseRequestId(std::optional<std::string_view> incoming);

}  // namespace salesradar::server
