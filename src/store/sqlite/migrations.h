// Forward-only schema migrations of the SQLite backend.
#pragma once

#include <span>
#include <string_view>

#include "common/clock.h"
#include "common/result.h"
#include "store/sqlite/sqlite_db.h"

namespace salesradar::store::sqlite {

// One numbered migration. Versions start at 1 and have no gaps.
struct Migration {
  int version;
  std::string_view name;  // the file name, such as "0001_initial.sql"
  std::string_view sql;
};

// The migrations under store/migrations/sqlite/, embedded at build time, ordered by version.
std::span<const Migration> EmbeddedMigrations();

// Returns the highest applied version, 0 for an empty database.
Result<int> ReadSchemaVersion(Connection& connection);

// Applies every migration newer than the database's version in one IMMEDIATE transaction and
// records each in schema_migrations with `now`. Nothing is applied when one fails.
//
// Returns kDataLoss when the database's version is above the last of `migrations`, naming both
// versions and saying to upgrade SalesRadar; the database is left untouched.
Status ApplyMigrations(Connection& connection, std::span<const Migration> migrations,
                       Timestamp now);

}  // namespace salesradar::store::sqlite
