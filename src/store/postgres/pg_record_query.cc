// ListRecords on PostgreSQL: the shared query of store/record_query_sql.h, the viewer's
// visibility condition, then the custom values and display names of the page.
#include <map>

#include <fmt/format.h>

#include "store/postgres/pg_custom_fields.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pg_visibility.h"
#include "store/record_query_sql.h"

namespace salesradar::store::postgres {
namespace {

using model::EntityKind;

void AddParams(std::span<const SqlParam> values, PgParams* params) {
  for (const SqlParam& value : values) {
    if (const auto* number = std::get_if<int64_t>(&value)) {
      params->AddInt(*number);
    } else {
      params->AddText(std::get<std::string>(value));
    }
  }
}

}  // namespace

Result<RecordPage> PgStore::ListRecords(const RecordQuery& query, const auth::Viewer* viewer) {
  SR_RETURN_IF_ERROR(ValidateRecordQuery(query));
  RecordQuerySql built = BuildRecordQuerySql(query, SqlDialect::kPostgres);

  PgParams params;
  AddParams(built.params, &params);
  std::string sql = built.select;
  if (viewer != nullptr) {
    sql += " AND " + VisibilityCondition(query.kind, "t", *viewer, params.size() + 1);
    AddViewerParams(&params, query.kind, *viewer);
  }
  // One row more than the page shows whether another page follows.
  sql += fmt::format("{} LIMIT {}", built.order_by, query.limit + 1);

  std::string_view table = TableName(query.kind);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(sql, params, fmt::format("list {}", table)));

  RecordPage page;
  int shown = std::min(result.rows(), query.limit);
  for (int row = 0; row < shown; ++row) {
    page.rows.push_back(ToRecordRow(query.kind, ReadStoredRow(result, row, query.kind)));
  }
  if (result.rows() > query.limit) {
    int last = shown - 1;
    int column = built.sort_key_column;
    std::string text(result.Text(last, column));
    int64_t integer = built.sort_key_is_text ? 0 : result.Int(last, column);
    page.next = RecordPosition{ReadSortKey(built.sort_key_is_text, std::move(text), integer),
                               page.rows.back().id};
  }

  SR_ASSIGN_OR_RETURN(std::vector<StoredDefinition> definitions,
                      LoadDefinitions(*connection_, query.kind));
  if (!definitions.empty() && !page.rows.empty()) {
    std::vector<int64_t> ids;
    for (const RecordRow& row : page.rows) {
      ids.push_back(row.id);
    }
    SR_ASSIGN_OR_RETURN(auto custom, LoadCustomValues(*connection_, definitions, ids));
    for (RecordRow& row : page.rows) {
      if (auto values = custom.find(row.id); values != custom.end()) {
        row.record.custom_fields = std::move(values->second);
      }
    }
  }

  auto fetch = [this](EntityKind kind,
                      std::span<const int64_t> ids) -> Result<std::map<int64_t, std::string>> {
    SqlParam param;
    std::string names_sql = NamesSql(kind, ids, SqlDialect::kPostgres, &param);
    PgParams names_params;
    AddParams({&param, 1}, &names_params);
    SR_ASSIGN_OR_RETURN(PgResult names_result,
                        connection_->Query(names_sql, names_params,
                                           fmt::format("read {} names", TableName(kind))));
    std::map<int64_t, std::string> names;
    for (int row = 0; row < names_result.rows(); ++row) {
      if (!names_result.IsNull(row, 1)) {
        names[names_result.Int(row, 0)] = std::string(names_result.Text(row, 1));
      }
    }
    return names;
  };
  SR_RETURN_IF_ERROR(FillReferenceNames(&page.rows, fetch));
  return page;
}

}  // namespace salesradar::store::postgres
