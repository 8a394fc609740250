// Parsing of one field entry of a mapping file.
#include <cctz/time_zone.h>

#include <fmt/format.h>

#include "ingest/mapping_yaml.h"
#include "ingest/money_parse.h"
#include "ingest/suggest.h"
#include "model/money.h"

namespace salesradar::ingest::mapping_yaml {
namespace {

using model::FieldType;

std::vector<std::string> FieldNames(model::EntityKind entity) {
  std::vector<std::string> names;
  for (const model::FieldSpec& spec : model::BuiltInFields(entity)) {
    names.emplace_back(spec.name);
  }
  return names;
}

Error UnknownFieldError(const Context& context, const YAML::Node& key_node,
                        model::EntityKind entity, const std::string& name) {
  std::vector<std::string> names = FieldNames(entity);
  std::string nearest = NearestName(name, names);
  std::string_view kind = model::EntityKindName(entity);
  std::string hint_zh = nearest.empty() ? "" : fmt::format("，是否想写 '{}'", nearest);
  std::string hint_en = nearest.empty() ? "" : fmt::format("; did you mean '{}'?", nearest);
  return context.At(
      key_node,
      fmt::format("{} 没有字段 '{}'{}；内置字段：{}；自定义字段请写在 custom_fields 下", kind, name,
                  hint_zh, JoinNames(names)),
      fmt::format("unknown field '{}' of {}{} (built-in fields: {}); declare other "
                  "fields under custom_fields",
                  name, kind, hint_en, JoinNames(names)));
}

// Fills the type information of `mapping` from the built-in schema or the custom definition.
Status ReadFieldType(const Context& context, model::EntityKind entity, const YAML::Node& node,
                     bool custom, FieldMapping& mapping, model::CustomFieldDefinition* definition) {
  if (!custom) {
    const model::FieldSpec* spec = model::FindBuiltInField(entity, mapping.field);
    if (spec == nullptr) {
      return UnknownFieldError(context, node, entity, mapping.field);
    }
    mapping.type = spec->type;
    mapping.target = spec->target;
    mapping.non_negative = spec->non_negative;
    mapping.required = spec->required;
    for (std::string_view value : spec->allowed_values) {
      mapping.allowed_values.emplace_back(value);
    }
    return OkStatus();
  }

  if (!node["type"]) {
    return context.At(node, fmt::format("自定义字段 '{}' 缺少 type", mapping.field),
                      fmt::format("custom field '{}' needs a type", mapping.field));
  }
  SR_ASSIGN_OR_RETURN(std::string type_name, ReadString(context, node["type"], "type"));
  Result<FieldType> type = model::ParseFieldType(type_name);
  if (!type.ok()) {
    return context.At(node["type"], type.error().message_zh(), type.error().message_en());
  }
  mapping.type = *type;

  definition->entity = entity;
  definition->name = mapping.field;
  definition->type = *type;
  if (node["allowed_values"]) {
    SR_ASSIGN_OR_RETURN(definition->allowed_values,
                        ReadStringList(context, node["allowed_values"], "allowed_values"));
    mapping.allowed_values = definition->allowed_values;
  }
  if (node["target"]) {
    SR_ASSIGN_OR_RETURN(std::string target, ReadString(context, node["target"], "target"));
    Result<model::EntityKind> kind = model::ParseEntityKind(target);
    if (!kind.ok()) {
      return context.At(node["target"], kind.error().message_zh(), kind.error().message_en());
    }
    definition->target = *kind;
    mapping.target = *kind;
  }
  definition->label.zh = mapping.field;
  if (node["label"]) {
    SR_ASSIGN_OR_RETURN(definition->label.zh, ReadString(context, node["label"], "label"));
  }
  if (node["label_en"]) {
    SR_ASSIGN_OR_RETURN(definition->label.en, ReadString(context, node["label_en"], "label_en"));
  }
  Status valid = model::ValidateDefinition(*definition);
  if (!valid.ok()) {
    return context.At(node, valid.error().message_zh(), valid.error().message_en());
  }
  return OkStatus();
}

// Reads exactly one of column, template and value.
Status ReadSource(const Context& context, const YAML::Node& node, FieldMapping& mapping) {
  int source_count =
      (node["column"] ? 1 : 0) + (node["template"] ? 1 : 0) + (node["value"] ? 1 : 0);
  if (source_count != 1) {
    return context.At(
        node, fmt::format("字段 '{}' 需要 column、template、value 三者之一", mapping.field),
        fmt::format("field '{}' needs exactly one of column, template and value", mapping.field));
  }
  if (node["value"]) {
    mapping.source.kind = ValueSource::Kind::kConstant;
    SR_ASSIGN_OR_RETURN(mapping.source.text, ReadString(context, node["value"], "value"));
    return OkStatus();
  }
  bool is_template = static_cast<bool>(node["template"]);
  SR_ASSIGN_OR_RETURN(
      mapping.source,
      ParseValueSource(context, is_template ? node["template"] : node["column"],
                       is_template ? ValueSource::Kind::kTemplate : ValueSource::Kind::kColumn));
  return OkStatus();
}

// Rejects an option that does not apply to the field's type.
Status CheckOptionFits(const Context& context, const YAML::Node& node, std::string_view key,
                       bool fits, const FieldMapping& mapping) {
  if (!node[std::string(key)] || fits) {
    return OkStatus();
  }
  std::string_view type = model::FieldTypeName(mapping.type);
  return context.At(
      node[std::string(key)],
      fmt::format("'{}' 不适用于 {} 类型的字段 '{}'", key, type, mapping.field),
      fmt::format("'{}' does not apply to field '{}' of type {}", key, mapping.field, type));
}

Status ReadTypeOptions(const Context& context, const YAML::Node& node, FieldMapping& mapping) {
  bool is_date = mapping.type == FieldType::kDate || mapping.type == FieldType::kTimestamp;
  bool is_money = mapping.type == FieldType::kMoney;
  bool is_reference = mapping.type == FieldType::kReference;
  SR_RETURN_IF_ERROR(CheckOptionFits(context, node, "formats", is_date, mapping));
  SR_RETURN_IF_ERROR(
      CheckOptionFits(context, node, "time_zone", mapping.type == FieldType::kTimestamp, mapping));
  SR_RETURN_IF_ERROR(CheckOptionFits(context, node, "currency", is_money, mapping));
  SR_RETURN_IF_ERROR(CheckOptionFits(context, node, "unit", is_money, mapping));
  SR_RETURN_IF_ERROR(CheckOptionFits(context, node, "by", is_reference, mapping));

  if (node["formats"]) {
    SR_ASSIGN_OR_RETURN(auto patterns, ReadStringList(context, node["formats"], "formats"));
    for (const std::string& pattern : patterns) {
      Result<DateFormat> format = DateFormat::Parse(pattern);
      if (!format.ok()) {
        return context.At(node["formats"], format.error().message_zh(),
                          format.error().message_en());
      }
      mapping.date_formats.push_back(std::move(format).value());
    }
  } else if (is_date) {
    mapping.date_formats = DefaultDateFormats();
  }

  if (node["time_zone"]) {
    SR_ASSIGN_OR_RETURN(mapping.time_zone, ReadString(context, node["time_zone"], "time_zone"));
  }
  cctz::time_zone zone;
  if (mapping.type == FieldType::kTimestamp && !cctz::load_time_zone(mapping.time_zone, &zone)) {
    return context.At(
        node, fmt::format("未知的时区 '{}'；请写 IANA 名称，如 Asia/Shanghai", mapping.time_zone),
        fmt::format("unknown time zone '{}'; use an IANA name such as "
                    "Asia/Shanghai",
                    mapping.time_zone));
  }

  if (node["currency"]) {
    SR_ASSIGN_OR_RETURN(mapping.currency, ReadString(context, node["currency"], "currency"));
    if (!model::IsCurrencyCode(mapping.currency)) {
      return context.At(node["currency"],
                        fmt::format("货币代码 '{}' 无效；请写三个大写字母的 ISO 4217 代码，如 CNY",
                                    mapping.currency),
                        fmt::format("invalid currency '{}'; write an ISO 4217 code of three "
                                    "upper-case letters such as CNY",
                                    mapping.currency));
    }
  }
  if (node["unit"]) {
    SR_ASSIGN_OR_RETURN(std::string unit, ReadString(context, node["unit"], "unit"));
    Result<int> exponent = ParseAmountUnit(unit);
    if (!exponent.ok()) {
      return context.At(node["unit"], exponent.error().message_zh(), exponent.error().message_en());
    }
    mapping.fen_exponent = *exponent;
  }
  return OkStatus();
}

Status ReadReferenceOptions(const Context& context, const YAML::Node& node, FieldMapping& mapping) {
  if (mapping.type != FieldType::kReference) {
    return OkStatus();
  }
  mapping.reference_key =
      model::HasNameField(*mapping.target) ? ReferenceKey::kName : ReferenceKey::kExternalId;
  if (node["by"]) {
    SR_ASSIGN_OR_RETURN(std::string by, ReadString(context, node["by"], "by"));
    if (by == "name" && model::HasNameField(*mapping.target)) {
      mapping.reference_key = ReferenceKey::kName;
    } else if (by == "external_id") {
      mapping.reference_key = ReferenceKey::kExternalId;
    } else {
      return context.At(node["by"], fmt::format("by 的值 '{}' 无效；可用：name、external_id", by),
                        fmt::format("invalid 'by' value '{}'; expected name or external_id", by));
    }
  }
  return OkStatus();
}

// Reads `values:` and `nulls:`, normalising their texts the way the field's values are.
Status ReadValueLists(const Context& context, const YAML::Node& node, FieldMapping& mapping) {
  if (node["values"]) {
    const YAML::Node& values = node["values"];
    if (!values.IsMap()) {
      return context.At(values, "values 应为“原值: 新值”的映射",
                        "'values' must map source texts to replacements");
    }
    for (auto it = values.begin(); it != values.end(); ++it) {
      SR_ASSIGN_OR_RETURN(std::string from, ReadString(context, it->first, "values"));
      SR_ASSIGN_OR_RETURN(std::string to, ReadString(context, it->second, "values"));
      mapping.value_map[NormalizeValue(from, mapping.normalize)] = to;
    }
  }
  if (node["nulls"]) {
    SR_ASSIGN_OR_RETURN(auto nulls, ReadStringList(context, node["nulls"], "nulls"));
    for (const std::string& text : nulls) {
      mapping.null_values.push_back(NormalizeValue(text, mapping.normalize));
    }
  }
  return OkStatus();
}

Status ReadRequired(const Context& context, const YAML::Node& node, FieldMapping& mapping,
                    model::CustomFieldDefinition* definition) {
  if (!node["required"]) {
    return OkStatus();
  }
  bool schema_required = mapping.required && !mapping.custom;
  SR_ASSIGN_OR_RETURN(mapping.required, ReadBool(context, node["required"], "required"));
  if (schema_required && !mapping.required) {
    return context.At(
        node["required"],
        fmt::format("字段 '{}' 在模型中是必填的，不能设为 required: false", mapping.field),
        fmt::format("field '{}' is always required by the model; remove "
                    "'required: false'",
                    mapping.field));
  }
  if (definition != nullptr) {
    definition->required = mapping.required;
  }
  return OkStatus();
}

}  // namespace

Result<FieldMapping> ParseFieldMapping(const Context& context, model::EntityKind entity,
                                       const std::string& name, const YAML::Node& node,
                                       const NormalizeSettings& defaults, bool custom,
                                       model::CustomFieldDefinition* definition) {
  FieldMapping mapping;
  mapping.field = name;
  mapping.custom = custom;
  mapping.line = LineOf(node);

  // A bare string is the short form of {column: NAME}.
  YAML::Node short_form(YAML::NodeType::Map);
  if (node.IsScalar() && !custom) {
    short_form["column"] = node;
  }
  const YAML::Node spec = node.IsScalar() && !custom ? short_form : node;
  if (custom) {
    SR_RETURN_IF_ERROR(CheckKeys(context, spec,
                                 {"column", "template", "value", "normalize", "nulls", "values",
                                  "formats", "time_zone", "currency", "unit", "by", "required",
                                  "type", "allowed_values", "target", "label", "label_en"},
                                 fmt::format("custom field '{}'", name)));
  } else {
    SR_RETURN_IF_ERROR(CheckKeys(context, spec,
                                 {"column", "template", "value", "normalize", "nulls", "values",
                                  "formats", "time_zone", "currency", "unit", "by", "required"},
                                 fmt::format("field '{}'", name)));
  }

  if (!custom && model::FindBuiltInField(entity, name) == nullptr) {
    return UnknownFieldError(context, node, entity, name);
  }
  SR_RETURN_IF_ERROR(ReadFieldType(context, entity, spec, custom, mapping, definition));
  SR_RETURN_IF_ERROR(ReadSource(context, spec, mapping));
  NormalizeSettings normalize = defaults;
  if (spec["normalize"]) {
    SR_ASSIGN_OR_RETURN(normalize, ReadNormalize(context, spec["normalize"], defaults));
  }
  bool free_text = mapping.type == FieldType::kString || mapping.type == FieldType::kReference;
  mapping.normalize = normalize.Resolve(free_text);
  SR_RETURN_IF_ERROR(ReadValueLists(context, spec, mapping));
  SR_RETURN_IF_ERROR(ReadTypeOptions(context, spec, mapping));
  SR_RETURN_IF_ERROR(ReadRequired(context, spec, mapping, custom ? definition : nullptr));
  SR_RETURN_IF_ERROR(ReadReferenceOptions(context, spec, mapping));
  return mapping;
}

}  // namespace salesradar::ingest::mapping_yaml
