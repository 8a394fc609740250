#include "store/postgres/pg_store.h"

#include <algorithm>

#include <fmt/format.h>

#include "store/postgres/pg_custom_fields.h"
#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_upsert.h"
#include "store/postgres/pg_url.h"

namespace salesradar::store::postgres {
namespace {

const SystemClock kSystemClock;

Error NoTransaction(std::string_view call) {
  return Error(ErrorCode::kFailedPrecondition,
               fmt::format("{} 之前没有调用 Begin：没有打开的事务", call),
               fmt::format("{} called without an open transaction; call Begin first", call));
}

}  // namespace

Result<std::unique_ptr<Store>> PgStore::Open(const std::string& url, const OpenOptions& options) {
  const Clock* clock = options.clock != nullptr ? options.clock : &kSystemClock;
  SR_ASSIGN_OR_RETURN(std::string display_url, DisplayUrl(url));
  SR_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> connection,
                      PgConnection::Open(url, display_url, options.busy_timeout_ms));

  SR_RETURN_IF_ERROR(ApplyMigrations(*connection, EmbeddedMigrations(), clock->Now()));

  SR_ASSIGN_OR_RETURN(int version, ReadSchemaVersion(*connection));
  Logger("store")->info("database {}: opened at schema version {}", display_url, version);
  return std::unique_ptr<Store>(
      new PgStore(std::move(connection), clock, options.audit_record_writes));
}

Status PgStore::Begin() {
  if (in_transaction_) {
    return Error(ErrorCode::kFailedPrecondition, "事务已经打开：请先 Commit 或 Rollback",
                 "a transaction is already open; call Commit or Rollback first");
  }
  SR_RETURN_IF_ERROR(connection_->Execute("BEGIN", "begin a transaction"));
  in_transaction_ = true;
  return OkStatus();
}

Status PgStore::Commit() {
  if (!in_transaction_) {
    return NoTransaction("Commit");
  }
  in_transaction_ = false;

  // A failed COMMIT ends the transaction too, so the session is idle afterwards either way.
  std::string tag;
  SR_RETURN_IF_ERROR(connection_->Execute("COMMIT", "commit", &tag));

  // PostgreSQL aborts a transaction at its first failed statement, and a COMMIT of an aborted
  // transaction succeeds with the tag ROLLBACK.
  if (tag == "ROLLBACK") {
    return Error(ErrorCode::kFailedPrecondition,
                 "事务中有语句失败，PostgreSQL 已回滚整个事务，没有保存任何内容；请重试整个事务",
                 "a statement in the transaction failed, so PostgreSQL rolled the whole "
                 "transaction back and kept nothing; retry the whole transaction");
  }
  return OkStatus();
}

Status PgStore::Rollback() {
  if (!in_transaction_) {
    return NoTransaction("Rollback");
  }
  in_transaction_ = false;
  Status rolled_back = connection_->Execute("ROLLBACK", "roll back");
  if (!rolled_back.ok()) {
    logger_->error("database {}: rollback failed: {}", connection_->display_url(),
                   rolled_back.error().ToLogString());
  }
  return rolled_back;
}

Result<std::vector<UpsertResult>> PgStore::Upsert(std::span<const model::Record> records,
                                                  const AuditContext& audit) {
  return WithTransaction([&]() -> Result<std::vector<UpsertResult>> {
    UpsertBatch batch(*connection_, clock_->Now());
    std::vector<AuditEvent> audit_events;
    SR_ASSIGN_OR_RETURN(std::vector<UpsertResult> results,
                        batch.Plan(records, audit_record_writes_ ? &audit_events : nullptr));

    // The audit rows travel in the same pipeline as the writes they record.
    int64_t last_audit_id = 0;
    SR_RETURN_IF_ERROR(
        AppendAuditCommands(audit_events, audit, &batch.commands(), &last_audit_id));
    SR_RETURN_IF_ERROR(batch.Send(copy_threshold_));
    return results;
  });
}

Result<std::vector<UpsertResult>> PgStore::Upsert(std::span<const model::Record> records) {
  return Upsert(records, AuditContext::System());
}

Status PgStore::PutCustomFieldDefinition(const model::CustomFieldDefinition& definition) {
  SR_RETURN_IF_ERROR(model::ValidateDefinition(definition));

  return WithTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(std::vector<StoredDefinition> stored,
                        LoadDefinitions(*connection_, definition.entity));
    auto old = std::find_if(stored.begin(), stored.end(), [&](const StoredDefinition& entry) {
      return entry.definition.name == definition.name;
    });
    if (old != stored.end()) {
      SR_RETURN_IF_ERROR(CheckDefinitionChange(*connection_, *old, definition));
    }

    SR_RETURN_IF_ERROR(SaveDefinition(*connection_, definition, clock_->Now()));
    logger_->info("custom field {}.{}: definition saved as {}",
                  model::EntityKindName(definition.entity), definition.name,
                  model::FieldTypeName(definition.type));
    return OkStatus();
  });
}

Result<std::vector<model::CustomFieldDefinition>> PgStore::CustomFieldDefinitions(
    model::EntityKind kind) {
  SR_ASSIGN_OR_RETURN(std::vector<StoredDefinition> stored, LoadDefinitions(*connection_, kind));
  std::vector<model::CustomFieldDefinition> definitions;
  for (StoredDefinition& entry : stored) {
    definitions.push_back(std::move(entry.definition));
  }
  return definitions;
}

Result<int64_t> PgStore::Count(model::EntityKind kind) {
  SR_ASSIGN_OR_RETURN(PgResult count,
                      connection_->Query(fmt::format("SELECT COUNT(*) FROM {}", TableName(kind)),
                                         PgParams(),
                                         fmt::format("count {}", TableName(kind))));
  return count.rows() > 0 ? count.Int(0, 0) : 0;
}

Result<int> PgStore::SchemaVersion() { return ReadSchemaVersion(*connection_); }

}  // namespace salesradar::store::postgres
