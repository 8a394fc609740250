// The SQL of a RecordQuery, shared by the SQLite and PostgreSQL backends. The builder writes the
// filters, the keyset condition and the order. Each backend appends its own visibility condition
// and the LIMIT, binds the parameters and reads the rows.
#pragma once

#include <functional>
#include <map>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "store/record_query.h"
#include "store/sqlite/columns.h"

namespace salesradar::store {

enum class SqlDialect { kSqlite, kPostgres };

// A bound value: an integer or a text (dates, booleans and arrays travel as text).
using SqlParam = std::variant<int64_t, std::string>;

struct RecordQuerySql {
  // "SELECT <row columns>, <sort key> FROM <table> t WHERE <conditions>", with no ORDER BY or
  // LIMIT. The columns are those of SelectRowSql(kind); the sort key follows them.
  std::string select;
  std::string order_by;  // " ORDER BY <sort key> <dir>, t.id <dir>"
  bool sort_key_is_text = false;
  int sort_key_column = 0;
  // Parameters numbered from 1: "?N" for SQLite, "$N" for PostgreSQL. SQLite appends its named
  // viewer parameters after them; PostgreSQL's viewer parameter is number params.size() + 1.
  std::vector<SqlParam> params;
};

// Builds the query. REQUIRES: ValidateRecordQuery(query) succeeded.
RecordQuerySql BuildRecordQuerySql(const RecordQuery& query, SqlDialect dialect);

// Returns the SQL that reads the display names of `ids` in the table of `kind`:
// "SELECT id, name FROM <table> WHERE id IN <array parameter 1>", and stores the parameter in
// `*param`. REQUIRES: model::HasNameField(kind).
std::string NamesSql(model::EntityKind kind, std::span<const int64_t> ids, SqlDialect dialect,
                     SqlParam* param);

// A referenced row whose display name a RecordRow shows under `field`.
struct NameSlot {
  std::string field;  // "owner", "account", "product", "actor", "subject"
  model::EntityKind target;
  int64_t id = 0;
};

// Returns the references of `row` that have display names.
std::vector<NameSlot> NameSlotsOf(const RecordRow& row);

// Reads the names of the rows `ids` of `kind`, by id.
using NameFetcher = std::function<Result<std::map<int64_t, std::string>>(
    model::EntityKind kind, std::span<const int64_t> ids)>;

// Sets the reference_names of `rows`, one `fetch` per referenced kind.
Status FillReferenceNames(std::vector<RecordRow>* rows, const NameFetcher& fetch);

// Builds a RecordRow from a stored row; its custom fields and names are still empty.
RecordRow ToRecordRow(model::EntityKind kind, sqlite::StoredRow stored);

// The sort key of the row just read, from the text or integer of column sort_key_column.
SortKey ReadSortKey(bool is_text, std::string text, int64_t integer);

}  // namespace salesradar::store
