// ListRecords on SQLite: the shared query of store/record_query_sql.h, the viewer's visibility
// condition, then the custom values and display names of the page.
#include <map>

#include <fmt/format.h>

#include "store/record_query_sql.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/visibility_sql.h"

namespace salesradar::store::sqlite {

using model::EntityKind;

Result<RecordPage> SqliteStore::ListRecords(const RecordQuery& query,
                                            const auth::Viewer* viewer) {
  SR_RETURN_IF_ERROR(ValidateRecordQuery(query));
  RecordQuerySql built = BuildRecordQuerySql(query, SqlDialect::kSqlite);

  // The visibility condition comes last: its named parameters take the numbers after ?N.
  std::string sql = built.select;
  if (viewer != nullptr) {
    sql += " AND " + VisibilityCondition(query.kind, "t", *viewer);
  }
  // One row more than the page shows whether another page follows.
  sql += fmt::format("{} LIMIT {}", built.order_by, query.limit + 1);

  RecordPage page;
  std::vector<SortKey> keys;
  {
    SR_ASSIGN_OR_RETURN(StatementLease select, connection_->Cached(sql));
    for (size_t i = 0; i < built.params.size(); ++i) {
      int index = static_cast<int>(i) + 1;
      if (const auto* number = std::get_if<int64_t>(&built.params[i])) {
        select->BindInt(index, *number);
      } else {
        select->BindText(index, std::get<std::string>(built.params[i]));
      }
    }
    if (viewer != nullptr) {
      BindViewer(*select, *viewer);
    }

    while (true) {
      SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
      if (!has_row) {
        break;
      }
      int key_column = built.sort_key_column;
      keys.push_back(ReadSortKey(built.sort_key_is_text,
                                 built.sort_key_is_text ? select->Text(key_column) : "",
                                 select->Int(key_column)));
      page.rows.push_back(ToRecordRow(query.kind, ReadStoredRow(*select, query.kind)));
    }
  }

  if (page.rows.size() > static_cast<size_t>(query.limit)) {
    page.rows.pop_back();
    page.next = RecordPosition{keys[page.rows.size() - 1], page.rows.back().id};
  }

  for (RecordRow& row : page.rows) {
    SR_ASSIGN_OR_RETURN(row.record.custom_fields, LoadCustomValues(query.kind, row.id));
  }
  SR_RETURN_IF_ERROR(LoadReferenceNames(&page.rows));
  return page;
}

Status SqliteStore::LoadReferenceNames(std::vector<RecordRow>* rows) {
  auto fetch = [this](EntityKind kind,
                      std::span<const int64_t> ids) -> Result<std::map<int64_t, std::string>> {
    SqlParam param;
    std::string sql = NamesSql(kind, ids, SqlDialect::kSqlite, &param);
    SR_ASSIGN_OR_RETURN(StatementLease select, connection_->Cached(sql));
    select->BindText(1, std::get<std::string>(param));

    std::map<int64_t, std::string> names;
    while (true) {
      SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
      if (!has_row) {
        return names;
      }
      if (!select->IsNull(1)) {
        names[select->Int(0)] = select->Text(1);
      }
    }
  };
  return FillReferenceNames(rows, fetch);
}

}  // namespace salesradar::store::sqlite
