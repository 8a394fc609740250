#include "store/postgres/pg_custom_fields.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/postgres/pg_columns.h"

namespace salesradar::store::postgres {
namespace {

using model::CustomFieldDefinition;
using model::EntityKind;
using model::FieldType;
using model::Value;

// The typed columns of custom_field_values, in this order after field_id and entity_id:
// string_value, int_value, money_fen, money_currency, date_value, timestamp_value, bool_value,
// reference_id. Returns the position of the first column that `type` uses.
int FirstValueColumn(FieldType type) {
  switch (type) {
    case FieldType::kString:
    case FieldType::kEnum: return 0;
    case FieldType::kInt: return 1;
    case FieldType::kMoney: return 2;
    case FieldType::kDate: return 4;
    case FieldType::kTimestamp: return 5;
    case FieldType::kBool: return 6;
    case FieldType::kReference: return 7;
  }
  return 0;
}

constexpr int kValueColumns = 8;

Error DefinitionConflict(const CustomFieldDefinition& definition, const std::string& reason_zh,
                         const std::string& reason_en) {
  LocalizedText kind = model::EntityKindLabel(definition.entity);
  return Error(ErrorCode::kFailedPrecondition,
               fmt::format("{}的自定义字段 '{}'：{}", kind.zh, definition.name, reason_zh),
               fmt::format("custom field '{}' of {}: {}", definition.name, kind.en, reason_en));
}

// Reads row `row` of the definitions query in LoadDefinitions.
Result<CustomFieldDefinition> ReadDefinition(const PgResult& result, int row) {
  CustomFieldDefinition definition;
  SR_ASSIGN_OR_RETURN(definition.entity, model::ParseEntityKind(result.Text(row, 1)));
  definition.name = std::string(result.Text(row, 2));
  SR_ASSIGN_OR_RETURN(definition.type, model::ParseFieldType(result.Text(row, 3)));
  definition.required = result.Bool(row, 4);

  nlohmann::json allowed =
      nlohmann::json::parse(result.Text(row, 5), nullptr, /*allow_exceptions=*/false);
  if (allowed.is_array()) {
    for (const auto& value : allowed) {
      if (value.is_string()) {
        definition.allowed_values.push_back(value.get<std::string>());
      }
    }
  }
  if (!result.IsNull(row, 6)) {
    SR_ASSIGN_OR_RETURN(definition.target, model::ParseEntityKind(result.Text(row, 6)));
  }
  definition.label = {std::string(result.Text(row, 7)), std::string(result.Text(row, 8))};
  return definition;
}

}  // namespace

Result<std::vector<StoredDefinition>> LoadDefinitions(PgConnection& connection, EntityKind kind) {
  PgParams params;
  params.AddText(model::EntityKindName(kind));
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection.Query("SELECT id, entity, name, type, required, allowed_values,"
                                       " target, label_zh, label_en"
                                       " FROM custom_field_definitions"
                                       " WHERE entity = $1 ORDER BY name COLLATE \"C\"",
                                       params, "read custom field definitions"));

  std::vector<StoredDefinition> definitions;
  for (int row = 0; row < result.rows(); ++row) {
    Result<CustomFieldDefinition> definition = ReadDefinition(result, row);
    if (!definition.ok()) {
      Error error = definition.error();
      return Error(ErrorCode::kDataLoss, error.message_zh(), error.message_en())
          .Wrap("自定义字段定义表中有无法识别的数据", "unreadable custom field definition");
    }
    definitions.push_back({result.Int(row, 0), std::move(*definition)});
  }
  return definitions;
}

Result<std::map<int64_t, model::FieldMap>> LoadCustomValues(
    PgConnection& connection, std::span<const StoredDefinition> definitions,
    std::span<const int64_t> entity_ids) {
  std::map<int64_t, model::FieldMap> values;
  if (definitions.empty() || entity_ids.empty()) {
    return values;
  }

  std::vector<int64_t> field_ids;
  for (const StoredDefinition& stored : definitions) {
    field_ids.push_back(stored.id);
  }
  PgParams params;
  params.AddText(ArrayLiteral(field_ids));
  params.AddText(ArrayLiteral(entity_ids));
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection.Query("SELECT field_id, entity_id, string_value, int_value,"
                                       " money_fen, money_currency, date_value, timestamp_value,"
                                       " bool_value, reference_id FROM custom_field_values"
                                       " WHERE field_id = ANY($1::bigint[])"
                                       " AND entity_id = ANY($2::bigint[])",
                                       params, "read custom field values"));

  for (int row = 0; row < result.rows(); ++row) {
    int64_t field_id = result.Int(row, 0);
    auto stored = std::find_if(definitions.begin(), definitions.end(),
                               [&](const StoredDefinition& d) { return d.id == field_id; });
    const model::CustomFieldDefinition& definition = stored->definition;
    int column = 2 + FirstValueColumn(definition.type);
    values[result.Int(row, 1)].emplace(definition.name,
                                       ReadFieldValue(result, row, &column, definition.type));
  }
  return values;
}

void AppendCustomValueWrite(std::vector<PgCommand>* commands, const StoredDefinition& stored,
                            int64_t entity_id, const Value& value) {
  PgCommand command;
  command.params.AddInt(stored.id);
  command.params.AddInt(entity_id);
  if (model::IsNull(value)) {
    command.sql = "DELETE FROM custom_field_values WHERE field_id = $1 AND entity_id = $2";
    command.operation = fmt::format("clear custom field '{}'", stored.definition.name);
    commands->push_back(std::move(command));
    return;
  }

  command.sql =
      "INSERT INTO custom_field_values (field_id, entity_id, string_value, int_value, money_fen,"
      " money_currency, date_value, timestamp_value, bool_value, reference_id)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
      " ON CONFLICT (field_id, entity_id) DO UPDATE SET string_value = excluded.string_value,"
      " int_value = excluded.int_value, money_fen = excluded.money_fen,"
      " money_currency = excluded.money_currency, date_value = excluded.date_value,"
      " timestamp_value = excluded.timestamp_value, bool_value = excluded.bool_value,"
      " reference_id = excluded.reference_id";
  command.operation = fmt::format("write custom field '{}'", stored.definition.name);

  // Every typed column is NULL except those of the definition's type.
  int first = FirstValueColumn(stored.definition.type);
  for (int i = 0; i < first; ++i) {
    command.params.AddNull();
  }
  AddFieldParams(&command.params, stored.definition.type, value);
  while (command.params.size() < 2 + kValueColumns) {
    command.params.AddNull();
  }
  commands->push_back(std::move(command));
}

Status CheckDefinitionChange(PgConnection& connection, const StoredDefinition& old_definition,
                             const CustomFieldDefinition& new_definition) {
  const CustomFieldDefinition& old = old_definition.definition;
  bool retyped = old.type != new_definition.type || old.target != new_definition.target;

  std::vector<std::string> dropped;
  for (const std::string& value : old.allowed_values) {
    auto& allowed = new_definition.allowed_values;
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      dropped.push_back(value);
    }
  }
  if (!retyped && dropped.empty()) {
    return OkStatus();
  }

  if (retyped) {
    PgParams params;
    params.AddInt(old_definition.id);
    SR_ASSIGN_OR_RETURN(PgResult any,
                        connection.Query("SELECT 1 FROM custom_field_values WHERE field_id = $1"
                                         " LIMIT 1",
                                         params, "check custom field values"));
    if (any.rows() > 0) {
      return DefinitionConflict(new_definition,
                                "已有数据，不能修改类型或引用目标；请新建一个字段",
                                "it already has stored values, so its type and target cannot "
                                "change; define a new field instead");
    }
    return OkStatus();
  }

  PgParams params;
  params.AddInt(old_definition.id);
  params.AddText(ArrayLiteral(dropped));
  SR_ASSIGN_OR_RETURN(PgResult in_use,
                      connection.Query("SELECT string_value FROM custom_field_values"
                                       " WHERE field_id = $1 AND string_value = ANY($2::text[])"
                                       " ORDER BY string_value LIMIT 1",
                                       params, "check custom field values"));
  if (in_use.rows() > 0) {
    std::string value(in_use.Text(0, 0));
    return DefinitionConflict(
        new_definition, fmt::format("取值 '{}' 仍被使用，不能从允许的取值中删除", value),
        fmt::format("value '{}' is still in use, so it cannot be removed from the allowed values",
                    value));
  }
  return OkStatus();
}

Status SaveDefinition(PgConnection& connection, const CustomFieldDefinition& definition,
                      Timestamp now) {
  PgParams params;
  params.AddText(model::EntityKindName(definition.entity));
  params.AddText(definition.name);
  params.AddText(model::FieldTypeName(definition.type));
  params.AddBool(definition.required);
  params.AddText(nlohmann::json(definition.allowed_values).dump());
  if (definition.target) {
    params.AddText(model::EntityKindName(*definition.target));
  } else {
    params.AddNull();
  }
  params.AddText(definition.label.zh);
  params.AddText(definition.label.en);
  params.AddInt(ToUnixMicros(now));

  SR_ASSIGN_OR_RETURN(
      PgResult saved,
      connection.Query(
          "INSERT INTO custom_field_definitions (entity, name, type, required, allowed_values,"
          " target, label_zh, label_en, created_at, updated_at)"
          " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
          " ON CONFLICT (entity, name) DO UPDATE SET type = excluded.type,"
          " required = excluded.required, allowed_values = excluded.allowed_values,"
          " target = excluded.target, label_zh = excluded.label_zh,"
          " label_en = excluded.label_en, updated_at = excluded.updated_at",
          params, "save a custom field definition"));
  return OkStatus();
}

}  // namespace salesradar::store::postgres
