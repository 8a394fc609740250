// Who makes a request: sign-in by session cookie or API token, and the checks that routes run
// before they read or write.
//
// A browser signs in with POST /api/v1/auth/sign-in and gets two cookies: `sr_session`
// (HttpOnly, SameSite=Lax, the session id) and `sr_csrf` (readable by scripts). Every write made
// with the session cookie must repeat the CSRF token in the X-CSRF-Token header. An integration
// sends `Authorization: Bearer srt_...` instead and needs no CSRF token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/role.h"
#include "auth/visibility.h"
#include "common/result.h"
#include "server/http_types.h"

namespace salesradar::api {

struct ApiContext;

inline constexpr std::string_view kSessionCookie = "sr_session";
inline constexpr std::string_view kCsrfCookie = "sr_csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

// The signed-in user behind a request.
struct Principal {
  int64_t user_id = 0;
  std::string login;
  std::string display_name;
  auth::Role role = auth::Role::kRep;
  auth::Viewer viewer;  // pass &viewer to the store's viewer-aware reads
  enum class Via { kSession, kApiToken } via = Via::kSession;
  std::string session_id_hash;  // for kSession
  std::string csrf_secret;      // for kSession
  std::optional<int64_t> api_token_id;  // for kApiToken

  // The actor written to audit rows and alert history: the user id as text.
  std::string Actor() const { return std::to_string(user_id); }
};

// Returns the principal of `request`. Returns kUnauthenticated ("请先登录" / "sign in first") when
// the request carries no valid session cookie or token, or the user is disabled. Touches the
// session's last_seen_at and the token's last_used_at (at most once a minute).
Result<Principal> Authenticate(const server::Request& request, ApiContext& context);

// Authenticate() for a route that changes data: a request signed in by cookie must also carry
// the session's CSRF token in X-CSRF-Token, else kPermissionDenied naming the header.
Result<Principal> AuthenticateWrite(const server::Request& request, ApiContext& context);

// Returns kPermissionDenied naming the role needed unless `principal` has `role` or a role above
// it (rep < manager < director; cs beside manager; admin above all).
Status RequireRole(const Principal& principal, auth::Role role);

}  // namespace salesradar::api
