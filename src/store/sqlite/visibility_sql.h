// The row-visibility rule of auth/visibility.h as SQLite conditions, so that the queries
// themselves return only what a viewer may see.
#pragma once

#include <string>

#include "auth/visibility.h"
#include "model/entity.h"
#include "store/sqlite/sqlite_db.h"

namespace salesradar::store::sqlite {

// Returns a condition on the rows of `table_ref` (the table name or its alias in the query) of
// `kind` that is true exactly for the rows `viewer` may see; "1" for an admin and for products. It
// uses the named parameters :viewer_id and :viewer_units, which BindViewer binds. Append it
// after every positional "?" of the statement, so that their numbering is unchanged.
std::string VisibilityCondition(model::EntityKind kind, std::string_view table_ref,
                                const auth::Viewer& viewer);

// Binds :viewer_id to the viewer's user id and :viewer_units to a JSON array of its org units.
void BindViewer(Statement& statement, const auth::Viewer& viewer);

}  // namespace salesradar::store::sqlite
