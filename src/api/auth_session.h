// Browser sessions: their lifetime, the cookies that carry them, and reading those cookies back.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "server/http_types.h"

namespace salesradar::api {

// A session ends after this long without a request, and after kSessionMaxLifetime in any case.
inline constexpr std::chrono::hours kSessionIdleLifetime{12};
inline constexpr std::chrono::hours kSessionMaxLifetime{24 * 7};

// last_seen_at is written at most this often per session, so reads stay reads.
inline constexpr std::chrono::minutes kTouchInterval{1};

// Returns the expiry of a session created at `created_at` and last used at `now`.
Timestamp SessionExpiry(Timestamp created_at, Timestamp now);

// Returns the value of cookie `name` from the request's Cookie headers, or nullopt.
std::optional<std::string> RequestCookie(const server::Request& request, std::string_view name);

// Adds the Set-Cookie headers of a new session: sr_session (HttpOnly) and sr_csrf (readable by
// scripts). Both are SameSite=Lax and Path=/, and Secure when `secure`.
void SetSessionCookies(server::Response& response, std::string_view session_id,
                       std::string_view csrf_token, bool secure);

// Adds the Set-Cookie headers that delete both cookies.
void ClearSessionCookies(server::Response& response, bool secure);

}  // namespace salesradar::api
