#include "notify/channel_sender.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "notify/curl_transport.h"
#include "notify/payloads.h"
#include "notify/signing.h"

namespace salesradar::notify {
namespace {

using Kind = SendOutcome::Kind;

SendOutcome Outcome(Kind kind, std::string error, std::chrono::seconds block = std::chrono::seconds(0)) {
  return {kind, std::move(error), block};
}

bool IsRateLimitCode(ChannelKind kind, int64_t code) {
  switch (kind) {
    case ChannelKind::kWecom: return code == 45009;
    case ChannelKind::kDingTalk: return code == 130101 || code == 410100;
    case ChannelKind::kFeishu: return code == 9499 || code == 11232;
    case ChannelKind::kSmtp:
    case ChannelKind::kWebhook: return false;
  }
  return false;
}

std::chrono::seconds RateLimitBlock(ChannelKind kind) {
  return kind == ChannelKind::kDingTalk ? std::chrono::minutes(10) : std::chrono::minutes(1);
}

std::string RobotUrl(const ChannelSpec& spec, int64_t unix_ms) {
  switch (spec.kind) {
    case ChannelKind::kWecom: return spec.endpoint + "?key=" + UrlEncode(spec.key);
    case ChannelKind::kDingTalk: {
      std::string url = spec.endpoint + "?access_token=" + UrlEncode(spec.key);
      if (!spec.sign_secret.empty()) {
        url += fmt::format("&timestamp={}&sign={}", unix_ms, DingTalkSign(unix_ms, spec.sign_secret));
      }
      return url;
    }
    case ChannelKind::kFeishu: return spec.endpoint + "/" + UrlEncode(spec.key);
    case ChannelKind::kSmtp:
    case ChannelKind::kWebhook: break;
  }
  return spec.endpoint;
}

SendOutcome HttpFailure(long status, const std::string& body) {
  std::string error = fmt::format("HTTP {}: {}", status, body.substr(0, 200));
  if (status == 429) return Outcome(Kind::kRateLimited, error, std::chrono::minutes(1));
  if (status >= 500 || status == 408) return Outcome(Kind::kRetry, error);
  return Outcome(Kind::kPermanent, error);
}

SendOutcome SendRobot(const ChannelSpec& spec, const SendRequest& request, std::chrono::milliseconds timeout) {
  int64_t unix_ms = ToUnixMicros(request.now) / 1000;
  std::string body = RobotPayload(spec, request.entries, request.locale, unix_ms / 1000);
  Result<HttpReply> reply = PostJson(RobotUrl(spec, unix_ms), body, {}, timeout);
  if (!reply.ok()) return Outcome(Kind::kRetry, reply.error().message_en());
  return ClassifyRobotReply(spec.kind, reply->status, reply->body);
}

SendOutcome SendWebhook(const ChannelSpec& spec, const SendRequest& request, std::chrono::milliseconds timeout) {
  int64_t unix_s = ToUnixMicros(request.now) / 1'000'000;
  std::string body = WebhookPayload(request.entries, request.message_id, request.source, unix_s);
  std::vector<std::pair<std::string, std::string>> headers = {
      {"X-SalesRadar-Signature", WebhookSignature(unix_s, body, spec.sign_secret)},
      {"X-SalesRadar-Delivery", std::to_string(request.message_id)},
  };
  Result<HttpReply> reply = PostJson(spec.endpoint, body, headers, timeout);
  if (!reply.ok()) return Outcome(Kind::kRetry, reply.error().message_en());
  if (reply->status >= 200 && reply->status < 300) return Outcome(Kind::kSent, "");
  return HttpFailure(reply->status, reply->body);
}

SendOutcome SendSmtp(const ChannelSpec& spec, const SendRequest& request, std::chrono::milliseconds timeout) {
  if (request.target.empty()) return Outcome(Kind::kPermanent, "the address has no e-mail target");
  MailContent content = MailText(request.entries.front(), request.locale);

  MailRequest mail;
  mail.host = spec.host;
  mail.port = static_cast<long>(spec.port);
  mail.starttls = spec.starttls;
  mail.username = spec.username;
  mail.password = spec.password;
  mail.from = spec.from;
  mail.to = request.target;
  mail.message_id = fmt::format("<notify-{}-{}@salesradar>", request.message_id, UrlEncode(request.source));
  mail.subject = content.subject;
  mail.body = content.body;

  Status sent = SendMail(mail, timeout);
  if (sent.ok()) return Outcome(Kind::kSent, "");
  Kind kind = sent.error().code() == ErrorCode::kUnavailable ? Kind::kRetry : Kind::kPermanent;
  return Outcome(kind, sent.error().message_en());
}

}  // namespace

SendOutcome ClassifyRobotReply(ChannelKind kind, long http_status, const std::string& body) {
  if (http_status < 200 || http_status >= 300) return HttpFailure(http_status, body);

  nlohmann::json reply = nlohmann::json::parse(body, nullptr, false);
  if (!reply.is_object()) return Outcome(Kind::kRetry, "the robot replied with a body that is not JSON");

  // WeCom and DingTalk answer {"errcode", "errmsg"}; Feishu {"code", "msg"} (older bots
  // {"StatusCode", "StatusMessage"}).
  int64_t code = 0;
  std::string message;
  for (const auto& [code_field, message_field] :
       {std::pair{"errcode", "errmsg"}, std::pair{"code", "msg"}, std::pair{"StatusCode", "StatusMessage"}}) {
    if (reply.contains(code_field) && reply[code_field].is_number_integer()) {
      code = reply[code_field].get<int64_t>();
      message = reply.value(message_field, "");
      break;
    }
  }
  if (code == 0) return Outcome(Kind::kSent, "");

  std::string error = fmt::format("{} robot error {}: {}", ChannelKindName(kind), code, message.substr(0, 200));
  if (IsRateLimitCode(kind, code)) return Outcome(Kind::kRateLimited, error, RateLimitBlock(kind));
  return Outcome(Kind::kPermanent, error);
}

SendOutcome Send(const ChannelSpec& spec, const SendRequest& request, std::chrono::milliseconds timeout) {
  switch (spec.kind) {
    case ChannelKind::kWecom:
    case ChannelKind::kDingTalk:
    case ChannelKind::kFeishu: return SendRobot(spec, request, timeout);
    case ChannelKind::kWebhook: return SendWebhook(spec, request, timeout);
    case ChannelKind::kSmtp: return SendSmtp(spec, request, timeout);
  }
  return Outcome(Kind::kPermanent, "unknown channel kind");
}

}  // namespace salesradar::notify
