// The in-memory part of an Upsert batch (step 5 in pg_upsert.h) and the writes it queues.
// Validation, reference resolution and the diff follow the SQLite backend rule for rule, so
// that both return the same outcome and the same message for the same record.
#include "store/postgres/pg_upsert.h"

#include <algorithm>
#include <cassert>

#include <fmt/format.h>

#include "common/logging.h"
#include "model/name_key.h"
#include "store/postgres/pg_columns.h"
#include "store/record_json.h"

namespace salesradar::store::postgres {
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
// no stored row). A field absent from `stored` is Null.
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

// Appends the name_key parameter: model::NameKey of the "name" field, or NULL.
void AddNameKey(PgParams* params, const FieldMap& fields) {
  auto name = fields.find("name");
  if (name == fields.end() || model::IsNull(name->second)) {
    params->AddNull();
    return;
  }
  params->AddText(model::NameKey(std::get<std::string>(name->second)));
}

// Returns "$from, $from+1, ..., $to".
std::vector<std::string> SplitColumnList(const std::string& columns) {
  std::vector<std::string> names;
  size_t start = 0;
  while (start <= columns.size()) {
    size_t comma = columns.find(", ", start);
    size_t end = comma == std::string::npos ? columns.size() : comma;
    names.push_back(columns.substr(start, end - start));
    if (comma == std::string::npos) {
      break;
    }
    start = comma + 2;
  }
  return names;
}

std::string Placeholders(int from, int to) {
  std::string text;
  for (int i = from; i <= to; ++i) {
    text += fmt::format("{}${}", i == from ? "" : ", ", i);
  }
  return text;
}

// Returns the audit event of a write: on insert the external id and every given field after; on
// update the changed fields before and after. `stored` and `stored_custom` are the row before
// the write (empty on insert).
AuditEvent RecordAuditEvent(const Record& record, int64_t id, bool is_insert,
                            const FieldMap& changed, const FieldMap& changed_custom,
                            const FieldMap& stored, const FieldMap& stored_custom) {
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
    auto old = stored.find(name);
    before.emplace(name, old != stored.end() ? old->second : Value(model::Null{}));
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

Result<std::vector<UpsertResult>> UpsertBatch::Plan(std::span<const Record> records,
                                                    std::vector<AuditEvent>* audit_events) {
  SR_RETURN_IF_ERROR(Prefetch(records));

  std::vector<UpsertResult> results;
  results.reserve(records.size());
  for (const Record& record : records) {
    results.push_back(Apply(record, audit_events));
  }
  return results;
}

UpsertResult UpsertBatch::Apply(const Record& record, std::vector<AuditEvent>* audit_events) {
  KindState& state = kinds_[record.kind];
  auto row = state.rows.find(record.external_id);
  bool is_insert = row == state.rows.end();

  // Validation: the built-in schema, references, custom fields. Nothing is queued yet.
  Status valid = model::ValidateBuiltInFields(record, is_insert);
  if (!valid.ok()) {
    return Rejected(valid.error());
  }
  FieldMap fields = record.fields;
  std::optional<Error> rejection = ResolveBuiltInReferences(record, &fields);
  FieldMap custom = record.custom_fields;
  if (!rejection) {
    rejection = ResolveCustomFields(record, is_insert, &custom);
  }
  if (rejection) {
    Logger("store")->debug("{} {}: rejected: {}", model::EntityKindName(record.kind),
                           record.external_id, rejection->ToLogString());
    return Rejected(std::move(*rejection));
  }

  // Diff against the row as stored or as earlier records of this batch left it.
  FieldMap changed = ChangedFields(fields, is_insert ? nullptr : &row->second.fields);
  FieldMap changed_custom = ChangedFields(custom, is_insert ? nullptr : &row->second.custom);
  if (!is_insert && changed.empty() && changed_custom.empty()) {
    return UpsertResult{UpsertOutcome::kUnchanged, row->second.id, std::nullopt};
  }

  // Writes: the row, its custom values, and the stage history of an opportunity.
  Value from_stage = model::Null{};
  if (is_insert) {
    assert(state.next_reserved < state.reserved_ids.size());
    int64_t id = state.reserved_ids[state.next_reserved++];
    AppendInsert(record, id, fields);
    row = state.rows.emplace(record.external_id, RowState{id, {}, {}}).first;
    state.ids_by_external_id[record.external_id] = id;
    state.known_ids.insert(id);
  } else {
    AppendUpdate(record, row->second.id, changed);
    if (auto stage = row->second.fields.find("stage"); stage != row->second.fields.end()) {
      from_stage = stage->second;
    }
  }
  RowState& written = row->second;

  for (const StoredDefinition& definition : state.definitions) {
    auto value = changed_custom.find(definition.definition.name);
    if (value == changed_custom.end()) {
      continue;
    }
    AppendCustomValueWrite(&commands_, definition, written.id, value->second);
  }

  auto stage = changed.find("stage");
  if (record.kind == EntityKind::kOpportunity && stage != changed.end()) {
    AppendStageChange(written.id, from_stage, stage->second);
  }
  if (audit_events != nullptr) {
    audit_events->push_back(RecordAuditEvent(record, written.id, is_insert, changed,
                                             changed_custom, written.fields, written.custom));
  }
  for (const auto& [name, value] : changed) {
    written.fields.insert_or_assign(name, value);
  }
  for (const auto& [name, value] : changed_custom) {
    if (model::IsNull(value)) {
      written.custom.erase(name);
    } else {
      written.custom.insert_or_assign(name, value);
    }
  }

  UpsertOutcome outcome = is_insert ? UpsertOutcome::kInserted : UpsertOutcome::kUpdated;
  return UpsertResult{outcome, written.id, std::nullopt};
}

std::optional<Error> UpsertBatch::ResolveBuiltInReferences(const Record& record,
                                                           FieldMap* fields) {
  for (auto& [name, value] : *fields) {
    auto* reference = std::get_if<model::Reference>(&value);
    if (reference == nullptr) {
      continue;
    }
    const model::FieldSpec* spec = model::FindBuiltInField(record.kind, name);
    std::optional<int64_t> id = Resolve(*spec->target, *reference);
    if (!id) {
      return UnresolvedReference(record, name, *spec->target, *reference);
    }
    value = model::Reference{*id, ""};
  }
  return std::nullopt;
}

std::optional<Error> UpsertBatch::ResolveCustomFields(const Record& record, bool is_insert,
                                                      FieldMap* values) {
  const std::vector<StoredDefinition>& definitions = kinds_[record.kind].definitions;
  LocalizedText kind = model::EntityKindLabel(record.kind);

  for (auto& [name, value] : *values) {
    auto found = std::find_if(definitions.begin(), definitions.end(),
                              [&](const StoredDefinition& candidate) {
                                return candidate.definition.name == name;
                              });
    if (found == definitions.end()) {
      return InvalidArgument(
          fmt::format("{} '{}'：没有名为 '{}' 的自定义字段；请先定义它", kind.zh,
                      record.external_id, name),
          fmt::format("{} '{}': no custom field named '{}'; define it first", kind.en,
                      record.external_id, name));
    }

    Status valid = model::ValidateCustomValue(found->definition, value);
    if (!valid.ok()) {
      Error error = valid.error();
      return error.Wrap(fmt::format("{} '{}'", kind.zh, record.external_id),
                        fmt::format("{} '{}'", kind.en, record.external_id));
    }

    if (auto* reference = std::get_if<model::Reference>(&value)) {
      EntityKind target = *found->definition.target;
      std::optional<int64_t> id = Resolve(target, *reference);
      if (!id) {
        return UnresolvedReference(record, name, target, *reference);
      }
      value = model::Reference{*id, ""};
    }
  }

  if (is_insert) {
    for (const StoredDefinition& stored : definitions) {
      const model::CustomFieldDefinition& definition = stored.definition;
      if (definition.required && !values->contains(definition.name)) {
        return InvalidArgument(
            fmt::format("{} '{}'：缺少必填的自定义字段 '{}'", kind.zh, record.external_id,
                        definition.name),
            fmt::format("{} '{}': the required custom field '{}' is missing", kind.en,
                        record.external_id, definition.name));
      }
    }
  }
  return std::nullopt;
}

std::optional<int64_t> UpsertBatch::Resolve(EntityKind target, const model::Reference& reference) {
  KindState& state = kinds_[target];
  if (reference.id > 0) {
    return state.known_ids.contains(reference.id) ? std::optional<int64_t>(reference.id)
                                                  : std::nullopt;
  }
  auto found = state.ids_by_external_id.find(reference.external_id);
  return found != state.ids_by_external_id.end() ? std::optional<int64_t>(found->second)
                                                 : std::nullopt;
}

void UpsertBatch::AppendInsert(const Record& record, int64_t id, const FieldMap& fields) {
  bool has_name = model::HasNameField(record.kind);
  PgCommand command;
  command.operation = fmt::format("insert {} '{}'", model::EntityKindName(record.kind),
                                  record.external_id);
  command.params.AddInt(id);
  command.params.AddText(record.external_id);
  std::string columns = "id, external_id";
  if (has_name) {
    columns += ", name_key";
    AddNameKey(&command.params, fields);
  }
  for (const auto& [name, value] : fields) {
    const model::FieldSpec* spec = model::FindBuiltInField(record.kind, name);
    for (const std::string& column : ColumnsOf(*spec)) {
      columns += ", " + column;
    }
    AddFieldParams(&command.params, spec->type, value);
  }
  columns += ", created_at, updated_at";
  command.params.AddInt(ToUnixMicros(now_));
  command.params.AddInt(ToUnixMicros(now_));

  command.sql = fmt::format("INSERT INTO {} ({}) VALUES ({})", TableName(record.kind), columns,
                            Placeholders(1, command.params.size()));
  inserts_.push_back({commands_.size(), std::string(TableName(record.kind)),
                      SplitColumnList(columns)});
  commands_.push_back(std::move(command));
}

void UpsertBatch::AppendUpdate(const Record& record, int64_t id, const FieldMap& changed) {
  PgCommand command;
  command.operation = fmt::format("update {} '{}'", model::EntityKindName(record.kind),
                                  record.external_id);
  std::string assignments;
  for (const auto& [name, value] : changed) {
    // One parameter per column: money has two, fen and currency.
    const model::FieldSpec* spec = model::FindBuiltInField(record.kind, name);
    int parameter = command.params.size() + 1;
    for (const std::string& column : ColumnsOf(*spec)) {
      assignments += fmt::format("{} = ${}, ", column, parameter++);
    }
    AddFieldParams(&command.params, spec->type, value);
  }
  if (changed.contains("name")) {
    assignments += fmt::format("name_key = ${}, ", command.params.size() + 1);
    AddNameKey(&command.params, changed);
  }
  command.params.AddInt(ToUnixMicros(now_));
  command.params.AddInt(id);
  command.sql = fmt::format("UPDATE {} SET {}updated_at = ${} WHERE id = ${}",
                            TableName(record.kind), assignments, command.params.size() - 1,
                            command.params.size());
  commands_.push_back(std::move(command));
}

void UpsertBatch::AppendStageChange(int64_t opportunity_id, const Value& from, const Value& to) {
  PgCommand command;
  command.sql =
      "INSERT INTO opportunity_stage_history (opportunity_id, from_stage, to_stage, changed_at)"
      " VALUES ($1, $2, $3, $4)";
  command.operation = fmt::format("record the stage change of opportunity {}", opportunity_id);
  command.params.AddInt(opportunity_id);
  AddFieldParams(&command.params, model::FieldType::kEnum, from);
  AddFieldParams(&command.params, model::FieldType::kEnum, to);
  command.params.AddInt(ToUnixMicros(now_));
  commands_.push_back(std::move(command));

  auto logger = Logger("store");
  if (logger->should_log(spdlog::level::debug)) {
    logger->debug("opportunity {}: stage changed from '{}' to '{}'", opportunity_id,
                  model::DescribeValue(from), model::DescribeValue(to));
  }
}

}  // namespace salesradar::store::postgres
