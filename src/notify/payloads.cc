#include "notify/payloads.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "notify/signing.h"

namespace salesradar::notify {
namespace {

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string Truncate(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end) + "…";
}

std::string DigestHeading(size_t count, Locale locale) {
  return locale == Locale::kEnglish ? fmt::format("SalesRadar: {} notifications", count)
                                    : fmt::format("销售雷达：{} 条通知", count);
}

std::string OpenLabel(Locale locale) { return locale == Locale::kEnglish ? "Open" : "查看"; }

// Markdown for WeCom, DingTalk and Feishu cards: one section per entry.
std::string MarkdownText(std::span<const MessageEntry> entries, Locale locale) {
  std::string text;
  if (entries.size() > 1) text += "**" + DigestHeading(entries.size(), locale) + "**\n";
  for (const MessageEntry& entry : entries) {
    text += "**" + entry.title + "**\n";
    std::string body = entry.text;
    for (size_t at = body.find('\n'); at != std::string::npos; at = body.find('\n', at + 2)) body.replace(at, 1, "\n> ");
    if (!body.empty()) text += "> " + body + "\n";
    if (!entry.link.empty()) text += "[" + OpenLabel(locale) + "](" + entry.link + ")\n";
  }
  return text;
}

std::string PlainText(std::span<const MessageEntry> entries, Locale locale) {
  std::string text;
  if (entries.size() > 1) text += DigestHeading(entries.size(), locale) + "\n\n";
  for (const MessageEntry& entry : entries) {
    text += entry.title + "\n";
    if (!entry.text.empty()) text += entry.text + "\n";
    if (!entry.link.empty()) text += entry.link + "\n";
    text += "\n";
  }
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

std::string Content(const ChannelSpec& spec, std::span<const MessageEntry> entries, Locale locale) {
  bool plain = spec.format == "text" || spec.format == "post";
  return plain ? PlainText(entries, locale) : MarkdownText(entries, locale);
}

std::string Title(std::span<const MessageEntry> entries, Locale locale) {
  return entries.size() == 1 ? entries.front().title : DigestHeading(entries.size(), locale);
}

nlohmann::json WecomBody(const ChannelSpec& spec, const std::string& content) {
  return {{"msgtype", spec.format}, {spec.format, {{"content", content}}}};
}

nlohmann::json DingTalkBody(const ChannelSpec& spec, std::span<const MessageEntry> entries, Locale locale,
                            const std::string& content) {
  if (spec.format == "text") return {{"msgtype", "text"}, {"text", {{"content", content}}}};
  std::string title = Title(entries, locale);
  if (spec.format == "markdown") return {{"msgtype", "markdown"}, {"markdown", {{"title", title}, {"text", content}}}};

  nlohmann::json card = {{"title", title}, {"text", content}};
  const std::string& link = entries.front().link;
  if (entries.size() == 1 && !link.empty()) {
    card["singleTitle"] = OpenLabel(locale);
    card["singleURL"] = link;
  }
  return {{"msgtype", "actionCard"}, {"actionCard", card}};
}

nlohmann::json FeishuPost(std::span<const MessageEntry> entries, Locale locale) {
  nlohmann::json lines = nlohmann::json::array();
  for (const MessageEntry& entry : entries) {
    lines.push_back(nlohmann::json::array({nlohmann::json{{"tag", "text"}, {"text", entry.title}}}));
    for (size_t start = 0; start <= entry.text.size() && !entry.text.empty();) {
      size_t end = entry.text.find('\n', start);
      if (end == std::string::npos) end = entry.text.size();
      lines.push_back(
          nlohmann::json::array({nlohmann::json{{"tag", "text"}, {"text", entry.text.substr(start, end - start)}}}));
      start = end + 1;
    }
    if (!entry.link.empty()) {
      lines.push_back(
          nlohmann::json::array({nlohmann::json{{"tag", "a"}, {"text", OpenLabel(locale)}, {"href", entry.link}}}));
    }
  }
  std::string language = locale == Locale::kEnglish ? "en_us" : "zh_cn";
  return {{"post", {{language, {{"title", Title(entries, locale)}, {"content", lines}}}}}};
}

nlohmann::json FeishuCard(std::span<const MessageEntry> entries, Locale locale, const std::string& content) {
  std::string color = "blue";
  for (const MessageEntry& entry : entries) {
    if (entry.level == "red") color = "red";
    else if (entry.level == "orange" && color != "red") color = "orange";
    else if (entry.level == "yellow" && color == "blue") color = "yellow";
  }
  nlohmann::json text = {{"tag", "lark_md"}, {"content", content}};
  nlohmann::json element = {{"tag", "div"}, {"text", text}};
  nlohmann::json title = {{"tag", "plain_text"}, {"content", Title(entries, locale)}};
  return {{"header", {{"title", title}, {"template", color}}}, {"elements", nlohmann::json::array({element})}};
}

nlohmann::json FeishuBody(const ChannelSpec& spec, std::span<const MessageEntry> entries, Locale locale,
                          const std::string& content, int64_t unix_seconds) {
  nlohmann::json body;
  if (spec.format == "text") {
    body = {{"msg_type", "text"}, {"content", {{"text", content}}}};
  } else if (spec.format == "post") {
    body = {{"msg_type", "post"}, {"content", FeishuPost(entries, locale)}};
  } else {
    body = {{"msg_type", "interactive"}, {"card", FeishuCard(entries, locale, content)}};
  }
  if (!spec.sign_secret.empty()) {
    body["timestamp"] = std::to_string(unix_seconds);
    body["sign"] = FeishuSign(unix_seconds, spec.sign_secret);
  }
  return body;
}

}  // namespace

size_t MaxContentBytes(const ChannelSpec& spec) {
  switch (spec.kind) {
    case ChannelKind::kWecom: return spec.format == "text" ? 2048 : 4096;
    case ChannelKind::kDingTalk: return 4000;
    case ChannelKind::kFeishu: return 18000;
    case ChannelKind::kSmtp:
    case ChannelKind::kWebhook: return 1 << 20;
  }
  return 2048;
}

size_t EntriesThatFit(const ChannelSpec& spec, std::span<const MessageEntry> entries, Locale locale) {
  size_t max_bytes = MaxContentBytes(spec);
  size_t count = 1;
  while (count < entries.size() && Content(spec, entries.first(count + 1), locale).size() <= max_bytes) ++count;
  return std::min(count, entries.size());
}

std::string RobotPayload(const ChannelSpec& spec, std::span<const MessageEntry> entries, Locale locale,
                         int64_t unix_seconds) {
  std::string content = Truncate(Content(spec, entries, locale), MaxContentBytes(spec) - 8);
  nlohmann::json body;
  switch (spec.kind) {
    case ChannelKind::kWecom: body = WecomBody(spec, content); break;
    case ChannelKind::kDingTalk: body = DingTalkBody(spec, entries, locale, content); break;
    case ChannelKind::kFeishu: body = FeishuBody(spec, entries, locale, content, unix_seconds); break;
    case ChannelKind::kSmtp:
    case ChannelKind::kWebhook: break;
  }
  return body.dump();
}

std::string WebhookPayload(std::span<const MessageEntry> entries, int64_t message_id, const std::string& source,
                           int64_t unix_seconds) {
  nlohmann::json items = nlohmann::json::array();
  for (const MessageEntry& entry : entries) items.push_back(nlohmann::json::parse(entry.ToJson()));
  return nlohmann::json{{"delivery_id", message_id}, {"source", source}, {"sent_at", unix_seconds}, {"entries", items}}
      .dump();
}

MailContent MailText(const MessageEntry& entry, Locale locale) {
  MailContent mail;
  mail.subject = entry.title;
  mail.body = PlainText(std::span<const MessageEntry>(&entry, 1), locale) + "\n\n-- \n" +
              (locale == Locale::kEnglish ? "Sent by SalesRadar" : "由销售雷达发送") + "\n";
  return mail;
}

}  // namespace salesradar::notify
