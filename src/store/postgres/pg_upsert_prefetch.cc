// The reads of an Upsert batch (steps 1 to 4 in pg_upsert.h): one query per table and purpose,
// whatever the number of records.
#include <set>

#include <fmt/format.h>

#include "store/postgres/pg_columns.h"
#include "store/postgres/pg_upsert.h"

namespace salesradar::store::postgres {

using model::EntityKind;
using model::Record;

Status UpsertBatch::Prefetch(std::span<const Record> records) {
  // Definitions and stored rows of each kind in the batch.
  std::map<EntityKind, std::set<std::string>> external_ids;
  for (const Record& record : records) {
    external_ids[record.kind].insert(record.external_id);
  }
  for (const auto& [kind, ids] : external_ids) {
    SR_ASSIGN_OR_RETURN(kinds_[kind].definitions, LoadDefinitions(connection_, kind));
    SR_RETURN_IF_ERROR(LoadRows(kind, std::vector<std::string>(ids.begin(), ids.end())));
  }

  // Every reference the batch names and does not know yet, by target table.
  std::map<EntityKind, std::set<std::string>> reference_external_ids;
  std::map<EntityKind, std::set<int64_t>> reference_ids;
  auto collect = [&](EntityKind target, const model::Value& value) {
    const auto* reference = std::get_if<model::Reference>(&value);
    if (reference == nullptr) {
      return;
    }
    KindState& state = kinds_[target];
    if (reference->id > 0 && !state.known_ids.contains(reference->id)) {
      reference_ids[target].insert(reference->id);
    } else if (reference->id <= 0 && !state.ids_by_external_id.contains(reference->external_id)) {
      reference_external_ids[target].insert(reference->external_id);
    }
  };
  for (const Record& record : records) {
    for (const auto& [name, value] : record.fields) {
      const model::FieldSpec* spec = model::FindBuiltInField(record.kind, name);
      if (spec != nullptr && spec->target) {
        collect(*spec->target, value);
      }
    }
    for (const auto& [name, value] : record.custom_fields) {
      for (const StoredDefinition& stored : kinds_[record.kind].definitions) {
        if (stored.definition.name == name && stored.definition.target) {
          collect(*stored.definition.target, value);
        }
      }
    }
  }
  std::set<EntityKind> targets;
  for (const auto& entry : reference_external_ids) targets.insert(entry.first);
  for (const auto& entry : reference_ids) targets.insert(entry.first);
  for (EntityKind target : targets) {
    const std::set<std::string>& by_external = reference_external_ids[target];
    const std::set<int64_t>& by_id = reference_ids[target];
    SR_RETURN_IF_ERROR(LoadReferences(target,
                                      std::vector<std::string>(by_external.begin(),
                                                               by_external.end()),
                                      std::vector<int64_t>(by_id.begin(), by_id.end())));
  }

  // Ids for the external ids that are not stored yet.
  for (const auto& [kind, ids] : external_ids) {
    int64_t missing = 0;
    for (const std::string& external_id : ids) {
      missing += kinds_[kind].rows.contains(external_id) ? 0 : 1;
    }
    if (missing > 0) {
      SR_RETURN_IF_ERROR(ReserveIds(kind, missing));
    }
  }
  return OkStatus();
}

Status UpsertBatch::LoadRows(EntityKind kind, const std::vector<std::string>& external_ids) {
  // FOR UPDATE: a concurrent Upsert of the same rows waits until this transaction ends, so that
  // the comparison below and the writes after it see the same row.
  PgParams params;
  params.AddText(ArrayLiteral(external_ids));
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_.Query(SelectRowSql(kind) +
                                            " WHERE external_id = ANY($1::text[])"
                                            " ORDER BY id FOR UPDATE",
                                        params, fmt::format("read {}", TableName(kind))));

  KindState& state = kinds_[kind];
  std::vector<int64_t> ids;
  for (int row = 0; row < result.rows(); ++row) {
    StoredRow stored = ReadStoredRow(result, row, kind);
    ids.push_back(stored.id);
    state.ids_by_external_id[stored.external_id] = stored.id;
    state.known_ids.insert(stored.id);
    state.rows[stored.external_id] = RowState{stored.id, std::move(stored.fields), {}};
  }

  SR_ASSIGN_OR_RETURN(auto custom, LoadCustomValues(connection_, state.definitions, ids));
  for (auto& [external_id, row] : state.rows) {
    auto values = custom.find(row.id);
    if (values != custom.end()) {
      row.custom = std::move(values->second);
    }
  }
  return OkStatus();
}

Status UpsertBatch::LoadReferences(EntityKind target, const std::vector<std::string>& external_ids,
                                   const std::vector<int64_t>& ids) {
  KindState& state = kinds_[target];
  PgParams params;
  params.AddText(ArrayLiteral(external_ids));
  params.AddText(ArrayLiteral(ids));
  SR_ASSIGN_OR_RETURN(
      PgResult result,
      connection_.Query(fmt::format("SELECT id, external_id FROM {}"
                                    " WHERE external_id = ANY($1::text[]) OR id = ANY($2::bigint[])",
                                    TableName(target)),
                        params, fmt::format("resolve references to {}", TableName(target))));

  for (int row = 0; row < result.rows(); ++row) {
    int64_t id = result.Int(row, 0);
    state.known_ids.insert(id);
    state.ids_by_external_id[std::string(result.Text(row, 1))] = id;
  }
  return OkStatus();
}

Status UpsertBatch::ReserveIds(EntityKind kind, int64_t count) {
  PgParams params;
  params.AddText(TableName(kind));
  params.AddInt(count);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_.Query("SELECT nextval(pg_get_serial_sequence($1, 'id'))"
                                        " FROM generate_series(1, $2::bigint)",
                                        params, fmt::format("reserve ids of {}", TableName(kind))));

  KindState& state = kinds_[kind];
  for (int row = 0; row < result.rows(); ++row) {
    state.reserved_ids.push_back(result.Int(row, 0));
  }
  return OkStatus();
}

}  // namespace salesradar::store::postgres
