#include "store/postgres/pg_migrations.h"

#include <fmt/format.h>

#include "common/logging.h"

namespace salesradar::store::postgres {
namespace {

// The first key of the advisory lock that serialises migrations; the second key is the hash of
// the schema name, so that separate schemas in one database do not wait for each other.
constexpr int kMigrationLockKey = 0x53524d47;  // "SRMG"

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at BIGINT NOT NULL)";

Error NewerThanBinary(const std::string& url, int database_version, int binary_version) {
  return Error(
      ErrorCode::kDataLoss,
      fmt::format("数据库 '{}' 的结构版本为 {}，高于本程序支持的版本 {}；它由更新的 SalesRadar "
                  "写入，请升级 SalesRadar 后再打开",
                  url, database_version, binary_version),
      fmt::format("database '{}' has schema version {}, newer than version {} that this binary "
                  "supports; it was written by a newer SalesRadar, so upgrade SalesRadar to open "
                  "it",
                  url, database_version, binary_version));
}

Status ApplyOne(PgConnection& connection, const Migration& migration, Timestamp now) {
  Status applied = connection.Execute(migration.sql, fmt::format("migration {}", migration.name));
  if (!applied.ok()) {
    Error error = applied.error();
    return error.Wrap(fmt::format("迁移 {} 失败", migration.name),
                      fmt::format("migration {} failed", migration.name));
  }

  PgParams params;
  params.AddInt(migration.version);
  params.AddText(migration.name);
  params.AddInt(ToUnixMicros(now));
  SR_ASSIGN_OR_RETURN(
      PgResult inserted,
      connection.Query("INSERT INTO schema_migrations (version, name, applied_at)"
                       " VALUES ($1, $2, $3)",
                       params, "record a migration"));
  return OkStatus();
}

// Runs the lock, the checks and the migrations; the caller owns the transaction.
Status MigrateInTransaction(PgConnection& connection, std::span<const Migration> migrations,
                            Timestamp now) {
  SR_RETURN_IF_ERROR(connection.Execute(
      fmt::format("SELECT pg_advisory_xact_lock({}, hashtext(COALESCE(current_schema(), '')))",
                  kMigrationLockKey),
      "lock the schema for migrations"));
  SR_RETURN_IF_ERROR(connection.Execute(kCreateMigrationsTable, "create schema_migrations"));
  SR_ASSIGN_OR_RETURN(int current, ReadSchemaVersion(connection));

  int latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    return NewerThanBinary(connection.display_url(), current, latest);
  }

  for (const Migration& migration : migrations) {
    if (migration.version <= current) {
      continue;
    }
    SR_RETURN_IF_ERROR(ApplyOne(connection, migration, now));
    Logger("store")->info("database {}: applied migration {}", connection.display_url(),
                          migration.name);
  }
  return OkStatus();
}

}  // namespace

Result<int> ReadSchemaVersion(PgConnection& connection) {
  SR_ASSIGN_OR_RETURN(PgResult exists,
                      connection.Query("SELECT to_regclass('schema_migrations') IS NOT NULL",
                                       PgParams(), "read the schema version"));
  if (exists.rows() == 0 || !exists.Bool(0, 0)) {
    return 0;
  }

  SR_ASSIGN_OR_RETURN(PgResult max,
                      connection.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                                       PgParams(), "read the schema version"));
  return max.rows() > 0 ? static_cast<int>(max.Int(0, 0)) : 0;
}

Status ApplyMigrations(PgConnection& connection, std::span<const Migration> migrations,
                       Timestamp now) {
  SR_RETURN_IF_ERROR(connection.Execute("BEGIN", "begin the migrations"));

  Status migrated = MigrateInTransaction(connection, migrations, now);
  if (!migrated.ok()) {
    // The migration's error matters more than a failed rollback; closing the connection also
    // rolls back.
    (void)connection.Execute("ROLLBACK", "roll back the migrations");
    return migrated;
  }
  return connection.Execute("COMMIT", "commit the migrations");
}

}  // namespace salesradar::store::postgres
