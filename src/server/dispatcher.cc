#include "server/dispatcher.h"

#include <exception>
#include <string>

#include "common/logging.h"
#include "server/error_mapping.h"

namespace salesradar::server {
namespace {

std::string AllowHeader(const std::vector<Method>& methods) {
  std::string allow;
  for (Method method : methods) {
    allow += allow.empty() ? "" : ", ";
    allow += MethodName(method);
  }
  return allow;
}

// Logs an exception that escaped a handler, once, and returns the generic 500.
Response FromException(const std::string& description, const Request& request) {
  Logger("server")->error("request {}: handler for {} {} threw: {}", request.request_id,
                          MethodName(request.method), request.route, description);
  return ErrorResponse(InternalServerError(), request.locale, request.request_id);
}

Response FromError(const Error& error, const Request& request) {
  ApiError api_error = ApiErrorFrom(error);
  if (api_error.status >= 500) {
    Logger("server")->error("request {}: {} {} failed: {}", request.request_id,
                            MethodName(request.method), request.route, error.ToLogString());
  } else {
    Logger("server")->debug("request {}: {} {} rejected: {}", request.request_id,
                            MethodName(request.method), request.route, error.ToLogString());
  }
  return ErrorResponse(api_error, request.locale, request.request_id);
}

}  // namespace

DispatchResult Dispatch(const Router& router, Request& request) {
  RouteMatch match = router.Match(request.method, request.path);

  switch (match.outcome) {
    case RouteMatch::Outcome::kMatched:
      break;
    case RouteMatch::Outcome::kNotFound:
      return {ErrorResponse(RouteNotFoundError(request.path), request.locale, request.request_id),
              kUnmatchedRouteLabel};
    case RouteMatch::Outcome::kBadPath:
      return {ErrorResponse(BadRequestError("路径中的百分号编码无效", "invalid percent-encoding in the path"),
                            request.locale, request.request_id),
              kUnmatchedRouteLabel};
    case RouteMatch::Outcome::kMethodNotAllowed: {
      Response response = ErrorResponse(MethodNotAllowedError(request.method, request.path),
                                        request.locale, request.request_id);
      response.headers.Set("Allow", AllowHeader(match.allowed_methods));
      return {std::move(response), kUnmatchedRouteLabel};
    }
  }

  request.route = match.pattern;
  request.params = std::move(match.params);

  try {
    Result<Response> result = (*match.handler)(request);
    if (!result.ok()) {
      return {FromError(result.error(), request), request.route};
    }
    return {std::move(result).value(), request.route};
  } catch (const std::exception& e) {
    return {FromException(e.what(), request), request.route};
  } catch (...) {
    return {FromException("an exception that is not a std::exception", request), request.route};
  }
}

}  // namespace salesradar::server
