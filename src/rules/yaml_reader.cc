#include "rules/yaml_reader.h"

#include "cel/suggest.h"

namespace salesradar::rules {
namespace {

std::string Quoted(std::string_view text) { return "'" + std::string(text) + "'"; }

}  // namespace

bool IsValidIdentifier(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (size_t i = 0; i < id.size(); ++i) {
    char c = id[i];
    bool letter_or_digit = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (letter_or_digit) continue;
    if (i > 0 && (c == '-' || c == '_')) continue;
    return false;
  }
  return true;
}

Where YamlReader::WhereOf(const YAML::Node& node) const {
  if (!node.IsDefined()) return {};
  YAML::Mark mark = node.Mark();
  if (mark.is_null()) return {};
  return {mark.line + 1, mark.column + 1};
}

void YamlReader::Report(Where where, std::string message_zh, std::string message_en) {
  problems_->push_back({file_, where.line, where.column, rule_id_, std::move(message_zh), std::move(message_en)});
}

void YamlReader::CheckKeys(const YAML::Node& node, std::initializer_list<std::string_view> known,
                           std::string_view what) {
  if (!node.IsMap()) return;
  std::vector<std::string> names(known.begin(), known.end());
  for (const auto& entry : node) {
    if (!entry.first.IsScalar()) {
      Report(entry.first, std::string(what) + " 的键必须是文本", std::string(what) + " keys must be plain text");
      continue;
    }
    std::string key = entry.first.Scalar();
    bool is_known = false;
    for (std::string_view name : known) is_known = is_known || name == key;
    if (is_known) continue;

    std::vector<std::string> nearest = cel::NearestNames(key, names);
    std::string hint = cel::QuoteList(nearest.empty() ? names : nearest);
    Report(entry.first, std::string(what) + " 中的键 " + Quoted(key) + " 未知；" +
                            (nearest.empty() ? "可用的键：" : "最接近的键：") + hint,
           "unknown key " + Quoted(key) + " in " + std::string(what) + "; " +
               (nearest.empty() ? "known keys: " : "did you mean ") + hint + (nearest.empty() ? "" : "?"));
  }
}

std::optional<std::string> YamlReader::Scalar(const YAML::Node& parent, std::string_view key, bool required,
                                              Where* where) {
  YAML::Node node = parent[std::string(key)];
  if (where != nullptr) *where = WhereOf(node.IsDefined() ? node : parent);
  if (!node.IsDefined() || node.IsNull()) {
    if (required) {
      Report(parent, "缺少必填字段 " + Quoted(key) + "；请补上", "required field " + Quoted(key) + " is missing; add it");
    }
    return std::nullopt;
  }
  if (!node.IsScalar()) {
    Report(node, "字段 " + Quoted(key) + " 必须是单个值，而不是列表或映射",
           "field " + Quoted(key) + " must be a single value, not a list or mapping");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<int64_t> YamlReader::Integer(const YAML::Node& parent, std::string_view key, bool required,
                                           int64_t minimum) {
  std::optional<std::string> text = Scalar(parent, key, required);
  if (!text) return std::nullopt;

  int64_t value = 0;
  bool digits_only = !text->empty() && text->size() <= 18;
  for (char c : *text) digits_only = digits_only && c >= '0' && c <= '9';
  if (digits_only) value = std::stoll(*text);
  if (!digits_only || value < minimum) {
    Report(parent[std::string(key)],
           "字段 " + Quoted(key) + " 的值 " + Quoted(*text) + " 无效；请写一个不小于 " + std::to_string(minimum) + " 的整数",
           "field " + Quoted(key) + ": value " + Quoted(*text) + " is invalid; write a whole number of at least " +
               std::to_string(minimum));
    return std::nullopt;
  }
  return value;
}

std::optional<double> YamlReader::Number(const YAML::Node& parent, std::string_view key, bool required) {
  std::optional<std::string> text = Scalar(parent, key, required);
  if (!text) return std::nullopt;

  size_t used = 0;
  double value = 0;
  try {
    value = std::stod(*text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text->size()) {
    Report(parent[std::string(key)], "字段 " + Quoted(key) + " 的值 " + Quoted(*text) + " 不是数字；请写如 0.7 或 80 的数字",
           "field " + Quoted(key) + ": value " + Quoted(*text) + " is not a number; write a number such as 0.7 or 80");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlReader::Bool(const YAML::Node& parent, std::string_view key) {
  std::optional<std::string> text = Scalar(parent, key, false);
  if (!text) return std::nullopt;
  if (*text == "true") return true;
  if (*text == "false") return false;
  Report(parent[std::string(key)], "字段 " + Quoted(key) + " 的值 " + Quoted(*text) + " 无效；请写 true 或 false",
         "field " + Quoted(key) + ": value " + Quoted(*text) + " is invalid; write true or false");
  return std::nullopt;
}

std::optional<LocalizedText> YamlReader::Localized(const YAML::Node& parent, std::string_view key, bool required) {
  YAML::Node node = parent[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) {
    if (required) {
      Report(parent, "缺少必填字段 " + Quoted(key) + "；请写成 {zh: 中文, en: English}",
             "required field " + Quoted(key) + " is missing; write it as {zh: 中文, en: English}");
    }
    return std::nullopt;
  }
  if (!node.IsMap()) {
    Report(node, "字段 " + Quoted(key) + " 必须写成 {zh: 中文, en: English}",
           "field " + Quoted(key) + " must be written as {zh: 中文, en: English}");
    return std::nullopt;
  }
  CheckKeys(node, {"zh", "en"}, key);
  std::optional<std::string> zh = Scalar(node, "zh", true);
  std::optional<std::string> en = Scalar(node, "en", true);
  if (!zh || !en) return std::nullopt;
  return LocalizedText{*zh, *en};
}

std::vector<std::string> YamlReader::EventTypes(const YAML::Node& parent, std::string_view key) {
  YAML::Node node = parent[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) {
    Report(parent, "缺少必填字段 " + Quoted(key) + "（事件类型，或事件类型列表）",
           "required field " + Quoted(key) + " (an event type or a list of them) is missing");
    return {};
  }
  std::vector<std::string> types;
  if (node.IsScalar()) {
    types.push_back(node.Scalar());
  } else if (node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (item.IsScalar() && !item.Scalar().empty()) {
        types.push_back(item.Scalar());
      } else {
        Report(item, "事件类型必须是非空文本", "an event type must be a non-empty text");
      }
    }
  }
  if (types.empty()) {
    Report(node, "字段 " + Quoted(key) + " 必须是一个事件类型或事件类型列表，例如 lead_created",
           "field " + Quoted(key) + " must be an event type or a list of them, such as lead_created");
  }
  return types;
}

Expression YamlReader::ExpressionAt(const YAML::Node& parent, std::string_view key, bool required) {
  Where where;
  std::optional<std::string> source = Scalar(parent, key, required, &where);
  if (!source) return {};
  if (source->empty() && required) {
    Report(where, "字段 " + Quoted(key) + " 的 CEL 表达式为空", "field " + Quoted(key) + ": the CEL expression is empty");
  }
  return Expression{*source, where};
}

std::optional<YAML::Node> YamlReader::Mapping(const YAML::Node& parent, std::string_view key, bool required) {
  YAML::Node node = parent[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) {
    if (required) Report(parent, "缺少必填部分 " + Quoted(key), "required section " + Quoted(key) + " is missing");
    return std::nullopt;
  }
  if (!node.IsMap()) {
    Report(node, "部分 " + Quoted(key) + " 必须是映射（键: 值）", "section " + Quoted(key) + " must be a mapping (key: value)");
    return std::nullopt;
  }
  return node;
}

}  // namespace salesradar::rules
