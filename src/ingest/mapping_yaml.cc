#include "ingest/mapping_yaml.h"

#include <fmt/format.h>

#include "ingest/suggest.h"

namespace salesradar::ingest::mapping_yaml {

int LineOf(const YAML::Node& node) {
  YAML::Mark mark = node.Mark();
  return mark.is_null() ? 0 : mark.line + 1;
}

Error Context::At(const YAML::Node& node, std::string_view zh, std::string_view en) const {
  int line = LineOf(node);
  return InvalidArgument(fmt::format("{}:{}: {}", path, line, zh),
                         fmt::format("{}:{}: {}", path, line, en));
}

Status CheckKeys(const Context& context, const YAML::Node& node,
                 std::initializer_list<std::string_view> allowed, std::string_view where) {
  if (!node.IsMap()) {
    return context.At(node, fmt::format("{} 应为键值映射", where),
                      fmt::format("{} must be a map of keys to values", where));
  }
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (auto it = node.begin(); it != node.end(); ++it) {
    std::string key = it->first.Scalar();
    bool known = false;
    for (std::string_view name : allowed) {
      known = known || key == name;
    }
    if (known) {
      continue;
    }
    std::string nearest = NearestName(key, names);
    std::string hint_zh = nearest.empty() ? "" : fmt::format("，是否想写 '{}'", nearest);
    std::string hint_en = nearest.empty() ? "" : fmt::format("; did you mean '{}'?", nearest);
    return context.At(
        it->first,
        fmt::format("{} 中有未知的键 '{}'{}；可用的键：{}", where, key, hint_zh, JoinNames(names)),
        fmt::format("unknown key '{}' in {}{} (known keys: {})", key, where, hint_en,
                    JoinNames(names)));
  }
  return OkStatus();
}

Result<std::string> ReadString(const Context& context, const YAML::Node& node,
                               std::string_view key) {
  if (!node.IsScalar()) {
    return context.At(node, fmt::format("'{}' 应为单个文本值", key),
                      fmt::format("'{}' must be a single text value", key));
  }
  return node.Scalar();
}

Result<bool> ReadBool(const Context& context, const YAML::Node& node, std::string_view key) {
  bool value = false;
  if (!node.IsScalar() || !YAML::convert<bool>::decode(node, value)) {
    return context.At(node, fmt::format("'{}' 应为 true 或 false", key),
                      fmt::format("'{}' must be true or false", key));
  }
  return value;
}

Result<std::vector<std::string>> ReadStringList(const Context& context, const YAML::Node& node,
                                                std::string_view key) {
  std::vector<std::string> values;
  if (node.IsScalar()) {
    values.push_back(node.Scalar());
    return values;
  }
  if (!node.IsSequence()) {
    return context.At(node, fmt::format("'{}' 应为文本列表", key),
                      fmt::format("'{}' must be a list of text values", key));
  }
  for (const YAML::Node& item : node) {
    SR_ASSIGN_OR_RETURN(std::string value, ReadString(context, item, key));
    values.push_back(std::move(value));
  }
  return values;
}

Result<NormalizeSettings> ReadNormalize(const Context& context, const YAML::Node& node,
                                        NormalizeSettings defaults) {
  SR_RETURN_IF_ERROR(CheckKeys(context, node, {"trim", "half_width", "case"}, "normalize"));
  NormalizeSettings options = defaults;
  if (node["trim"]) {
    SR_ASSIGN_OR_RETURN(options.trim, ReadBool(context, node["trim"], "trim"));
  }
  if (node["half_width"]) {
    SR_ASSIGN_OR_RETURN(bool half_width, ReadBool(context, node["half_width"], "half_width"));
    options.half_width = half_width;
  }
  if (node["case"]) {
    SR_ASSIGN_OR_RETURN(std::string letter_case, ReadString(context, node["case"], "case"));
    if (letter_case == "keep" || letter_case == "none") {
      options.letter_case = LetterCase::kKeep;
    } else if (letter_case == "lower") {
      options.letter_case = LetterCase::kLower;
    } else if (letter_case == "upper") {
      options.letter_case = LetterCase::kUpper;
    } else {
      return context.At(
          node["case"], fmt::format("case 的值 '{}' 无效；可用：keep、lower、upper", letter_case),
          fmt::format("invalid case '{}'; expected keep, lower or upper", letter_case));
    }
  }
  return options;
}

Result<ValueSource> ParseValueSource(const Context& context, const YAML::Node& node,
                                     ValueSource::Kind kind) {
  std::string_view key = kind == ValueSource::Kind::kTemplate ? "template" : "column";
  SR_ASSIGN_OR_RETURN(std::string text, ReadString(context, node, key));
  ValueSource source;
  source.kind = kind;
  source.text = text;
  if (text.empty()) {
    return context.At(node, fmt::format("'{}' 不能为空", key),
                      fmt::format("'{}' cannot be empty", key));
  }
  if (kind == ValueSource::Kind::kColumn) {
    source.columns.push_back(text);
    return source;
  }

  // A template: literal text with {column} placeholders.
  size_t position = 0;
  while ((position = text.find_first_of("{}", position)) != std::string::npos) {
    size_t close = text[position] == '{' ? text.find('}', position) : std::string::npos;
    if (close == std::string::npos || close == position + 1) {
      return context.At(
          node, fmt::format("模板 '{}' 的花括号不配对或为空；请写成如 'team:{{manager}}'", text),
          fmt::format("template '{}' has an unmatched or empty brace; write it "
                      "like 'team:{{manager}}'",
                      text));
    }
    source.columns.push_back(text.substr(position + 1, close - position - 1));
    position = close + 1;
  }
  if (source.columns.empty()) {
    return context.At(node, fmt::format("模板 '{}' 没有 {{列名}} 占位符；常量请用 value", text),
                      fmt::format("template '{}' has no {{column}} placeholder; use 'value' for "
                                  "a constant",
                                  text));
  }
  return source;
}

}  // namespace salesradar::ingest::mapping_yaml
