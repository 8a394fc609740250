// Splitting and decoding of HTTP request targets (RFC 3986 percent-encoding).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace salesradar::server {

// The two halves of a request target "/a/b?x=1": path "/a/b" and query "x=1". Views into the
// target passed to SplitTarget().
struct TargetParts {
  std::string_view path;
  std::string_view query;
};

// Splits `target` at the first '?'. A fragment ('#') is not sent by clients and is not removed.
TargetParts SplitTarget(std::string_view target);

// Decodes %XX escapes in `text`; with `plus_as_space`, '+' becomes a space as in HTML form
// queries. Returns nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_as_space);

// Parses a query string "a=1&b=x%20y" into decoded name/value pairs in order. A parameter
// without '=' has an empty value; empty parameters ("a=1&&b=2") are skipped. Returns nullopt
// when any escape is malformed.
std::optional<std::vector<std::pair<std::string, std::string>>> ParseQuery(std::string_view query);

}  // namespace salesradar::server
