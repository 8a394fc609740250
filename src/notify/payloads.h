// The JSON bodies of the robots and webhooks and the text of e-mails, built from one or more
// message entries. Several entries for one robot become one digest message ("3 条通知") so that
// a burst stays under the robot's rate limit without dropping any entry.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "common/locale.h"
#include "notify/alert_text.h"
#include "notify/channel_config.h"

namespace salesradar::notify {

// The largest message content each robot format accepts, in bytes of UTF-8: WeCom text 2048 and
// markdown 4096 (its robot documentation); DingTalk and Feishu state limits on the whole request
// (Feishu 20 KB), so a conservative 4000 and 18000 are used.
size_t MaxContentBytes(const ChannelSpec& spec);

// Returns how many of `entries`, from the front, fit into one message of `spec` (at least 1; an
// entry too long alone is shortened by RobotPayload).
size_t EntriesThatFit(const ChannelSpec& spec, std::span<const MessageEntry> entries, Locale locale);

// Returns the robot's JSON body for `entries`. For Feishu with a signing secret, `unix_seconds`
// goes into the signature fields.
std::string RobotPayload(const ChannelSpec& spec, std::span<const MessageEntry> entries, Locale locale,
                         int64_t unix_seconds);

// The generic webhook body: {"delivery_id", "source", "sent_at", "entries": [...]}.
std::string WebhookPayload(std::span<const MessageEntry> entries, int64_t message_id, const std::string& source,
                           int64_t unix_seconds);

// The subject and plain-text body of an e-mail.
struct MailContent {
  std::string subject;
  std::string body;
};
MailContent MailText(const MessageEntry& entry, Locale locale);

}  // namespace salesradar::notify
