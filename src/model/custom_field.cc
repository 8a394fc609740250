#include "model/custom_field.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

namespace salesradar::model {
namespace {

constexpr size_t kMaxNameBytes = 64;

bool IsValidFieldName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes || name.front() < 'a' || name.front() > 'z') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string JoinValues(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    if (!out.empty()) {
      out += ", ";
    }
    out += value;
  }
  return out;
}

// Builds "custom field '<name>' of <kind>: <reason>" in both languages.
Error DefinitionError(const CustomFieldDefinition& definition, const std::string& reason_zh,
                      const std::string& reason_en) {
  LocalizedText kind = EntityKindLabel(definition.entity);
  return InvalidArgument(
      fmt::format("{}的自定义字段 '{}'：{}", kind.zh, definition.name, reason_zh),
      fmt::format("custom field '{}' of {}: {}", definition.name, kind.en, reason_en));
}

Status ValidateEnumList(const CustomFieldDefinition& definition) {
  bool is_enum = definition.type == FieldType::kEnum;
  if (is_enum && definition.allowed_values.empty()) {
    return DefinitionError(definition, "枚举字段需要至少一个允许的取值",
                           "an enum field needs at least one allowed value");
  }
  if (!is_enum && !definition.allowed_values.empty()) {
    return DefinitionError(definition, "只有枚举字段可以列出允许的取值",
                           "only an enum field may list allowed values");
  }

  std::set<std::string_view> seen;
  for (const std::string& value : definition.allowed_values) {
    if (value.empty()) {
      return DefinitionError(definition, "允许的取值不能为空字符串",
                             "an allowed value cannot be empty");
    }
    if (!seen.insert(value).second) {
      return DefinitionError(definition, fmt::format("允许的取值 '{}' 重复", value),
                             fmt::format("allowed value '{}' is listed twice", value));
    }
  }
  return OkStatus();
}

}  // namespace

bool CustomFieldDefinition::operator==(const CustomFieldDefinition& other) const {
  return entity == other.entity && name == other.name && type == other.type &&
         required == other.required && allowed_values == other.allowed_values &&
         target == other.target && label.zh == other.label.zh && label.en == other.label.en;
}

Status ValidateDefinition(const CustomFieldDefinition& definition) {
  if (!IsValidFieldName(definition.name)) {
    return DefinitionError(
        definition, "名称无效；请以小写字母开头，只用小写字母、数字和下划线，最长 64 字节",
        "invalid name; start with a lower-case letter and use only a-z, 0-9 and '_', at most 64 "
        "bytes");
  }
  if (FindBuiltInField(definition.entity, definition.name) != nullptr) {
    return DefinitionError(definition, "与内置字段同名；请换一个名称",
                           "the name is a built-in field; choose another name");
  }

  SR_RETURN_IF_ERROR(ValidateEnumList(definition));

  bool is_reference = definition.type == FieldType::kReference;
  if (is_reference != definition.target.has_value()) {
    return DefinitionError(definition, "引用字段必须且只有引用字段才能指定目标实体",
                           "a reference field needs a target kind, and only a reference field "
                           "may have one");
  }
  if (definition.label.zh.empty()) {
    return DefinitionError(definition, "缺少中文标签", "the Chinese label is missing");
  }
  return OkStatus();
}

Status ValidateCustomValue(const CustomFieldDefinition& definition, const Value& value) {
  if (IsNull(value)) {
    if (definition.required) {
      return DefinitionError(definition, "必填字段不能为空", "the field is required and cannot be null");
    }
    return OkStatus();
  }

  if (!ValueFitsType(value, definition.type)) {
    return DefinitionError(
        definition,
        fmt::format("值 '{}' 不是 {} 类型", DescribeValue(value), FieldTypeName(definition.type)),
        fmt::format("value '{}' is not of type {}", DescribeValue(value),
                    FieldTypeName(definition.type)));
  }

  if (definition.type == FieldType::kEnum) {
    const auto& text = std::get<std::string>(value);
    const auto& allowed = definition.allowed_values;
    if (std::find(allowed.begin(), allowed.end(), text) == allowed.end()) {
      return DefinitionError(
          definition,
          fmt::format("值 '{}' 不在允许的取值中；可用：{}", text, JoinValues(allowed)),
          fmt::format("value '{}' is not allowed; allowed values: {}", text, JoinValues(allowed)));
    }
  }

  if (const auto* money = std::get_if<Money>(&value); money && !IsCurrencyCode(money->currency)) {
    return DefinitionError(
        definition, fmt::format("货币代码 '{}' 无效；请使用 ISO 4217 代码，如 CNY", money->currency),
        fmt::format("invalid currency code '{}'; use an ISO 4217 code such as CNY",
                    money->currency));
  }

  if (const auto* ref = std::get_if<Reference>(&value);
      ref && ref->id <= 0 && ref->external_id.empty()) {
    return DefinitionError(definition, "引用既没有 id 也没有外部 id；要清空请写入空值",
                           "the reference has neither an id nor an external id; write Null to "
                           "clear it");
  }
  return OkStatus();
}

}  // namespace salesradar::model
