// Field values as PostgreSQL parameters and result columns. The tables and column names are
// those of the SQLite backend (store/sqlite/columns.h), which migrations/postgres/ mirrors.
#pragma once

#include "model/entity.h"
#include "store/postgres/pg_connection.h"
#include "store/sqlite/columns.h"

namespace salesradar::store::postgres {

using sqlite::ColumnsOf;
using sqlite::SelectRowSql;
using sqlite::StoredRow;
using sqlite::TableName;

// Appends `value` of a field of `type` as one parameter, or two for money (fen, currency).
// REQUIRES: model::ValueFitsType(value, type), and a Reference already resolved to an id.
void AddFieldParams(PgParams* params, model::FieldType type, const model::Value& value);

// Reads a field of `type` from column `*column` of `row` on, and advances `*column` past its
// columns.
model::Value ReadFieldValue(const PgResult& result, int row, int* column, model::FieldType type);

// Reads row `row` of a result of SelectRowSql(kind).
StoredRow ReadStoredRow(const PgResult& result, int row, model::EntityKind kind);

}  // namespace salesradar::store::postgres
