// The audit actor of a request: "token:<id>" for a request made with an API token, else
// "user:<id>", with the request id.
#pragma once

#include "api/principal.h"
#include "server/http_types.h"
#include "store/audit.h"

namespace salesradar::api {

inline store::AuditContext AuditFor(const Principal& principal, const server::Request& request) {
  if (principal.api_token_id) {
    return store::AuditContext::Token(*principal.api_token_id, request.request_id);
  }
  return store::AuditContext::User(principal.user_id, request.request_id);
}

}  // namespace salesradar::api
