#include "notify/curl_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>

#include <fmt/format.h>

#include "notify/signing.h"

namespace salesradar::notify {
namespace {

void EnsureCurl() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

struct ReadSource {
  std::string text;
  size_t offset = 0;
};

size_t ReadMail(char* buffer, size_t size, size_t count, void* user) {
  auto* source = static_cast<ReadSource*>(user);
  size_t length = std::min(size * count, source->text.size() - source->offset);
  std::memcpy(buffer, source->text.data() + source->offset, length);
  source->offset += length;
  return length;
}

// RFC 2047 encoded-word for a UTF-8 header value.
std::string EncodeHeader(const std::string& value) { return "=?UTF-8?B?" + Base64(value) + "?="; }

std::string MailMessage(const MailRequest& request) {
  std::string body = request.body;
  std::string crlf_body;
  for (char c : body) {
    if (c == '\n') crlf_body += "\r\n";
    else crlf_body += c;
  }
  // A line with a single "." would end the DATA; libcurl escapes leading dots itself.
  return fmt::format(
      "From: {}\r\nTo: {}\r\nSubject: {}\r\nMessage-ID: {}\r\nMIME-Version: 1.0\r\n"
      "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
      request.from, request.to, EncodeHeader(request.subject), request.message_id, crlf_body);
}

}  // namespace

std::string RedactUrl(const std::string& url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  size_t end = url.find_first_of("/?#", start);
  return end == std::string::npos ? url : url.substr(0, end);
}

Result<HttpReply> PostJson(const std::string& url, const std::string& body,
                           const std::vector<std::pair<std::string, std::string>>& headers,
                           std::chrono::milliseconds timeout) {
  EnsureCurl();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Internal("libcurl 初始化失败", "libcurl initialisation failed");

  std::unique_ptr<curl_slist, ListDeleter> list(curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8"));
  for (const auto& [name, value] : headers) {
    list.reset(curl_slist_append(list.release(), (name + ": " + value).c_str()));
  }

  HttpReply reply;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, list.get());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, AppendBody);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply.body);

  CURLcode code = curl_easy_perform(curl.get());
  if (code != CURLE_OK) {
    return Unavailable(fmt::format("无法连接 {}：{}", RedactUrl(url), curl_easy_strerror(code)),
                       fmt::format("cannot reach {}: {}", RedactUrl(url), curl_easy_strerror(code)));
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply.status);
  return reply;
}

Status SendMail(const MailRequest& request, std::chrono::milliseconds timeout) {
  EnsureCurl();
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return Internal("libcurl 初始化失败", "libcurl initialisation failed");

  std::string url = fmt::format("smtp://{}:{}", request.host, request.port);
  std::unique_ptr<curl_slist, ListDeleter> recipients(curl_slist_append(nullptr, request.to.c_str()));
  ReadSource source{MailMessage(request)};

  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "smtp");
  curl_easy_setopt(curl.get(), CURLOPT_USE_SSL, request.starttls ? static_cast<long>(CURLUSESSL_ALL)
                                                                 : static_cast<long>(CURLUSESSL_NONE));
  if (!request.username.empty()) {
    curl_easy_setopt(curl.get(), CURLOPT_USERNAME, request.username.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_PASSWORD, request.password.c_str());
  }
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_FROM, request.from.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(curl.get(), CURLOPT_READFUNCTION, ReadMail);
  curl_easy_setopt(curl.get(), CURLOPT_READDATA, &source);
  curl_easy_setopt(curl.get(), CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);

  CURLcode code = curl_easy_perform(curl.get());
  if (code == CURLE_OK) return OkStatus();

  long reply = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &reply);
  std::string en = fmt::format("SMTP {}:{}: {} (reply {})", request.host, request.port, curl_easy_strerror(code), reply);
  std::string zh = fmt::format("SMTP {}:{} 发送失败：{}（应答 {}）", request.host, request.port, curl_easy_strerror(code), reply);
  bool permanent = code == CURLE_USE_SSL_FAILED || code == CURLE_LOGIN_DENIED || reply >= 500;
  return Error(permanent ? ErrorCode::kFailedPrecondition : ErrorCode::kUnavailable, zh, en);
}

}  // namespace salesradar::notify
