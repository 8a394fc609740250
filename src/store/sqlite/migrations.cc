#include "store/sqlite/migrations.h"

#include <fmt/format.h>

#include "common/logging.h"

namespace salesradar::store::sqlite {
namespace {

constexpr const char* kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at INTEGER NOT NULL)";

Error NewerThanBinary(const std::string& path, int database_version, int binary_version) {
  return Error(
      ErrorCode::kDataLoss,
      fmt::format("数据库 '{}' 的结构版本为 {}，高于本程序支持的版本 {}；它由更新的 SalesRadar "
                  "写入，请升级 SalesRadar 后再打开",
                  path, database_version, binary_version),
      fmt::format("database '{}' has schema version {}, newer than version {} that this binary "
                  "supports; it was written by a newer SalesRadar, so upgrade SalesRadar to open "
                  "it",
                  path, database_version, binary_version));
}

Status ApplyOne(Connection& connection, const Migration& migration, Timestamp now) {
  Status applied = connection.Execute(migration.sql);
  if (!applied.ok()) {
    Error error = applied.error();
    return error.Wrap(fmt::format("迁移 {} 失败", migration.name),
                      fmt::format("migration {} failed", migration.name));
  }

  SR_ASSIGN_OR_RETURN(StatementLease insert,
                      connection.Cached("INSERT INTO schema_migrations (version, name, applied_at)"
                                        " VALUES (?, ?, ?)"));
  insert->BindInt(1, migration.version);
  insert->BindText(2, migration.name);
  insert->BindInt(3, ToUnixMicros(now));
  return insert->Run();
}

// Runs the checks and the migrations; the caller owns the transaction.
Status MigrateInTransaction(Connection& connection, std::span<const Migration> migrations,
                            Timestamp now) {
  SR_RETURN_IF_ERROR(connection.Execute(kCreateMigrationsTable));
  SR_ASSIGN_OR_RETURN(int current, ReadSchemaVersion(connection));

  int latest = migrations.empty() ? 0 : migrations.back().version;
  if (current > latest) {
    return NewerThanBinary(connection.path(), current, latest);
  }

  for (const Migration& migration : migrations) {
    if (migration.version <= current) {
      continue;
    }
    SR_RETURN_IF_ERROR(ApplyOne(connection, migration, now));
    Logger("store")->info("database {}: applied migration {}", connection.path(), migration.name);
  }
  return OkStatus();
}

}  // namespace

Result<int> ReadSchemaVersion(Connection& connection) {
  SR_ASSIGN_OR_RETURN(StatementLease exists,
                      connection.Cached("SELECT 1 FROM sqlite_master"
                                        " WHERE type = 'table' AND name = 'schema_migrations'"));
  SR_ASSIGN_OR_RETURN(bool has_table, exists->Step());
  if (!has_table) {
    return 0;
  }

  SR_ASSIGN_OR_RETURN(StatementLease max,
                      connection.Cached("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"));
  SR_ASSIGN_OR_RETURN(bool has_row, max->Step());
  return has_row ? static_cast<int>(max->Int(0)) : 0;
}

Status ApplyMigrations(Connection& connection, std::span<const Migration> migrations,
                       Timestamp now) {
  SR_RETURN_IF_ERROR(connection.Execute("BEGIN IMMEDIATE"));

  Status migrated = MigrateInTransaction(connection, migrations, now);
  if (!migrated.ok()) {
    // The migration's error matters more than a failed rollback, which SQLite also does on close.
    (void)connection.Execute("ROLLBACK");
    return migrated;
  }
  return connection.Execute("COMMIT");
}

}  // namespace salesradar::store::sqlite
