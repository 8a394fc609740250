#include "rules/message_template.h"

#include <array>
#include <cstdio>

#include "cel/arena.h"
#include "cel/suggest.h"
#include "cel/time_util.h"
#include "model/money.h"
#include "rules/event_object.h"
#include "rules/json_value.h"

namespace salesradar::rules {
namespace {

constexpr std::array<std::string_view, 15> kFixedPlaceholders = {
    "rule.id",      "rule.name",    "subject.type",      "subject.id", "subject.name",
    "event.id",     "event.type",   "event.actor",       "event.occurred_at", "window",
    "deadline",     "count",        "value",             "event.payload.KEY", "subject.FIELD",
};

struct WindowUnitWords {
  calendar::WindowUnit unit;
  std::string_view en_one;
  std::string_view en_many;
  std::string_view zh;
};

constexpr std::array<WindowUnitWords, 6> kWindowUnitWords = {{
    {calendar::WindowUnit::kMinutes, "minute", "minutes", "分钟"},
    {calendar::WindowUnit::kHours, "hour", "hours", "小时"},
    {calendar::WindowUnit::kDays, "day", "days", "天"},
    {calendar::WindowUnit::kWorkMinutes, "work minute", "work minutes", "个工作分钟"},
    {calendar::WindowUnit::kWorkHours, "work hour", "work hours", "个工作小时"},
    {calendar::WindowUnit::kWorkdays, "workday", "workdays", "个工作日"},
}};

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool IsKnownPlaceholder(std::string_view name) {
  for (std::string_view fixed : kFixedPlaceholders) {
    if (name == fixed && name != "event.payload.KEY" && name != "subject.FIELD") return true;
  }
  if (StartsWith(name, "event.payload.") && name.size() > 14) return true;
  if (StartsWith(name, "subject.") && name.size() > 8) return true;
  return false;
}

Error UnknownPlaceholder(std::string_view name) {
  std::vector<std::string> known;
  for (std::string_view fixed : kFixedPlaceholders) known.emplace_back(fixed);
  std::vector<std::string> nearest = cel::NearestNames(name, known);
  std::string hint = nearest.empty() ? cel::QuoteList(known) : cel::QuoteList(nearest);
  return InvalidArgument("消息模板中的占位符 {" + std::string(name) + "} 未知；可用的占位符：" + hint,
                         "unknown placeholder {" + std::string(name) + "} in the message template; " +
                             (nearest.empty() ? "known placeholders: " : "did you mean ") + hint + "?");
}

Error Malformed(std::string_view text, std::string_view zh, std::string_view en) {
  return InvalidArgument("消息模板 '" + std::string(text) + "' " + std::string(zh),
                         "message template '" + std::string(text) + "' " + std::string(en));
}

std::string FormatDouble(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

std::string FormatCelValue(const cel::Value& value, const calendar::BusinessCalendar* calendar) {
  switch (value.kind()) {
    case cel::ValueKind::kNull: return "";
    case cel::ValueKind::kString: return std::string(value.string_value());
    case cel::ValueKind::kBool: return value.bool_value() ? "true" : "false";
    case cel::ValueKind::kInt: return std::to_string(value.int_value());
    case cel::ValueKind::kUint: return std::to_string(value.uint_value());
    case cel::ValueKind::kDouble: return FormatDouble(value.double_value());
    case cel::ValueKind::kTimestamp: return FormatTime(FromCelTime(value.timestamp()), calendar);
    case cel::ValueKind::kMoney: {
      model::Money money{value.money().minor_units, std::string(value.money().currency_code())};
      return model::FormatMoney(money);
    }
    default: return cel::DebugString(value);
  }
}

std::string PayloadText(const Event& event, std::string_view path, const calendar::BusinessCalendar* calendar) {
  const nlohmann::json* node = &event.payload;
  while (!path.empty()) {
    size_t dot = path.find('.');
    std::string key(path.substr(0, dot));
    if (!node->is_object()) return "";
    auto it = node->find(key);
    if (it == node->end()) return "";
    node = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  cel::Arena arena;
  return FormatCelValue(JsonToCel(*node, arena), calendar);
}

std::string SubjectFieldText(const TemplateValues& values, std::string_view field) {
  if (values.subject_record == nullptr) return "";
  cel::Arena arena;
  std::optional<cel::Value> value = values.subject_record->Field(field, arena);
  if (!value || value->is_error()) return "";
  return FormatCelValue(*value, values.calendar);
}

std::string EventText(const TemplateValues& values, std::string_view name) {
  if (values.event == nullptr) return "";
  const Event& event = *values.event;
  if (name == "event.id") return event.id;
  if (name == "event.type") return event.type;
  if (name == "event.actor") return event.actor;
  if (name == "event.occurred_at") return FormatTime(event.occurred_at, values.calendar);
  return PayloadText(event, name.substr(14), values.calendar);  // after "event.payload."
}

std::string SubjectText(const TemplateValues& values, std::string_view name) {
  if (values.subject == nullptr) return "";
  if (name == "subject.type") return values.subject->type;
  if (name == "subject.id") return values.subject->id;
  if (name == "subject.name") {
    return values.subject_name.empty() ? values.subject->id : std::string(values.subject_name);
  }
  return SubjectFieldText(values, name.substr(8));  // after "subject."
}

std::string PlaceholderText(const TemplateValues& values, std::string_view name, Locale locale) {
  if (name == "rule.id") return std::string(values.rule_id);
  if (name == "rule.name") return values.rule_name == nullptr ? "" : values.rule_name->in(locale);
  if (StartsWith(name, "subject.")) return SubjectText(values, name);
  if (StartsWith(name, "event.")) return EventText(values, name);
  if (name == "window") return values.window ? DescribeWindow(*values.window, locale) : "";
  if (name == "deadline") return values.deadline ? FormatTime(*values.deadline, values.calendar) : "";
  if (name == "count") return values.count ? std::to_string(*values.count) : "";
  if (name == "value") return values.value ? FormatDouble(*values.value) : "";
  return "";
}

}  // namespace

Result<MessageTemplate> MessageTemplate::Parse(std::string_view text) {
  MessageTemplate result;
  std::string literal;
  size_t i = 0;
  while (i < text.size()) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      literal += c;
      i += 2;
      continue;
    }
    if (c == '}') return Malformed(text, "含有未配对的 '}'；字面的花括号请写成 '}}'", "has an unmatched '}'; write '}}' for a literal brace");
    if (c != '{') {
      literal += c;
      ++i;
      continue;
    }

    size_t close = text.find('}', i + 1);
    if (close == std::string_view::npos) {
      return Malformed(text, "的 '{' 没有闭合；请补上 '}'，字面的花括号请写成 '{{'",
                       "has a '{' without its '}'; close it, or write '{{' for a literal brace");
    }
    std::string_view name = text.substr(i + 1, close - i - 1);
    if (name.empty()) return Malformed(text, "含有空的占位符 {}", "has an empty placeholder {}");
    if (!IsKnownPlaceholder(name)) return UnknownPlaceholder(name);

    if (!literal.empty()) result.parts_.push_back({false, std::move(literal)});
    literal.clear();
    result.parts_.push_back({true, std::string(name)});
    i = close + 1;
  }
  if (!literal.empty()) result.parts_.push_back({false, std::move(literal)});
  return result;
}

std::vector<std::string> MessageTemplate::SubjectFields() const {
  std::vector<std::string> fields;
  for (const TemplatePart& part : parts_) {
    if (!part.placeholder || !StartsWith(part.text, "subject.")) continue;
    std::string field = part.text.substr(8);
    if (field == "type" || field == "id" || field == "name") continue;
    fields.push_back(std::move(field));
  }
  return fields;
}

std::string RenderMessage(const MessageTemplate& message, const TemplateValues& values, Locale locale) {
  std::string out;
  for (const TemplatePart& part : message.parts()) {
    out += part.placeholder ? PlaceholderText(values, part.text, locale) : part.text;
  }
  return out;
}

std::string DescribeWindow(const calendar::Window& window, Locale locale) {
  for (const WindowUnitWords& words : kWindowUnitWords) {
    if (words.unit != window.unit) continue;
    std::string_view unit = words.zh;
    if (locale == Locale::kEnglish) unit = window.count == 1 ? words.en_one : words.en_many;
    return std::to_string(window.count) + " " + std::string(unit);
  }
  return calendar::FormatWindow(window);
}

std::string FormatTime(Timestamp t, const calendar::BusinessCalendar* calendar) {
  if (calendar != nullptr) return calendar->FormatLocal(t);
  return cel::FormatTimestamp(ToCelTime(t));
}

}  // namespace salesradar::rules
