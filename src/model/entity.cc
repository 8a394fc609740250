#include "model/entity.h"

#include <nlohmann/json.hpp>
#include <fmt/format.h>

namespace salesradar::model {
namespace {

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

std::string JoinValues(std::span<const std::string_view> values) {
  std::string out;
  for (std::string_view value : values) {
    if (!out.empty()) {
      out += ", ";
    }
    out += value;
  }
  return out;
}

// Builds "<kind> '<external id>': field '<name>': <reason>" in both languages.
Error FieldError(const Record& record, std::string_view field, const std::string& reason_zh,
                 const std::string& reason_en) {
  LocalizedText kind = EntityKindLabel(record.kind);
  return InvalidArgument(
      fmt::format("{} '{}' 的字段 '{}'：{}", kind.zh, record.external_id, field, reason_zh),
      fmt::format("{} '{}': field '{}': {}", kind.en, record.external_id, field, reason_en));
}

Status CheckValue(const Record& record, const FieldSpec& spec, const Value& value) {
  if (!ValueFitsType(value, spec.type)) {
    return FieldError(record, spec.name,
                      fmt::format("值 '{}' 不是 {} 类型", DescribeValue(value),
                                  FieldTypeName(spec.type)),
                      fmt::format("value '{}' is not of type {}", DescribeValue(value),
                                  FieldTypeName(spec.type)));
  }
  if (IsNull(value)) {
    return OkStatus();
  }

  if (spec.type == FieldType::kEnum) {
    const auto& text = std::get<std::string>(value);
    bool allowed = false;
    for (std::string_view candidate : spec.allowed_values) {
      allowed = allowed || candidate == text;
    }
    if (!allowed) {
      return FieldError(record, spec.name,
                        fmt::format("值 '{}' 不在允许的取值中；可用：{}", text,
                                    JoinValues(spec.allowed_values)),
                        fmt::format("value '{}' is not allowed; allowed values: {}", text,
                                    JoinValues(spec.allowed_values)));
    }
  }

  if (const auto* money = std::get_if<Money>(&value)) {
    if (!IsCurrencyCode(money->currency)) {
      return FieldError(record, spec.name,
                        fmt::format("货币代码 '{}' 无效；请使用 ISO 4217 代码，如 CNY",
                                    money->currency),
                        fmt::format("invalid currency code '{}'; use an ISO 4217 code such as CNY",
                                    money->currency));
    }
  }

  bool negative = (std::holds_alternative<int64_t>(value) && std::get<int64_t>(value) < 0) ||
                  (std::holds_alternative<Money>(value) && std::get<Money>(value).fen < 0);
  if (spec.non_negative && negative) {
    return FieldError(record, spec.name,
                      fmt::format("值 '{}' 为负数；该字段必须大于或等于 0", DescribeValue(value)),
                      fmt::format("value '{}' is negative; it must be 0 or more",
                                  DescribeValue(value)));
  }

  if (const auto* ref = std::get_if<Reference>(&value)) {
    if (ref->id <= 0 && ref->external_id.empty()) {
      return FieldError(record, spec.name, "引用既没有 id 也没有外部 id；要清空请写入空值",
                        "the reference has neither an id nor an external id; write Null to "
                        "clear it");
    }
  }
  return OkStatus();
}

// Checks the fields whose meaning goes beyond their type: an activity's subject and payload.
Status CheckActivityFields(const Record& record) {
  auto subject = record.fields.find("subject_type");
  if (subject != record.fields.end() && !IsNull(subject->second)) {
    const auto& name = std::get<std::string>(subject->second);
    if (!ParseEntityKind(name).ok()) {
      return FieldError(record, "subject_type",
                        fmt::format("'{}' 不是实体类型；可用：lead、opportunity、account 等", name),
                        fmt::format("'{}' is not an entity kind; use lead, opportunity, account or "
                                    "another kind name",
                                    name));
    }
  }

  auto payload = record.fields.find("payload");
  if (payload != record.fields.end() && !IsNull(payload->second)) {
    const auto& text = std::get<std::string>(payload->second);
    if (!nlohmann::json::accept(text)) {
      return FieldError(record, "payload", "内容不是有效的 JSON", "the text is not valid JSON");
    }
  }
  return OkStatus();
}

}  // namespace

std::string_view EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kOrgUnit: return "org_unit";
    case EntityKind::kUser: return "user";
    case EntityKind::kAccount: return "account";
    case EntityKind::kContact: return "contact";
    case EntityKind::kProduct: return "product";
    case EntityKind::kLead: return "lead";
    case EntityKind::kOpportunity: return "opportunity";
    case EntityKind::kActivity: return "activity";
  }
  return "account";
}

Result<EntityKind> ParseEntityKind(std::string_view name) {
  for (EntityKind kind : AllEntityKinds()) {
    if (EntityKindName(kind) == name) {
      return kind;
    }
  }
  return InvalidArgument(
      fmt::format("未知的实体类型 '{}'；可用：org_unit、user、account、contact、product、lead、"
                  "opportunity、activity",
                  name),
      fmt::format("unknown entity kind '{}'; use org_unit, user, account, contact, product, lead, "
                  "opportunity or activity",
                  name));
}

LocalizedText EntityKindLabel(EntityKind kind) {
  switch (kind) {
    case EntityKind::kOrgUnit: return {"组织单元", "org unit"};
    case EntityKind::kUser: return {"用户", "user"};
    case EntityKind::kAccount: return {"客户", "account"};
    case EntityKind::kContact: return {"联系人", "contact"};
    case EntityKind::kProduct: return {"产品", "product"};
    case EntityKind::kLead: return {"线索", "lead"};
    case EntityKind::kOpportunity: return {"商机", "opportunity"};
    case EntityKind::kActivity: return {"活动", "activity"};
  }
  return {"客户", "account"};
}

Result<std::string> CanonicalEnumValue(const FieldSpec& spec, std::string_view text) {
  std::string_view trimmed = TrimSpaces(text);
  for (std::string_view candidate : spec.allowed_values) {
    if (EqualsIgnoreAsciiCase(trimmed, candidate)) {
      return std::string(candidate);
    }
  }
  return InvalidArgument(
      fmt::format("字段 '{}' 的值 '{}' 不在允许的取值中；可用：{}", spec.name, text,
                  JoinValues(spec.allowed_values)),
      fmt::format("field '{}': value '{}' is not allowed; allowed values: {}", spec.name, text,
                  JoinValues(spec.allowed_values)));
}

Status ValidateBuiltInFields(const Record& record, bool is_insert) {
  LocalizedText kind = EntityKindLabel(record.kind);
  if (record.external_id.empty()) {
    return InvalidArgument(fmt::format("{}缺少外部 id；每条记录都需要非空的外部 id", kind.zh),
                           fmt::format("{} has an empty external id; every record needs one",
                                       kind.en));
  }

  for (const auto& [name, value] : record.fields) {
    const FieldSpec* spec = FindBuiltInField(record.kind, name);
    if (spec == nullptr) {
      return FieldError(record, name, "没有这个内置字段；自定义字段请放在 custom_fields 中",
                        "no such built-in field; put custom fields in custom_fields");
    }
    SR_RETURN_IF_ERROR(CheckValue(record, *spec, value));
    if (spec->required && IsNull(value)) {
      return FieldError(record, name, "必填字段不能为空", "the field is required and cannot be null");
    }
  }

  if (is_insert) {
    for (const FieldSpec& spec : BuiltInFields(record.kind)) {
      if (spec.required && !record.fields.contains(spec.name)) {
        return FieldError(record, spec.name, "缺少必填字段", "the required field is missing");
      }
    }
  }

  if (record.kind == EntityKind::kActivity) {
    SR_RETURN_IF_ERROR(CheckActivityFields(record));
  }
  return OkStatus();
}

}  // namespace salesradar::model
