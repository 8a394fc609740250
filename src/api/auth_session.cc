#include "api/auth_session.h"

#include <algorithm>

#include <fmt/format.h>

#include "api/principal.h"

namespace salesradar::api {
namespace {

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

std::string CookieAttributes(bool http_only, bool secure) {
  std::string attributes = "; Path=/; SameSite=Lax";
  if (http_only) {
    attributes += "; HttpOnly";
  }
  if (secure) {
    attributes += "; Secure";
  }
  return attributes;
}

}  // namespace

Timestamp SessionExpiry(Timestamp created_at, Timestamp now) {
  Timestamp idle_end = now + std::chrono::duration_cast<Microseconds>(kSessionIdleLifetime);
  Timestamp hard_end = created_at + std::chrono::duration_cast<Microseconds>(kSessionMaxLifetime);
  return std::min(idle_end, hard_end);
}

std::optional<std::string> RequestCookie(const server::Request& request, std::string_view name) {
  for (const auto& [field, value] : request.headers.fields()) {
    if (field.size() != 6 || !std::equal(field.begin(), field.end(), "cookie",
                                         [](char a, char b) { return (a | 0x20) == b; })) {
      continue;
    }
    std::string_view rest = value;
    while (!rest.empty()) {
      size_t end = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, end));
      size_t equals = pair.find('=');
      if (equals != std::string_view::npos && Trim(pair.substr(0, equals)) == name) {
        std::string_view cookie = Trim(pair.substr(equals + 1));
        if (cookie.size() >= 2 && cookie.front() == '"' && cookie.back() == '"') {
          cookie = cookie.substr(1, cookie.size() - 2);
        }
        return std::string(cookie);
      }
      if (end == std::string_view::npos) {
        break;
      }
      rest.remove_prefix(end + 1);
    }
  }
  return std::nullopt;
}

void SetSessionCookies(server::Response& response, std::string_view session_id,
                       std::string_view csrf_token, bool secure) {
  response.headers.Add("Set-Cookie", fmt::format("{}={}{}", kSessionCookie, session_id,
                                                 CookieAttributes(true, secure)));
  response.headers.Add("Set-Cookie", fmt::format("{}={}{}", kCsrfCookie, csrf_token,
                                                 CookieAttributes(false, secure)));
}

void ClearSessionCookies(server::Response& response, bool secure) {
  response.headers.Add("Set-Cookie", fmt::format("{}={}; Max-Age=0", kSessionCookie,
                                                 CookieAttributes(true, secure)));
  response.headers.Add("Set-Cookie", fmt::format("{}={}; Max-Age=0", kCsrfCookie,
                                                 CookieAttributes(false, secure)));
}

}  // namespace salesradar::api
