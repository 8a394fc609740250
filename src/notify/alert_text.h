// The content of one notification, rendered in the recipient's language when the message row is
// written: one alert change, one weekly digest or one test message. Channel payloads
// (payloads.h) merge several entries bound for the same robot into one message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/locale.h"
#include "common/result.h"
#include "rules/alert.h"

namespace salesradar::notify {

struct MessageEntry {
  std::string kind;   // "alert", "digest" or "test"
  std::string title;  // one line, e.g. "【红色预警】报价缺少合规声明"
  std::string text;   // the body: plain text lines separated by '\n'
  std::string link;   // the page in the web UI; may be empty
  std::string level;  // "yellow", "orange", "red" for alerts, else empty
  std::string alert_id;

  std::string ToJson() const;
  static Result<MessageEntry> FromJson(std::string_view json);
};

// The alert actions that produce a notification: raised, escalated and the two resolutions.
// Acknowledging, snoozing, a snooze ending and a refire change nothing the recipients must act on.
bool ShouldNotify(rules::AlertAction action);

// Returns the UI link of an alert: "<base>/alerts?id=<url-encoded id>", or "" without a base.
std::string AlertLink(std::string_view public_base_url, std::string_view alert_id);

MessageEntry RenderAlertChange(const rules::AlertChange& change, Locale locale, std::string_view public_base_url);

// Returns the Locale of an address's "zh-CN" or "en".
Locale LocaleOfTag(std::string_view tag);

}  // namespace salesradar::notify
