// Lookups and whole-table reads.
#include <fmt/format.h>

#include "model/name_key.h"
#include "store/postgres/pg_custom_fields.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pg_visibility.h"
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

Result<std::optional<StoredRow>> PgStore::LoadRow(EntityKind kind, std::string_view external_id,
                                                  const auth::Viewer* viewer) {
  PgParams params;
  params.AddText(external_id);
  std::string sql = SelectRowSql(kind) + " WHERE external_id = $1";
  if (viewer != nullptr) {
    sql += fmt::format(" AND {}", VisibilityCondition(kind, TableName(kind), *viewer, 2));
    AddViewerParams(&params, kind, *viewer);
  }
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(sql, params, fmt::format("read {}", TableName(kind))));
  if (result.rows() == 0) {
    return std::optional<StoredRow>();
  }
  return std::optional<StoredRow>(ReadStoredRow(result, 0, kind));
}

Result<std::optional<model::Record>> PgStore::GetRecord(EntityKind kind,
                                                        std::string_view external_id,
                                                        const auth::Viewer* viewer) {
  SR_ASSIGN_OR_RETURN(std::optional<StoredRow> loaded, LoadRow(kind, external_id, viewer));
  if (!loaded) {
    return std::optional<model::Record>();
  }
  StoredRow& row = *loaded;

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
Result<std::vector<Row>> PgStore::ListAll(EntityKind kind, Row (*convert)(const StoredRow&),
                                          const auth::Viewer* viewer) {
  PgParams params;
  std::string sql = SelectRowSql(kind);
  if (viewer != nullptr) {
    sql += fmt::format(" WHERE {}", VisibilityCondition(kind, TableName(kind), *viewer, 1));
    AddViewerParams(&params, kind, *viewer);
  }
  sql += " ORDER BY id";
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(sql, params, fmt::format("read {}", TableName(kind))));

  std::vector<Row> rows;
  rows.reserve(static_cast<size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    rows.push_back(convert(ReadStoredRow(result, row, kind)));
  }
  return rows;
}

Result<std::optional<model::Record>> PgStore::GetRecord(EntityKind kind,
                                                        std::string_view external_id) {
  return GetRecord(kind, external_id, nullptr);
}

Result<std::vector<model::OrgUnit>> PgStore::ListOrgUnits() { return ListOrgUnits(nullptr); }
Result<std::vector<model::User>> PgStore::ListUsers() { return ListUsers(nullptr); }
Result<std::vector<model::Account>> PgStore::ListAccounts() { return ListAccounts(nullptr); }

Result<std::vector<model::OrgUnit>> PgStore::ListOrgUnits(const auth::Viewer* viewer) {
  return ListAll(EntityKind::kOrgUnit, &sqlite::ToOrgUnit, viewer);
}

Result<std::vector<model::User>> PgStore::ListUsers(const auth::Viewer* viewer) {
  return ListAll(EntityKind::kUser, &sqlite::ToUser, viewer);
}

Result<std::vector<model::Account>> PgStore::ListAccounts(const auth::Viewer* viewer) {
  return ListAll(EntityKind::kAccount, &sqlite::ToAccount, viewer);
}

Result<std::vector<model::Product>> PgStore::ListProducts() {
  return ListAll(EntityKind::kProduct, &sqlite::ToProduct, nullptr);
}

Result<auth::Viewer> PgStore::ViewerForUser(int64_t user_id) {
  PgParams params;
  params.AddInt(user_id);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(SelectRowSql(EntityKind::kUser) + " WHERE id = $1",
                                         params, "read users"));
  if (result.rows() == 0) {
    return NotFound(fmt::format("找不到 id 为 {} 的用户", user_id),
                    fmt::format("no user with id {}", user_id));
  }
  model::User user = sqlite::ToUser(ReadStoredRow(result, 0, EntityKind::kUser));

  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, ListOrgUnits(nullptr));
  return auth::ViewerFor(user, units);
}

}  // namespace salesradar::store::postgres
