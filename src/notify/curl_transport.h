// HTTP posts and SMTP mail through libcurl. Blocking; the worker calls it from its own thread.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace salesradar::notify {

struct HttpReply {
  long status = 0;
  std::string body;
};

// Posts `body` as application/json. Returns kUnavailable naming the URL's host part (never its
// query, which may carry a key) for a connection failure or a timeout.
Result<HttpReply> PostJson(const std::string& url, const std::string& body,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::chrono::milliseconds timeout);

struct MailRequest {
  std::string host;
  long port = 587;
  bool starttls = true;  // require STARTTLS; the send fails when the server does not offer it
  std::string username;  // empty: no AUTH
  std::string password;
  std::string from;
  std::string to;
  std::string message_id;  // stable per message row, so that a resent copy can be recognised
  std::string subject;
  std::string body;  // UTF-8 plain text
};

// Sends one mail. Returns kUnavailable for connection failures and timeouts and 4xx replies
// (retryable), kFailedPrecondition for 5xx replies and a missing STARTTLS (permanent).
Status SendMail(const MailRequest& request, std::chrono::milliseconds timeout);

// Returns the scheme, host and port of `url` with path and query removed, for log lines.
std::string RedactUrl(const std::string& url);

}  // namespace salesradar::notify
