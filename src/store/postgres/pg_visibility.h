// The row-visibility rule of auth/visibility.h as PostgreSQL conditions, so that the queries
// themselves return only what a viewer may see. The SQLite backend states the same rule in
// store/sqlite/visibility_sql.cc.
#pragma once

#include <string>
#include <string_view>

#include "auth/visibility.h"
#include "model/entity.h"
#include "store/postgres/pg_connection.h"

namespace salesradar::store::postgres {

// Returns a condition on the rows of `table_ref` (the table name or its alias in the query) of
// `kind` that holds exactly for the rows `viewer` sees; "TRUE" for an admin and for products.
// Other conditions use the parameter $N (N = `parameter`): a bigint[] of the viewer's user id
// followed by its org units, which AddViewerParams appends.
std::string VisibilityCondition(model::EntityKind kind, std::string_view table_ref,
                                const auth::Viewer& viewer, int parameter);

// Appends the parameter of VisibilityCondition(kind, ..., viewer, ...), or nothing when that
// condition has none.
void AddViewerParams(PgParams* params, model::EntityKind kind, const auth::Viewer& viewer);

}  // namespace salesradar::store::postgres
