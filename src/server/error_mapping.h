// API errors: the mapping from ErrorCode to HTTP status and the JSON error body
// {"code", "message", "details", "request_id"}, with the message in the request's locale.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "common/locale.h"
#include "server/http_types.h"

namespace salesradar::server {

// Returns the HTTP status for `code`. The switch has no default and is compiled with
// -Werror=switch, so a new ErrorCode fails the build until it is mapped here.
int HttpStatusFor(ErrorCode code);

// An error as the API reports it.
struct ApiError {
  int status = 500;
  std::string code;  // stable snake_case name, an ErrorCode name or one of the transport codes
  LocalizedText message;
  std::vector<ErrorDetail> details;
};

// Converts a handler's Error. Internal and data-loss errors get a generic message and no details,
// because their text may name tables, files or queries; the caller logs the original.
ApiError ApiErrorFrom(const Error& error);

// Errors raised by the server itself before or around a handler, with their transport codes.
ApiError RouteNotFoundError(std::string_view path);                       // 404 not_found
ApiError MethodNotAllowedError(Method method, std::string_view path);     // 405 method_not_allowed
ApiError MethodNotImplementedError(std::string_view method);              // 501 not_implemented
ApiError BadRequestError(std::string_view reason_zh, std::string_view reason_en);  // 400 bad_request
ApiError PayloadTooLargeError(uint64_t limit_bytes);                      // 413 payload_too_large
ApiError HeaderTooLargeError(uint64_t limit_bytes);                       // 431 header_too_large
ApiError InternalServerError();                                           // 500 internal
ApiError ShuttingDownError();                                             // 503 unavailable

// Builds the JSON error response for `error` in `locale`.
Response ErrorResponse(const ApiError& error, Locale locale, std::string_view request_id);

}  // namespace salesradar::server
