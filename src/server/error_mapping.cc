#include "server/error_mapping.h"

#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace salesradar::server {

// A new ErrorCode fails the build here, also when warnings are not errors elsewhere.
#pragma GCC diagnostic push
#pragma GCC diagnostic error "-Wswitch"
int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kAlreadyExists: return 409;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kFailedPrecondition: return 409;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kResourceExhausted: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kDataLoss: return 500;
    case ErrorCode::kInternal: return 500;
  }
  // Unreachable for valid enum values; a value cast from an out-of-range integer lands here.
  return 500;
}
#pragma GCC diagnostic pop

ApiError ApiErrorFrom(const Error& error) {
  bool hides_message = error.code() == ErrorCode::kInternal || error.code() == ErrorCode::kDataLoss;
  if (hides_message) {
    return InternalServerError();
  }

  ApiError api_error;
  api_error.status = HttpStatusFor(error.code());
  api_error.code = std::string(ErrorCodeName(error.code()));
  api_error.message = {error.message_zh(), error.message_en()};
  api_error.details = error.details();
  return api_error;
}

ApiError RouteNotFoundError(std::string_view path) {
  return {404,
          "not_found",
          {fmt::format("找不到路径 '{}'；请检查地址，API 路径以 /api/v1/ 开头", path),
           fmt::format("no route for path '{}'; check the URL, API paths start with /api/v1/", path)},
          {{"path", std::string(path)}}};
}

ApiError MethodNotAllowedError(Method method, std::string_view path) {
  return {405,
          "method_not_allowed",
          {fmt::format("路径 '{}' 不支持 {} 方法；可用的方法见响应头 Allow", path, MethodName(method)),
           fmt::format("method {} is not allowed for path '{}'; the Allow header lists the "
                       "methods it supports",
                       MethodName(method), path)},
          {{"method", std::string(MethodName(method))}, {"path", std::string(path)}}};
}

ApiError MethodNotImplementedError(std::string_view method) {
  return {501,
          "not_implemented",
          {fmt::format("服务器不支持 HTTP 方法 '{}'；请使用 GET、HEAD、POST、PUT、PATCH、DELETE 或 OPTIONS",
                       method),
           fmt::format("HTTP method '{}' is not supported; use GET, HEAD, POST, PUT, PATCH, DELETE "
                       "or OPTIONS",
                       method)},
          {{"method", std::string(method)}}};
}

ApiError BadRequestError(std::string_view reason_zh, std::string_view reason_en) {
  return {400,
          "bad_request",
          {fmt::format("请求格式无效：{}", reason_zh), fmt::format("malformed request: {}", reason_en)},
          {}};
}

ApiError PayloadTooLargeError(uint64_t limit_bytes) {
  return {413,
          "payload_too_large",
          {fmt::format("请求体超过上限 {} 字节；请拆分成更小的请求，或由管理员调大 server.max_body_size",
                       limit_bytes),
           fmt::format("request body exceeds the limit of {} bytes; send it in smaller parts or ask "
                       "the administrator to raise server.max_body_size",
                       limit_bytes)},
          {{"limit_bytes", std::to_string(limit_bytes)}}};
}

ApiError HeaderTooLargeError(uint64_t limit_bytes) {
  return {431,
          "header_too_large",
          {fmt::format("请求头超过上限 {} 字节；请减少 Cookie 或其他请求头，或由管理员调大 server.max_header_size",
                       limit_bytes),
           fmt::format("request header exceeds the limit of {} bytes; send fewer or shorter header "
                       "fields or ask the administrator to raise server.max_header_size",
                       limit_bytes)},
          {{"limit_bytes", std::to_string(limit_bytes)}}};
}

ApiError InternalServerError() {
  return {500,
          "internal",
          {"服务器内部错误；请稍后重试，如果问题持续，请把响应中的 request_id 提供给管理员",
           "internal server error; try again later, and if it persists give the administrator "
           "the request_id from this response"},
          {}};
}

ApiError ShuttingDownError() {
  return {503,
          "unavailable",
          {"服务器正在停止；请稍后重试", "the server is shutting down; try again later"},
          {}};
}

Response ErrorResponse(const ApiError& error, Locale locale, std::string_view request_id) {
  nlohmann::json details = nlohmann::json::array();
  for (const ErrorDetail& detail : error.details) {
    details.push_back({{"key", detail.key}, {"value", detail.value}});
  }

  nlohmann::json body = {
      {"code", error.code},
      {"message", error.message.in(locale)},
      {"details", std::move(details)},
      {"request_id", request_id},
  };
  return Response::Json(error.status, body);
}

}  // namespace salesradar::server
