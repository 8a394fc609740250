// Upsert of one record: load the stored row, validate, resolve references, diff, write.
// Every check runs before the first write, so a rejected record leaves nothing behind.
#include <algorithm>

#include <fmt/format.h>

#include "common/logging.h"
#include "model/custom_field.h"
#include "model/name_key.h"
#include "store/record_json.h"
#include "store/sqlite/sqlite_store.h"

namespace salesradar::store::sqlite {
namespace {

using model::EntityKind;
using model::FieldMap;
using model::Record;
using model::Value;

Error UnresolvedReference(const Record& record, std::string_view field, EntityKind target,
                          const model::Reference& reference) {
  LocalizedText kind = model::EntityKindLabel(record.kind);
  LocalizedText target_label = model::EntityKindLabel(target);
  std::string key = reference.id > 0 ? fmt::format("id {}", reference.id)
                                     : fmt::format("external id '{}'", reference.external_id);
  std::string key_zh = reference.id > 0 ? fmt::format("id 为 {}", reference.id)
                                         : fmt::format("外部 id 为 '{}'", reference.external_id);
  return InvalidArgument(
      fmt::format("{} '{}' 的字段 '{}'：找不到{}的{}；请先导入它，或把该字段留空", kind.zh,
                  record.external_id, field, key_zh, target_label.zh),
      fmt::format("{} '{}': field '{}': no {} with {}; import it first or leave the field empty",
                  kind.en, record.external_id, field, target_label.en, key));
}

// Returns the fields of `requested` whose value differs from `stored` (all of them when there is
// no stored row).
FieldMap ChangedFields(const FieldMap& requested, const FieldMap* stored) {
  if (stored == nullptr) {
    return requested;
  }
  FieldMap changed;
  for (const auto& [name, value] : requested) {
    auto old = stored->find(name);
    bool same = old != stored->end() ? old->second == value : model::IsNull(value);
    if (!same) {
      changed.emplace(name, value);
    }
  }
  return changed;
}

UpsertResult Rejected(Error error) {
  UpsertResult result;
  result.outcome = UpsertOutcome::kRejected;
  result.error = std::move(error);
  return result;
}

// Binds the value of `name` (or NULL) as the name_key parameter.
void BindNameKey(Statement& statement, int index, const FieldMap& fields) {
  auto name = fields.find("name");
  if (name == fields.end() || model::IsNull(name->second)) {
    statement.BindNull(index);
    return;
  }
  statement.BindText(index, model::NameKey(std::get<std::string>(name->second)));
}

// Returns the bit set of the built-in fields of `kind` that `fields` contains, in schema order.
uint64_t FieldMask(EntityKind kind, const FieldMap& fields) {
  uint64_t mask = 0;
  std::span<const model::FieldSpec> specs = model::BuiltInFields(kind);
  for (size_t i = 0; i < specs.size(); ++i) {
    if (fields.contains(specs[i].name)) {
      mask |= uint64_t{1} << i;
    }
  }
  return mask;
}

// Returns the audit event of a write: on insert the external id and every given field after; on
// update the changed fields before and after.
AuditEvent RecordAuditEvent(const Record& record, int64_t id, bool is_insert,
                            const FieldMap& changed, const FieldMap& changed_custom,
                            const FieldMap* stored, const FieldMap& stored_custom) {
  AuditEvent event;
  event.action = is_insert ? "insert" : "update";
  event.entity_kind = std::string(model::EntityKindName(record.kind));
  event.entity_id = std::to_string(id);
  if (is_insert) {
    event.after_json = RecordStateJson(record.external_id, changed, changed_custom);
    return event;
  }

  FieldMap before;
  for (const auto& [name, value] : changed) {
    auto old = stored->find(name);
    before.emplace(name, old != stored->end() ? old->second : Value(model::Null{}));
  }
  FieldMap before_custom;
  for (const auto& [name, value] : changed_custom) {
    auto old = stored_custom.find(name);
    before_custom.emplace(name, old != stored_custom.end() ? old->second : Value(model::Null{}));
  }
  event.before_json = RecordStateJson("", before, before_custom);
  event.after_json = RecordStateJson("", changed, changed_custom);
  return event;
}

}  // namespace

const std::string& SqliteStore::CachedSql(SqlCache* cache, EntityKind kind,
                                          const FieldMap& fields,
                                          const std::function<std::string()>& build) {
  auto key = std::make_pair(kind, FieldMask(kind, fields));
  auto found = cache->find(key);
  if (found == cache->end()) {
    found = cache->emplace(key, build()).first;
  }
  return found->second;
}

Result<UpsertResult> SqliteStore::UpsertOne(const Record& record,
                                            std::vector<AuditEvent>* audit_events) {
  SR_ASSIGN_OR_RETURN(std::optional<StoredRow> stored, LoadRow(record.kind, record.external_id));
  bool is_insert = !stored.has_value();

  // Validation: the built-in schema, references, custom fields. Nothing is written yet.
  Status valid = model::ValidateBuiltInFields(record, is_insert);
  if (!valid.ok()) {
    return Rejected(valid.error());
  }
  std::optional<Error> rejection;
  FieldMap fields = record.fields;
  SR_RETURN_IF_ERROR(ResolveBuiltInReferences(record, &fields, &rejection));
  FieldMap custom = record.custom_fields;
  if (!rejection) {
    SR_RETURN_IF_ERROR(ResolveCustomFields(record, is_insert, &custom, &rejection));
  }
  if (rejection) {
    logger_->debug("{} {}: rejected: {}", model::EntityKindName(record.kind),
                           record.external_id, rejection->ToLogString());
    return Rejected(std::move(*rejection));
  }

  // Diff against the stored row and its custom values.
  FieldMap changed = ChangedFields(fields, is_insert ? nullptr : &stored->fields);
  FieldMap stored_custom;
  if (!is_insert && !custom.empty()) {
    SR_ASSIGN_OR_RETURN(stored_custom, LoadCustomValues(record.kind, stored->id));
  }
  FieldMap changed_custom = ChangedFields(custom, is_insert ? nullptr : &stored_custom);
  if (!is_insert && changed.empty() && changed_custom.empty()) {
    return UpsertResult{UpsertOutcome::kUnchanged, stored->id, std::nullopt};
  }

  // Writes: the row, its custom values, and the stage history of an opportunity.
  int64_t id = 0;
  if (is_insert) {
    SR_ASSIGN_OR_RETURN(id, InsertRow(record, fields));
  } else {
    id = stored->id;
    SR_RETURN_IF_ERROR(UpdateRow(record, id, changed));
  }

  SR_ASSIGN_OR_RETURN(const std::vector<StoredDefinition>* definitions,
                      Definitions(record.kind));
  for (const StoredDefinition& definition : *definitions) {
    auto value = changed_custom.find(definition.definition.name);
    if (value != changed_custom.end()) {
      SR_RETURN_IF_ERROR(WriteCustomValue(definition, id, value->second));
    }
  }

  auto stage = changed.find("stage");
  if (record.kind == EntityKind::kOpportunity && stage != changed.end()) {
    Value from = is_insert ? Value(model::Null{}) : stored->fields.at("stage");
    SR_RETURN_IF_ERROR(AppendStageChange(id, from, stage->second));
  }

  if (audit_events != nullptr) {
    audit_events->push_back(RecordAuditEvent(record, id, is_insert, changed, changed_custom,
                                             is_insert ? nullptr : &stored->fields,
                                             stored_custom));
  }

  UpsertOutcome outcome = is_insert ? UpsertOutcome::kInserted : UpsertOutcome::kUpdated;
  return UpsertResult{outcome, id, std::nullopt};
}

Status SqliteStore::ResolveBuiltInReferences(const Record& record, FieldMap* fields,
                                             std::optional<Error>* rejection) {
  for (auto& [name, value] : *fields) {
    auto* reference = std::get_if<model::Reference>(&value);
    if (reference == nullptr) {
      continue;
    }
    const model::FieldSpec* spec = model::FindBuiltInField(record.kind, name);
    SR_ASSIGN_OR_RETURN(std::optional<int64_t> id, ResolveReference(*spec->target, *reference));
    if (!id) {
      *rejection = UnresolvedReference(record, name, *spec->target, *reference);
      return OkStatus();
    }
    value = model::Reference{*id, ""};
  }
  return OkStatus();
}

Status SqliteStore::ResolveCustomFields(const Record& record, bool is_insert, FieldMap* values,
                                        std::optional<Error>* rejection) {
  SR_ASSIGN_OR_RETURN(const std::vector<StoredDefinition>* definitions,
                      Definitions(record.kind));
  LocalizedText kind = model::EntityKindLabel(record.kind);

  for (auto& [name, value] : *values) {
    auto found = std::find_if(definitions->begin(), definitions->end(),
                              [&](const StoredDefinition& candidate) {
                                return candidate.definition.name == name;
                              });
    if (found == definitions->end()) {
      *rejection = InvalidArgument(
          fmt::format("{} '{}'：没有名为 '{}' 的自定义字段；请先定义它", kind.zh,
                      record.external_id, name),
          fmt::format("{} '{}': no custom field named '{}'; define it first", kind.en,
                      record.external_id, name));
      return OkStatus();
    }

    Status valid = model::ValidateCustomValue(found->definition, value);
    if (!valid.ok()) {
      Error error = valid.error();
      *rejection = error.Wrap(fmt::format("{} '{}'", kind.zh, record.external_id),
                              fmt::format("{} '{}'", kind.en, record.external_id));
      return OkStatus();
    }

    if (auto* reference = std::get_if<model::Reference>(&value)) {
      EntityKind target = *found->definition.target;
      SR_ASSIGN_OR_RETURN(std::optional<int64_t> id, ResolveReference(target, *reference));
      if (!id) {
        *rejection = UnresolvedReference(record, name, target, *reference);
        return OkStatus();
      }
      value = model::Reference{*id, ""};
    }
  }

  if (is_insert) {
    for (const StoredDefinition& stored : *definitions) {
      const model::CustomFieldDefinition& definition = stored.definition;
      if (definition.required && !values->contains(definition.name)) {
        *rejection = InvalidArgument(
            fmt::format("{} '{}'：缺少必填的自定义字段 '{}'", kind.zh, record.external_id,
                        definition.name),
            fmt::format("{} '{}': the required custom field '{}' is missing", kind.en,
                        record.external_id, definition.name));
        return OkStatus();
      }
    }
  }
  return OkStatus();
}

Result<std::optional<int64_t>> SqliteStore::ResolveReference(EntityKind target,
                                                             const model::Reference& reference) {
  if (reference.id > 0) {
    if (known_ids_[target].contains(reference.id)) {
      return std::optional<int64_t>(reference.id);
    }
    SR_ASSIGN_OR_RETURN(StatementLease exists,
                        connection_->Cached(fmt::format("SELECT 1 FROM {} WHERE id = ?",
                                                        TableName(target))));
    exists->BindInt(1, reference.id);
    SR_ASSIGN_OR_RETURN(bool found, exists->Step());
    if (!found) {
      return std::optional<int64_t>();
    }
    known_ids_[target].insert(reference.id);
    return std::optional<int64_t>(reference.id);
  }

  auto& by_external_id = ids_by_external_id_[target];
  if (auto cached = by_external_id.find(reference.external_id); cached != by_external_id.end()) {
    return std::optional<int64_t>(cached->second);
  }
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> id,
                      FindIdByExternalId(target, reference.external_id));
  if (id) {
    by_external_id.emplace(reference.external_id, *id);
  }
  return id;
}

Result<int64_t> SqliteStore::InsertRow(const Record& record, const FieldMap& fields) {
  bool has_name = model::HasNameField(record.kind);
  const std::string& sql = CachedSql(&insert_sql_, record.kind, fields, [&] {
    std::string columns = has_name ? "external_id, name_key" : "external_id";
    std::string placeholders = has_name ? "?, ?" : "?";
    for (const auto& [name, value] : fields) {
      for (const std::string& column : ColumnsOf(*model::FindBuiltInField(record.kind, name))) {
        columns += ", " + column;
        placeholders += ", ?";
      }
    }
    return fmt::format("INSERT INTO {} ({}, created_at, updated_at) VALUES ({}, ?, ?)",
                       TableName(record.kind), columns, placeholders);
  });

  SR_ASSIGN_OR_RETURN(StatementLease insert, connection_->Cached(sql));
  int index = 1;
  insert->BindText(index++, record.external_id);
  if (has_name) {
    BindNameKey(*insert, index++, fields);
  }
  for (const auto& [name, value] : fields) {
    BindFieldValue(*insert, &index, model::FindBuiltInField(record.kind, name)->type, value);
  }
  int64_t now = ToUnixMicros(Now());
  insert->BindInt(index++, now);
  insert->BindInt(index++, now);
  SR_RETURN_IF_ERROR(insert->Run());

  return static_cast<int64_t>(sqlite3_last_insert_rowid(connection_->handle()));
}

Status SqliteStore::UpdateRow(const Record& record, int64_t id, const FieldMap& changed) {
  bool name_changed = changed.contains("name");
  const std::string& sql = CachedSql(&update_sql_, record.kind, changed, [&] {
    std::string assignments;
    for (const auto& [name, value] : changed) {
      for (const std::string& column : ColumnsOf(*model::FindBuiltInField(record.kind, name))) {
        assignments += column + " = ?, ";
      }
    }
    if (name_changed) {
      assignments += "name_key = ?, ";
    }
    return fmt::format("UPDATE {} SET {}updated_at = ? WHERE id = ?", TableName(record.kind),
                       assignments);
  });

  SR_ASSIGN_OR_RETURN(StatementLease update, connection_->Cached(sql));
  int index = 1;
  for (const auto& [name, value] : changed) {
    BindFieldValue(*update, &index, model::FindBuiltInField(record.kind, name)->type, value);
  }
  if (name_changed) {
    BindNameKey(*update, index++, changed);
  }
  update->BindInt(index++, ToUnixMicros(Now()));
  update->BindInt(index++, id);
  return update->Run();
}

Status SqliteStore::AppendStageChange(int64_t opportunity_id, const Value& from, const Value& to) {
  SR_ASSIGN_OR_RETURN(StatementLease insert,
                      connection_->Cached("INSERT INTO opportunity_stage_history"
                                          " (opportunity_id, from_stage, to_stage, changed_at)"
                                          " VALUES (?, ?, ?, ?)"));
  insert->BindInt(1, opportunity_id);
  int index = 2;
  BindFieldValue(*insert, &index, model::FieldType::kEnum, from);
  BindFieldValue(*insert, &index, model::FieldType::kEnum, to);
  insert->BindInt(index, ToUnixMicros(Now()));
  SR_RETURN_IF_ERROR(insert->Run());

  if (logger_->should_log(spdlog::level::debug)) {
    logger_->debug("opportunity {}: stage changed from '{}' to '{}'", opportunity_id,
                  model::DescribeValue(from), model::DescribeValue(to));
  }
  return OkStatus();
}

}  // namespace salesradar::store::sqlite
