// Reading request bodies and query parameters, and writing list pages, the same way on every
// route. Errors name the field and the fix, in both languages, and become 400 responses.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/result.h"
#include "server/http_types.h"

namespace salesradar::api {

// Parses the request body as a JSON object. Returns kInvalidArgument when the Content-Type is
// not application/json, the body is empty or not valid JSON (with the byte offset), or the
// value is not an object.
Result<nlohmann::json> ParseJsonObject(const server::Request& request);

// Field readers for a parsed body. `required` fields missing give kInvalidArgument naming the
// field; a value of the wrong type names the field and the expected type.
Result<std::string> RequiredString(const nlohmann::json& body, std::string_view field);
Result<std::optional<std::string>> OptionalString(const nlohmann::json& body, std::string_view field);
Result<std::optional<int64_t>> OptionalInt(const nlohmann::json& body, std::string_view field);
Result<std::optional<bool>> OptionalBool(const nlohmann::json& body, std::string_view field);

// Parses an RFC 3339 time with an offset ("2026-03-01T09:00:00+08:00"), from a body field or a
// query parameter named `field`.
Result<Timestamp> ParseTimeParameter(std::string_view field, std::string_view text);
Result<std::optional<Timestamp>> OptionalTimeQuery(const server::Request& request, std::string_view name);

// Formats a time as RFC 3339 in UTC with a Z ("2026-03-01T01:00:00Z"). The UI converts it to the
// user's zone.
std::string FormatTime(Timestamp time);

// Cursor pagination. `limit` defaults to 50 and may be 1..500; `cursor` is the opaque text that
// the previous page returned as next_cursor.
struct PageRequest {
  int limit = 50;
  std::optional<std::string> cursor;
};
Result<PageRequest> ParsePageRequest(const server::Request& request);

// Opaque cursors: base64url of a small JSON value (the sort key and id of the last row).
std::string EncodeCursor(const nlohmann::json& position);
Result<nlohmann::json> DecodeCursor(std::string_view cursor);

// The body of every list route: {"items": [...], "next_cursor": "..." or null}.
server::Response ListPage(nlohmann::json items, std::optional<std::string> next_cursor);

// Returns the integer path parameter `name`, or kInvalidArgument naming it.
Result<int64_t> IntParam(const server::Request& request, std::string_view name);

// Returns the integer query parameter `name` when present, or kInvalidArgument naming it.
Result<std::optional<int64_t>> OptionalIntQuery(const server::Request& request, std::string_view name);

// Returns the query parameter's values split at commas ("status=open,acknowledged"), empty when
// the parameter is absent.
std::vector<std::string> ListQuery(const server::Request& request, std::string_view name);

}  // namespace salesradar::api
