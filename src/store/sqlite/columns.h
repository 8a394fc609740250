// The mapping of built-in fields to SQLite tables and columns (migrations/sqlite/*.sql).
#pragma once

#include <string>
#include <vector>

#include "model/entity.h"
#include "store/sqlite/sqlite_db.h"

namespace salesradar::store::sqlite {

// Returns the table of `kind`: "org_units", "users", "accounts", "contacts", "products",
// "leads", "opportunities" or "activities".
std::string_view TableName(model::EntityKind kind);

// Returns the columns of one field: "<name>_id" for a reference, "<name>_fen" and
// "<name>_currency" for money, "<name>" for every other type.
std::vector<std::string> ColumnsOf(const model::FieldSpec& spec);

// A row of an entity table as stored, before conversion to a typed struct.
struct StoredRow {
  int64_t id = 0;
  std::string external_id;
  Timestamp created_at;
  Timestamp updated_at;
  model::FieldMap fields;  // every built-in field; references as Reference{id, ""}
};

// Returns "SELECT id, external_id, created_at, updated_at, <every field column> FROM <table>",
// to be completed with a WHERE or ORDER BY clause and read with ReadStoredRow.
std::string SelectRowSql(model::EntityKind kind);

// Reads the current row of a statement built from SelectRowSql.
StoredRow ReadStoredRow(const Statement& statement, model::EntityKind kind);

// Binds `value` of a field of `type` from parameter `*index` on, and advances `*index` past the
// one or two parameters it used. REQUIRES: model::ValueFitsType(value, type), and a Reference
// already resolved to an id.
void BindFieldValue(Statement& statement, int* index, model::FieldType type,
                    const model::Value& value);

// Reads a field of `type` from column `*index` on, and advances `*index` past its columns.
model::Value ReadFieldValue(const Statement& statement, int* index, model::FieldType type);

}  // namespace salesradar::store::sqlite
