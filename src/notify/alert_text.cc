#include "notify/alert_text.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "notify/signing.h"

namespace salesradar::notify {
namespace {

LocalizedText ActionLabel(rules::AlertAction action) {
  switch (action) {
    case rules::AlertAction::kRaised: return {"新预警", "New alert"};
    case rules::AlertAction::kRefired: return {"再次触发", "Fired again"};
    case rules::AlertAction::kEscalated: return {"预警升级", "Alert escalated"};
    case rules::AlertAction::kAcknowledged: return {"已确认", "Acknowledged"};
    case rules::AlertAction::kSnoozed: return {"已暂缓", "Snoozed"};
    case rules::AlertAction::kSnoozeEnded: return {"暂缓结束", "Snooze ended"};
    case rules::AlertAction::kResolvedByPerson: return {"已处理", "Resolved"};
    case rules::AlertAction::kResolvedAutomatically: return {"已自动解除", "Resolved automatically"};
  }
  return {"预警", "Alert"};
}

}  // namespace

std::string MessageEntry::ToJson() const {
  return nlohmann::json{{"kind", kind}, {"title", title}, {"text", text},
                        {"link", link}, {"level", level}, {"alert_id", alert_id}}
      .dump();
}

Result<MessageEntry> MessageEntry::FromJson(std::string_view json) {
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return Error(ErrorCode::kDataLoss, "通知消息的内容不是有效的 JSON", "a notification message body is not valid JSON");
  }
  MessageEntry entry;
  entry.kind = parsed.value("kind", "");
  entry.title = parsed.value("title", "");
  entry.text = parsed.value("text", "");
  entry.link = parsed.value("link", "");
  entry.level = parsed.value("level", "");
  entry.alert_id = parsed.value("alert_id", "");
  return entry;
}

bool ShouldNotify(rules::AlertAction action) {
  switch (action) {
    case rules::AlertAction::kRaised:
    case rules::AlertAction::kEscalated:
    case rules::AlertAction::kResolvedByPerson:
    case rules::AlertAction::kResolvedAutomatically:
      return true;
    case rules::AlertAction::kRefired:
    case rules::AlertAction::kAcknowledged:
    case rules::AlertAction::kSnoozed:
    case rules::AlertAction::kSnoozeEnded:
      return false;
  }
  return false;
}

std::string AlertLink(std::string_view public_base_url, std::string_view alert_id) {
  if (public_base_url.empty()) return "";
  std::string base(public_base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/alerts?id=" + UrlEncode(alert_id);
}

MessageEntry RenderAlertChange(const rules::AlertChange& change, Locale locale, std::string_view public_base_url) {
  bool english = locale == Locale::kEnglish;
  std::string level = rules::LevelLabel(change.level).in(locale);
  std::string message = change.message.in(locale);
  if (message.empty()) message = change.message.zh.empty() ? change.alert_id : change.message.zh;

  MessageEntry entry;
  entry.kind = "alert";
  entry.level = std::string(rules::LevelName(change.level));
  entry.alert_id = change.alert_id;
  entry.link = AlertLink(public_base_url, change.alert_id);
  entry.title = english ? fmt::format("[{} · {}] {}", ActionLabel(change.action).en, level, message)
                        : fmt::format("【{}·{}】{}", ActionLabel(change.action).zh, level, message);

  std::string subject = change.key.subject.type + " " + change.key.subject.id;
  entry.text = english ? fmt::format("Subject: {}\nRule: {}/{}", subject, change.key.pack_id, change.key.rule_id)
                       : fmt::format("对象：{}\n规则：{}/{}", subject, change.key.pack_id, change.key.rule_id);
  if (!change.note.empty()) entry.text += (english ? "\nNote: " : "\n备注：") + change.note;
  return entry;
}

Locale LocaleOfTag(std::string_view tag) { return tag.starts_with("en") ? Locale::kEnglish : Locale::kChinese; }

}  // namespace salesradar::notify
