// Runs one request through the router and its handler, turning every outcome (no route, wrong
// method, an Error result, an exception) into a response. Free of Boost.Beast, so that it can be
// tested without a socket.
#pragma once

#include <string>

#include "server/http_types.h"
#include "server/router.h"

namespace salesradar::server {

struct DispatchResult {
  Response response;
  std::string route_label;  // the route pattern for metrics, or "unmatched"
};

// Routes `request` and runs the handler. Fills in request.route and request.params. An Error
// result or exception with status 500 or more is logged once, with the request id; the response
// then carries only a generic message. Thread-safe as long as the handlers are.
DispatchResult Dispatch(const Router& router, Request& request);

// The route label of requests that matched no route.
inline constexpr const char* kUnmatchedRouteLabel = "unmatched";

}  // namespace salesradar::server
