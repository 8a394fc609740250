// Custom field definitions and their typed values.
#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "store/sqlite/sqlite_store.h"

namespace salesradar::store::sqlite {
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

Result<CustomFieldDefinition> ReadDefinition(const Statement& row) {
  CustomFieldDefinition definition;
  SR_ASSIGN_OR_RETURN(definition.entity, model::ParseEntityKind(row.Text(1)));
  definition.name = row.Text(2);
  SR_ASSIGN_OR_RETURN(definition.type, model::ParseFieldType(row.Text(3)));
  definition.required = row.Int(4) != 0;

  nlohmann::json allowed = nlohmann::json::parse(row.Text(5), nullptr, /*allow_exceptions=*/false);
  if (allowed.is_array()) {
    for (const auto& value : allowed) {
      if (value.is_string()) {
        definition.allowed_values.push_back(value.get<std::string>());
      }
    }
  }
  if (!row.IsNull(6)) {
    SR_ASSIGN_OR_RETURN(definition.target, model::ParseEntityKind(row.Text(6)));
  }
  definition.label = {row.Text(7), row.Text(8)};
  return definition;
}

}  // namespace

Status SqliteStore::ForgetDefinitionsChangedElsewhere() {
  SR_ASSIGN_OR_RETURN(StatementLease pragma, connection_->Cached("PRAGMA data_version"));
  SR_ASSIGN_OR_RETURN(bool has_row, pragma->Step());
  if (!has_row) {
    return OkStatus();
  }
  int64_t data_version = pragma->Int(0);
  if (data_version != definitions_data_version_) {
    definitions_.clear();
    definitions_data_version_ = data_version;
  }
  return OkStatus();
}

Result<const std::vector<StoredDefinition>*> SqliteStore::Definitions(EntityKind kind) {
  // Begin checks for a transaction, and this connection's own changes keep the cache right
  // (PutCustomFieldDefinition drops the kind it changes). Callers hold the returned pointer only
  // until their next call here.
  if (!in_transaction_) {
    SR_RETURN_IF_ERROR(ForgetDefinitionsChangedElsewhere());
  }

  if (auto cached = definitions_.find(kind); cached != definitions_.end()) {
    return &cached->second;
  }

  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached("SELECT id, entity, name, type, required,"
                                          " allowed_values, target, label_zh, label_en"
                                          " FROM custom_field_definitions"
                                          " WHERE entity = ? ORDER BY name"));
  select->BindText(1, model::EntityKindName(kind));
  std::vector<StoredDefinition> definitions;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) {
      break;
    }
    Result<CustomFieldDefinition> definition = ReadDefinition(*select);
    if (!definition.ok()) {
      Error error = definition.error();
      return Error(ErrorCode::kDataLoss, error.message_zh(), error.message_en())
          .Wrap("自定义字段定义表中有无法识别的数据", "unreadable custom field definition");
    }
    definitions.push_back({select->Int(0), std::move(*definition)});
  }
  return &(definitions_[kind] = std::move(definitions));
}

Result<std::vector<CustomFieldDefinition>> SqliteStore::CustomFieldDefinitions(EntityKind kind) {
  SR_ASSIGN_OR_RETURN(const std::vector<StoredDefinition>* stored, Definitions(kind));
  std::vector<CustomFieldDefinition> definitions;
  for (const StoredDefinition& entry : *stored) {
    definitions.push_back(entry.definition);
  }
  return definitions;
}

Status SqliteStore::PutCustomFieldDefinition(const CustomFieldDefinition& definition) {
  SR_RETURN_IF_ERROR(model::ValidateDefinition(definition));

  return WithTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(const std::vector<StoredDefinition>* stored,
                        Definitions(definition.entity));
    auto old = std::find_if(stored->begin(), stored->end(), [&](const StoredDefinition& entry) {
      return entry.definition.name == definition.name;
    });
    if (old != stored->end()) {
      SR_RETURN_IF_ERROR(CheckDefinitionChange(*old, definition));
    }

    SR_ASSIGN_OR_RETURN(
        StatementLease upsert,
        connection_->Cached(
            "INSERT INTO custom_field_definitions (entity, name, type, required, allowed_values,"
            " target, label_zh, label_en, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (entity, name) DO UPDATE SET type = excluded.type,"
            " required = excluded.required, allowed_values = excluded.allowed_values,"
            " target = excluded.target, label_zh = excluded.label_zh,"
            " label_en = excluded.label_en, updated_at = excluded.updated_at"));
    int64_t now = ToUnixMicros(Now());
    upsert->BindText(1, model::EntityKindName(definition.entity));
    upsert->BindText(2, definition.name);
    upsert->BindText(3, model::FieldTypeName(definition.type));
    upsert->BindInt(4, definition.required ? 1 : 0);
    upsert->BindText(5, nlohmann::json(definition.allowed_values).dump());
    if (definition.target) {
      upsert->BindText(6, model::EntityKindName(*definition.target));
    } else {
      upsert->BindNull(6);
    }
    upsert->BindText(7, definition.label.zh);
    upsert->BindText(8, definition.label.en);
    upsert->BindInt(9, now);
    upsert->BindInt(10, now);
    SR_RETURN_IF_ERROR(upsert->Run());

    // NOTE: PutCustomFieldDefinition takes no AuditContext yet, so the actor is "system".
    nlohmann::json after{{"type", model::FieldTypeName(definition.type)},
                         {"required", definition.required},
                         {"allowed_values", definition.allowed_values}};
    AuditEvent event{old != stored->end() ? "update" : "create", "custom_field",
                     fmt::format("{}.{}", model::EntityKindName(definition.entity),
                                 definition.name),
                     std::nullopt, after.dump()};
    SR_RETURN_IF_ERROR(WriteAuditRow(event, AuditContext::System()));

    definitions_.erase(definition.entity);
    logger_->info("custom field {}.{}: definition saved as {}",
                          model::EntityKindName(definition.entity), definition.name,
                          model::FieldTypeName(definition.type));
    return OkStatus();
  });
}

Status SqliteStore::CheckDefinitionChange(const StoredDefinition& old_definition,
                                          const CustomFieldDefinition& new_definition) {
  const CustomFieldDefinition& old = old_definition.definition;
  bool retyped = old.type != new_definition.type || old.target != new_definition.target;

  std::set<std::string> dropped;
  for (const std::string& value : old.allowed_values) {
    auto& allowed = new_definition.allowed_values;
    if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
      dropped.insert(value);
    }
  }
  if (!retyped && dropped.empty()) {
    return OkStatus();
  }

  SR_ASSIGN_OR_RETURN(StatementLease values,
                      connection_->Cached("SELECT string_value FROM custom_field_values"
                                          " WHERE field_id = ?"));
  values->BindInt(1, old_definition.id);
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, values->Step());
    if (!has_row) {
      return OkStatus();
    }
    if (retyped) {
      return DefinitionConflict(new_definition, "已有数据，不能修改类型或引用目标；请新建一个字段",
                                "it already has stored values, so its type and target cannot "
                                "change; define a new field instead");
    }
    std::string value = values->Text(0);
    if (dropped.contains(value)) {
      return DefinitionConflict(
          new_definition,
          fmt::format("取值 '{}' 仍被使用，不能从允许的取值中删除", value),
          fmt::format("value '{}' is still in use, so it cannot be removed from the allowed "
                      "values",
                      value));
    }
  }
}

Result<model::FieldMap> SqliteStore::LoadCustomValues(EntityKind kind, int64_t entity_id) {
  SR_ASSIGN_OR_RETURN(const std::vector<StoredDefinition>* definitions, Definitions(kind));
  model::FieldMap values;
  if (definitions->empty()) {
    return values;
  }

  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached("SELECT v.field_id, v.string_value, v.int_value,"
                                          " v.money_fen, v.money_currency, v.date_value,"
                                          " v.timestamp_value, v.bool_value, v.reference_id"
                                          " FROM custom_field_values v"
                                          " JOIN custom_field_definitions d ON d.id = v.field_id"
                                          " WHERE d.entity = ? AND v.entity_id = ?"));
  select->BindText(1, model::EntityKindName(kind));
  select->BindInt(2, entity_id);
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) {
      return values;
    }
    int64_t field_id = select->Int(0);
    for (const StoredDefinition& stored : *definitions) {
      if (stored.id != field_id) {
        continue;
      }
      int column = 1 + FirstValueColumn(stored.definition.type);
      values.emplace(stored.definition.name,
                     ReadFieldValue(*select, &column, stored.definition.type));
    }
  }
}

Status SqliteStore::WriteCustomValue(const StoredDefinition& stored, int64_t entity_id,
                                     const Value& value) {
  if (model::IsNull(value)) {
    SR_ASSIGN_OR_RETURN(StatementLease remove,
                        connection_->Cached("DELETE FROM custom_field_values"
                                            " WHERE field_id = ? AND entity_id = ?"));
    remove->BindInt(1, stored.id);
    remove->BindInt(2, entity_id);
    return remove->Run();
  }

  SR_ASSIGN_OR_RETURN(
      StatementLease upsert,
      connection_->Cached(
          "INSERT OR REPLACE INTO custom_field_values (field_id, entity_id, string_value,"
          " int_value, money_fen, money_currency, date_value, timestamp_value, bool_value,"
          " reference_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  upsert->BindInt(1, stored.id);
  upsert->BindInt(2, entity_id);
  for (int i = 0; i < kValueColumns; ++i) {
    upsert->BindNull(3 + i);
  }
  int index = 3 + FirstValueColumn(stored.definition.type);
  BindFieldValue(*upsert, &index, stored.definition.type, value);
  return upsert->Run();
}

}  // namespace salesradar::store::sqlite
