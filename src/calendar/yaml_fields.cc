#include "calendar/yaml_fields.h"

#include <fmt/format.h>

#include "calendar/civil_text.h"
#include "calendar/data_error.h"

namespace salesradar::calendar {
namespace {

std::string JoinKeys(std::initializer_list<std::string_view> keys) {
  std::string joined;
  for (std::string_view key : keys) {
    joined += joined.empty() ? "" : ", ";
    joined += key;
  }
  return joined;
}

Error MissingKey(const std::string& file, const YAML::Node& parent, std::string_view key) {
  return DataError(LocationOf(file, parent), fmt::format("缺少必填字段 '{}'；请补上它", key),
                   fmt::format("required field '{}' is missing; add it", key));
}

}  // namespace

SourceLocation LocationOf(const std::string& file, const YAML::Node& node) {
  YAML::Mark mark = node.Mark();
  return SourceLocation{file, mark.is_null() ? 0 : mark.line + 1};
}

Result<YAML::Node> ParseYamlMapping(const std::string& file, const std::string& text) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    SourceLocation where{file, e.mark.is_null() ? 0 : e.mark.line + 1};
    return DataError(where, fmt::format("YAML 语法错误：{}；请修正该行", e.msg),
                     fmt::format("YAML syntax error: {}; fix the line", e.msg));
  }

  if (!root.IsMap()) {
    return DataError(SourceLocation{file, 0}, "文件的顶层必须是键值映射（key: value），例如以 'year: 2026' 开头",
                     "the top level of the file must be a mapping of keys to values, for example "
                     "starting with 'year: 2026'");
  }
  return root;
}

Status CheckKnownKeys(const std::string& file, const YAML::Node& node,
                      std::initializer_list<std::string_view> known) {
  for (const auto& entry : node) {
    std::string key = entry.first.IsScalar() ? entry.first.Scalar() : std::string("?");
    bool found = false;
    for (std::string_view candidate : known) {
      found = found || key == candidate;
    }
    if (!found) {
      return DataError(LocationOf(file, entry.first),
                       fmt::format("未知字段 '{}'；此处可用的字段有 {}", key, JoinKeys(known)),
                       fmt::format("unknown field '{}'; the fields allowed here are {}", key,
                                   JoinKeys(known)));
    }
  }
  return OkStatus();
}

Result<std::string> ReadScalar(const std::string& file, const YAML::Node& parent, std::string_view key,
                               bool required) {
  YAML::Node value = parent[std::string(key)];
  if (!value.IsDefined() || value.IsNull()) {
    if (required) {
      return MissingKey(file, parent, key);
    }
    return std::string();
  }
  if (!value.IsScalar()) {
    return DataError(LocationOf(file, value), fmt::format("字段 '{}' 必须是单个值，而不是列表或映射", key),
                     fmt::format("field '{}' must be a single value, not a list or a mapping", key));
  }
  return value.Scalar();
}

Result<cctz::civil_day> ReadDate(const std::string& file, const YAML::Node& parent, std::string_view key) {
  SR_ASSIGN_OR_RETURN(std::string text, ReadScalar(file, parent, key, true));
  std::optional<cctz::civil_day> date = ParseIsoDate(text);
  if (!date.has_value()) {
    return DataError(LocationOf(file, parent[std::string(key)]),
                     fmt::format("字段 '{}' 的日期 '{}' 无效；请写成存在的日期 YYYY-MM-DD，例如 2026-02-14", key, text),
                     fmt::format("field '{}' has an invalid date '{}'; write an existing date as "
                                 "YYYY-MM-DD, for example 2026-02-14",
                                 key, text));
  }
  return *date;
}

Result<LocalizedName> ReadName(const std::string& file, const YAML::Node& parent, std::string_view key) {
  YAML::Node name = parent[std::string(key)];
  if (!name.IsDefined() || !name.IsMap()) {
    return DataError(LocationOf(file, name.IsDefined() ? name : parent),
                     fmt::format("字段 '{}' 必须写成 {{zh: 中文名, en: English name}}", key),
                     fmt::format("field '{}' must be written as {{zh: 中文名, en: English name}}", key));
  }
  SR_RETURN_IF_ERROR(CheckKnownKeys(file, name, {"zh", "en"}));

  LocalizedName result;
  SR_ASSIGN_OR_RETURN(result.zh, ReadScalar(file, name, "zh", true));
  SR_ASSIGN_OR_RETURN(result.en, ReadScalar(file, name, "en", true));
  return result;
}

Result<YAML::Node> ReadSequence(const std::string& file, const YAML::Node& parent, std::string_view key) {
  YAML::Node value = parent[std::string(key)];
  if (!value.IsDefined() || value.IsNull()) {
    return YAML::Node(YAML::NodeType::Sequence);
  }
  if (!value.IsSequence()) {
    return DataError(LocationOf(file, value), fmt::format("字段 '{}' 必须是列表（每项以 '- ' 开头）", key),
                     fmt::format("field '{}' must be a list (each item starting with '- ')", key));
  }
  return value;
}

}  // namespace salesradar::calendar
