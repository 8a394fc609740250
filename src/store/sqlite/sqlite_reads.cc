// Lookups and whole-table reads.
#include <fmt/format.h>

#include "model/name_key.h"
#include "store/sqlite/row_conversion.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/visibility_sql.h"

namespace salesradar::store::sqlite {

using model::EntityKind;

Result<std::optional<StoredRow>> SqliteStore::LoadRow(EntityKind kind,
                                                      std::string_view external_id,
                                                      const auth::Viewer* viewer) {
  std::string sql = SelectRowSql(kind) + " WHERE external_id = ?";
  if (viewer != nullptr) {
    sql += " AND " + VisibilityCondition(kind, TableName(kind), *viewer);
  }
  SR_ASSIGN_OR_RETURN(StatementLease select, connection_->Cached(sql));
  select->BindText(1, external_id);
  if (viewer != nullptr) {
    BindViewer(*select, *viewer);
  }
  SR_ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) {
    return std::optional<StoredRow>();
  }
  return std::optional<StoredRow>(ReadStoredRow(*select, kind));
}

Result<std::string> SqliteStore::ExternalIdOf(EntityKind kind, int64_t id) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached(fmt::format("SELECT external_id FROM {} WHERE id = ?",
                                                      TableName(kind))));
  select->BindInt(1, id);
  SR_ASSIGN_OR_RETURN(bool found, select->Step());
  return found ? select->Text(0) : std::string();
}

Result<std::optional<int64_t>> SqliteStore::FindIdByExternalId(EntityKind kind,
                                                               std::string_view external_id) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached(fmt::format("SELECT id FROM {} WHERE external_id = ?",
                                                      TableName(kind))));
  select->BindText(1, external_id);
  SR_ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) {
    return std::optional<int64_t>();
  }
  return std::optional<int64_t>(select->Int(0));
}

Result<std::vector<int64_t>> SqliteStore::FindIdsByName(EntityKind kind, std::string_view name,
                                                        NameMatch match) {
  if (!model::HasNameField(kind)) {
    LocalizedText label = model::EntityKindLabel(kind);
    return InvalidArgument(fmt::format("{}没有名称字段，不能按名称查找", label.zh),
                           fmt::format("{} has no name field, so it cannot be found by name",
                                       label.en));
  }

  bool exact = match == NameMatch::kExact;
  std::string sql = fmt::format("SELECT id FROM {} WHERE {} = ? ORDER BY id", TableName(kind),
                                exact ? "name" : "name_key");
  SR_ASSIGN_OR_RETURN(StatementLease select, connection_->Cached(sql));
  if (exact) {
    select->BindText(1, name);
  } else {
    select->BindText(1, model::NameKey(name));
  }

  std::vector<int64_t> ids;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) {
      return ids;
    }
    ids.push_back(select->Int(0));
  }
}

Result<std::optional<model::Record>> SqliteStore::GetRecord(EntityKind kind,
                                                            std::string_view external_id,
                                                            const auth::Viewer* viewer) {
  SR_ASSIGN_OR_RETURN(std::optional<StoredRow> row, LoadRow(kind, external_id, viewer));
  if (!row) {
    return std::optional<model::Record>();
  }

  model::Record record{kind, row->external_id, std::move(row->fields), {}};
  for (auto& [name, value] : record.fields) {
    if (auto* reference = std::get_if<model::Reference>(&value)) {
      EntityKind target = *model::FindBuiltInField(kind, name)->target;
      SR_ASSIGN_OR_RETURN(reference->external_id, ExternalIdOf(target, reference->id));
    }
  }

  SR_ASSIGN_OR_RETURN(record.custom_fields, LoadCustomValues(kind, row->id));
  SR_ASSIGN_OR_RETURN(const std::vector<StoredDefinition>* definitions, Definitions(kind));
  for (const StoredDefinition& stored : *definitions) {
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
Result<std::vector<Row>> SqliteStore::ListAll(EntityKind kind, Row (*convert)(const StoredRow&),
                                              const auth::Viewer* viewer) {
  std::string sql = SelectRowSql(kind);
  if (viewer != nullptr) {
    sql += " WHERE " + VisibilityCondition(kind, TableName(kind), *viewer);
  }
  SR_ASSIGN_OR_RETURN(StatementLease select, connection_->Cached(sql + " ORDER BY id"));
  if (viewer != nullptr) {
    BindViewer(*select, *viewer);
  }
  std::vector<Row> rows;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) {
      return rows;
    }
    rows.push_back(convert(ReadStoredRow(*select, kind)));
  }
}

Result<std::vector<model::OrgUnit>> SqliteStore::ListOrgUnits(const auth::Viewer* viewer) {
  return ListAll(EntityKind::kOrgUnit, &ToOrgUnit, viewer);
}

Result<std::vector<model::User>> SqliteStore::ListUsers(const auth::Viewer* viewer) {
  return ListAll(EntityKind::kUser, &ToUser, viewer);
}

Result<std::vector<model::Account>> SqliteStore::ListAccounts(const auth::Viewer* viewer) {
  return ListAll(EntityKind::kAccount, &ToAccount, viewer);
}

Result<std::vector<model::Product>> SqliteStore::ListProducts() {
  return ListAll(EntityKind::kProduct, &ToProduct, nullptr);
}

Result<auth::Viewer> SqliteStore::ViewerForUser(int64_t user_id) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached(SelectRowSql(EntityKind::kUser) + " WHERE id = ?"));
  select->BindInt(1, user_id);
  SR_ASSIGN_OR_RETURN(bool found, select->Step());
  if (!found) {
    return NotFound(fmt::format("找不到 id 为 {} 的用户", user_id),
                    fmt::format("no user with id {}", user_id));
  }
  model::User user = ToUser(ReadStoredRow(*select, EntityKind::kUser));

  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, ListOrgUnits(nullptr));
  return auth::ViewerFor(user, units);
}

}  // namespace salesradar::store::sqlite
