#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>

#include "common/logging.h"
#include "store/sqlite/migrations.h"

namespace salesradar::store::sqlite {
namespace {

const SystemClock kSystemClock;

Error NoTransaction(std::string_view call) {
  return Error(ErrorCode::kFailedPrecondition,
               fmt::format("{} 之前没有调用 Begin：没有打开的事务", call),
               fmt::format("{} called without an open transaction; call Begin first", call));
}

// Sets the connection up for SalesRadar: WAL journal, foreign keys enforced. synchronous=NORMAL
// keeps every committed transaction across a crash of the process; a power loss may lose the
// last commits, never corrupt the file.
Status Configure(Connection& connection) {
  SR_RETURN_IF_ERROR(connection.Execute("PRAGMA foreign_keys = ON"));
  SR_ASSIGN_OR_RETURN(StatementLease wal, connection.Cached("PRAGMA journal_mode = WAL"));
  SR_ASSIGN_OR_RETURN(bool has_row, wal->Step());
  std::string mode = has_row ? wal->Text(0) : "";
  if (mode != "wal" && connection.path() != ":memory:") {
    Logger("store")->warn("database {}: journal mode is '{}', not WAL", connection.path(), mode);
  }
  return connection.Execute("PRAGMA synchronous = NORMAL");
}

}  // namespace

Result<std::unique_ptr<Store>> SqliteStore::Open(const std::string& path,
                                                 const OpenOptions& options) {
  const Clock* clock = options.clock != nullptr ? options.clock : &kSystemClock;
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection,
                      Connection::Open(path, options.busy_timeout_ms));

  SR_RETURN_IF_ERROR(Configure(*connection));
  SR_RETURN_IF_ERROR(ApplyMigrations(*connection, EmbeddedMigrations(), clock->Now()));

  SR_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(*connection));
  Logger("store")->info("database {}: opened at schema version {}", path, version);
  return std::unique_ptr<Store>(new SqliteStore(std::move(connection), clock, options.audit_record_writes));
}

Status SqliteStore::Begin() {
  if (in_transaction_) {
    return Error(ErrorCode::kFailedPrecondition, "事务已经打开：请先 Commit 或 Rollback",
                 "a transaction is already open; call Commit or Rollback first");
  }
  // IMMEDIATE takes the write lock at once. In WAL mode a deferred transaction that reads first
  // can fail with SQLITE_BUSY_SNAPSHOT when it later writes.
  SR_RETURN_IF_ERROR(connection_->Execute("BEGIN IMMEDIATE"));
  in_transaction_ = true;

  // Holding the write lock, the snapshot is the latest: a definition another connection changed
  // is seen now, and no one else can change one until Commit.
  Status checked = ForgetDefinitionsChangedElsewhere();
  if (!checked.ok()) {
    (void)Rollback();
    return checked;
  }
  return OkStatus();
}

Status SqliteStore::Commit() {
  if (!in_transaction_) {
    return NoTransaction("Commit");
  }
  Status committed = connection_->Execute("COMMIT");
  if (!committed.ok()) {
    // SQLite keeps the transaction open after a failed COMMIT; the contract is to discard it.
    (void)connection_->Execute("ROLLBACK");
    ClearCaches();
  }
  in_transaction_ = false;
  return committed;
}

Status SqliteStore::Rollback() {
  if (!in_transaction_) {
    return NoTransaction("Rollback");
  }
  in_transaction_ = false;
  ClearCaches();
  Status rolled_back = connection_->Execute("ROLLBACK");
  if (!rolled_back.ok()) {
    logger_->error("database {}: rollback failed: {}", connection_->path(),
                           rolled_back.error().ToLogString());
  }
  return rolled_back;
}

void SqliteStore::ClearCaches() {
  definitions_.clear();
  known_ids_.clear();
  ids_by_external_id_.clear();
}

Result<std::vector<UpsertResult>> SqliteStore::Upsert(std::span<const model::Record> records,
                                                      const AuditContext& audit) {
  return WithTransaction([&]() -> Result<std::vector<UpsertResult>> {
    std::vector<UpsertResult> results;
    results.reserve(records.size());
    std::vector<AuditEvent> audit_events;
    for (const model::Record& record : records) {
      SR_ASSIGN_OR_RETURN(UpsertResult result,
                          UpsertOne(record, audit_record_writes_ ? &audit_events : nullptr));
      results.push_back(std::move(result));
    }

    // One chain read and one cached INSERT for the whole batch keeps imports fast.
    SR_RETURN_IF_ERROR(WriteAuditRows(audit_events, audit));
    return results;
  });
}

Result<int64_t> SqliteStore::Count(model::EntityKind kind) {
  SR_ASSIGN_OR_RETURN(StatementLease count,
                      connection_->Cached(fmt::format("SELECT COUNT(*) FROM {}", TableName(kind))));
  SR_ASSIGN_OR_RETURN(bool has_row, count->Step());
  return has_row ? count->Int(0) : 0;
}

Result<int> SqliteStore::SchemaVersion() { return ReadSchemaVersion(*connection_); }

}  // namespace salesradar::store::sqlite
