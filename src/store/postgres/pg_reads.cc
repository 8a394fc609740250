// Lookups and whole-table reads.
#include <fmt/format.h>

#include "model/name_key.h"
#include "store/postgres/pg_custom_fields.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/row_conversion.h"

namespace salesradar::store::postgres {

using model::EntityKind;

Result<std::string> PgStore::ExternalIdOf(EntityKind kind, int64_t id) {
  PgParams params;
  params.AddInt(id);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(fmt::format("SELECT external_id FROM {} WHERE id = $1",
                                                     TableName(kind)),
                                         params, fmt::format("read {}", TableName(kind))));
  return result.rows() > 0 ? std::string(result.Text(0, 0)) : std::string();
}

Result<std::optional<int64_t>> PgStore::FindIdByExternalId(EntityKind kind,
                                                           std::string_view external_id) {
  PgParams params;
  params.AddText(external_id);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(fmt::format("SELECT id FROM {} WHERE external_id = $1",
                                                     TableName(kind)),
                                         params, fmt::format("read {}", TableName(kind))));
  if (result.rows() == 0) {
    return std::optional<int64_t>();
  }
  return std::optional<int64_t>(result.Int(0, 0));
}

Result<std::vector<int64_t>> PgStore::FindIdsByName(EntityKind kind, std::string_view name,
                                                    NameMatch match) {
  if (!model::HasNameField(kind)) {
    LocalizedText label = model::EntityKindLabel(kind);
    return InvalidArgument(fmt::format("{}没有名称字段，不能按名称查找", label.zh),
                           fmt::format("{} has no name field, so it cannot be found by name",
                                       label.en));
  }

  bool exact = match == NameMatch::kExact;
  PgParams params;
  params.AddText(exact ? std::string(name) : model::NameKey(name));
  SR_ASSIGN_OR_RETURN(
      PgResult result,
      connection_->Query(fmt::format("SELECT id FROM {} WHERE {} = $1 ORDER BY id",
                                     TableName(kind), exact ? "name" : "name_key"),
                         params, fmt::format("find {} by name", TableName(kind))));

  std::vector<int64_t> ids;
  for (int row = 0; row < result.rows(); ++row) {
    ids.push_back(result.Int(row, 0));
  }
  return ids;
}

Result<std::optional<model::Record>> PgStore::GetRecord(EntityKind kind,
                                                        std::string_view external_id,
                                                        const auth::Viewer* viewer) {
  SR_RETURN_IF_ERROR(RequireSystemAccess(viewer));
  PgParams params;
  params.AddText(external_id);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(SelectRowSql(kind) + " WHERE external_id = $1", params,
                                         fmt::format("read {}", TableName(kind))));
  if (result.rows() == 0) {
    return std::optional<model::Record>();
  }
  StoredRow row = ReadStoredRow(result, 0, kind);

  model::Record record{kind, row.external_id, std::move(row.fields), {}};
  for (auto& [name, value] : record.fields) {
    if (auto* reference = std::get_if<model::Reference>(&value)) {
      EntityKind target = *model::FindBuiltInField(kind, name)->target;
      SR_ASSIGN_OR_RETURN(reference->external_id, ExternalIdOf(target, reference->id));
    }
  }

  SR_ASSIGN_OR_RETURN(std::vector<StoredDefinition> definitions,
                      LoadDefinitions(*connection_, kind));
  std::vector<int64_t> ids = {row.id};
  SR_ASSIGN_OR_RETURN(auto custom, LoadCustomValues(*connection_, definitions, ids));
  if (auto values = custom.find(row.id); values != custom.end()) {
    record.custom_fields = std::move(values->second);
  }
  for (const StoredDefinition& stored : definitions) {
    auto value = record.custom_fields.find(stored.definition.name);
    if (value == record.custom_fields.end()) {
      continue;
    }
    if (auto* reference = std::get_if<model::Reference>(&value->second)) {
      SR_ASSIGN_OR_RETURN(reference->external_id,
                          ExternalIdOf(*stored.definition.target, reference->id));
    }
  }
  return std::optional<model::Record>(std::move(record));
}

template <typename Row>
Result<std::vector<Row>> PgStore::ListAll(EntityKind kind, Row (*convert)(const StoredRow&)) {
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(SelectRowSql(kind) + " ORDER BY id", PgParams(),
                                         fmt::format("read {}", TableName(kind))));
  std::vector<Row> rows;
  rows.reserve(static_cast<size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    rows.push_back(convert(ReadStoredRow(result, row, kind)));
  }
  return rows;
}

Result<std::vector<model::OrgUnit>> PgStore::ListOrgUnits(const auth::Viewer* viewer) {
  SR_RETURN_IF_ERROR(RequireSystemAccess(viewer));
  return ListAll(EntityKind::kOrgUnit, &sqlite::ToOrgUnit);
}

Result<std::vector<model::User>> PgStore::ListUsers(const auth::Viewer* viewer) {
  SR_RETURN_IF_ERROR(RequireSystemAccess(viewer));
  return ListAll(EntityKind::kUser, &sqlite::ToUser);
}

Result<std::vector<model::Account>> PgStore::ListAccounts(const auth::Viewer* viewer) {
  SR_RETURN_IF_ERROR(RequireSystemAccess(viewer));
  return ListAll(EntityKind::kAccount, &sqlite::ToAccount);
}

Result<std::vector<model::Product>> PgStore::ListProducts() {
  return ListAll(EntityKind::kProduct, &sqlite::ToProduct);
}

}  // namespace salesradar::store::postgres
