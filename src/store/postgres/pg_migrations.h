// Forward-only schema migrations of the PostgreSQL backend. They carry the same version
// numbers and meaning as the SQLite migrations.
#pragma once

#include <span>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "store/postgres/pg_connection.h"

namespace salesradar::store::postgres {

// One numbered migration. Versions start at 1 and have no gaps.
struct Migration {
  int version;
  std::string_view name;  // the file name, such as "0001_initial.sql"
  std::string_view sql;
};

// The migrations under store/migrations/postgres/, embedded at build time, ordered by version.
std::span<const Migration> EmbeddedMigrations();

// Returns the highest applied version, 0 when the schema has no schema_migrations table.
Result<int> ReadSchemaVersion(PgConnection& connection);

// Applies every migration newer than the schema's version in one transaction and records each
// in schema_migrations with `now`. Nothing is applied when one fails. The transaction first
// takes a transaction-scoped advisory lock keyed by the current schema, so that nodes starting
// at the same time migrate one after the other and the later ones find nothing left to do.
//
// Returns kDataLoss when the schema's version is above the last of `migrations`, naming both
// versions and saying to upgrade SalesRadar; the schema is left untouched.
Status ApplyMigrations(PgConnection& connection, std::span<const Migration> migrations,
                       Timestamp now);

}  // namespace salesradar::store::postgres
