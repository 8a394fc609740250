// Sends one message (or one merged robot message) on a channel and classifies the platform's
// reply: sent, retry later, rate-limited, or failed for good.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "common/clock.h"
#include "notify/alert_text.h"
#include "notify/channel_config.h"

namespace salesradar::notify {

struct SendOutcome {
  enum class Kind { kSent, kRetry, kRateLimited, kPermanent };
  Kind kind = Kind::kSent;
  std::string error;  // English, without secrets; empty when sent
  // For kRateLimited: how long the platform blocks the robot (DingTalk: 10 minutes).
  std::chrono::seconds block{0};
};

// Rate-limit error codes in the robots' JSON replies: WeCom errcode 45009 (API frequency out of
// limit), DingTalk errcode 130101 (sending too fast, then 10 minutes blocked) and 410100, Feishu
// code 9499 (too many requests) and 11232 (frequency limited). HTTP 429 counts too.
// Any other non-zero code is a permanent error (wrong key, signature, keyword or IP allow-list).
SendOutcome ClassifyRobotReply(ChannelKind kind, long http_status, const std::string& body);

struct SendRequest {
  std::span<const MessageEntry> entries;  // several only for robots
  Locale locale = Locale::kChinese;
  int64_t message_id = 0;  // the first message row; the webhook delivery id and mail Message-ID
  std::string source;
  std::string target;  // e-mail address for SMTP
  Timestamp now;
};

SendOutcome Send(const ChannelSpec& spec, const SendRequest& request, std::chrono::milliseconds timeout);

}  // namespace salesradar::notify
