// The audit log: chained appends inside the writer's transaction, reads, and chain checks.
#include <fmt/format.h>

#include "store/postgres/pg_store.h"

namespace salesradar::store::postgres {
namespace {

// The first key of the advisory lock that serialises appends to the chain. The second key is
// the hash of the schema name, as for the migration lock.
constexpr int kAuditLockKey = 0x53524155;  // "SRAU"

constexpr const char* kSelectAudit =
    "SELECT id, at, actor, action, entity_kind, entity_id, before_json, after_json, request_id,"
    " prev_hash, hash FROM audit_log";

AuditEntry ReadAuditEntry(const PgResult& result, int row) {
  AuditEntry entry;
  entry.id = result.Int(row, 0);
  entry.at = FromUnixMicros(result.Int(row, 1));
  entry.actor = std::string(result.Text(row, 2));
  entry.action = std::string(result.Text(row, 3));
  entry.entity_kind = std::string(result.Text(row, 4));
  entry.entity_id = std::string(result.Text(row, 5));
  if (!result.IsNull(row, 6)) {
    entry.before_json = std::string(result.Text(row, 6));
  }
  if (!result.IsNull(row, 7)) {
    entry.after_json = std::string(result.Text(row, 7));
  }
  entry.request_id = std::string(result.Text(row, 8));
  entry.prev_hash = std::string(result.Text(row, 9));
  entry.hash = std::string(result.Text(row, 10));
  return entry;
}

void AddOptionalText(PgParams* params, const std::optional<std::string>& text) {
  if (text) {
    params->AddText(*text);
  } else {
    params->AddNull();
  }
}

}  // namespace

Status PgStore::AppendAuditCommands(std::span<const AuditEvent> events, const AuditContext& audit,
                                    std::vector<PgCommand>* commands, int64_t* last_id) {
  *last_id = 0;
  if (events.empty()) {
    return OkStatus();
  }

  // The end of the chain. The advisory lock is held until this transaction ends, so no other
  // Store on any node appends between this read and the inserts. That keeps the ids gapless.
  SR_RETURN_IF_ERROR(connection_->Execute(
      fmt::format("SELECT pg_advisory_xact_lock({}, hashtext(COALESCE(current_schema(), '')))",
                  kAuditLockKey),
      "lock the audit log"));
  SR_ASSIGN_OR_RETURN(PgResult last,
                      connection_->Query("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1",
                                         PgParams(), "read the end of the audit log"));
  AuditEntry entry;
  entry.prev_hash = std::string(kAuditGenesisHash);
  if (last.rows() > 0) {
    entry.id = last.Int(0, 0);
    entry.prev_hash = std::string(last.Text(0, 1));
  }

  entry.at = clock_->Now();
  entry.actor = audit.actor;
  entry.request_id = audit.request_id;
  for (const AuditEvent& event : events) {
    entry.id += 1;
    entry.action = event.action;
    entry.entity_kind = event.entity_kind;
    entry.entity_id = event.entity_id;
    entry.before_json = event.before_json;
    entry.after_json = event.after_json;
    entry.hash = ComputeAuditHash(entry);

    PgCommand command;
    command.sql =
        "INSERT INTO audit_log (id, at, actor, action, entity_kind, entity_id, before_json,"
        " after_json, request_id, prev_hash, hash)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    command.operation = fmt::format("append audit row {}", entry.id);
    command.params.AddInt(entry.id);
    command.params.AddInt(ToUnixMicros(entry.at));
    command.params.AddText(entry.actor);
    command.params.AddText(entry.action);
    command.params.AddText(entry.entity_kind);
    command.params.AddText(entry.entity_id);
    AddOptionalText(&command.params, entry.before_json);
    AddOptionalText(&command.params, entry.after_json);
    command.params.AddText(entry.request_id);
    command.params.AddText(entry.prev_hash);
    command.params.AddText(entry.hash);
    commands->push_back(std::move(command));

    entry.prev_hash = entry.hash;
  }
  *last_id = entry.id;
  return OkStatus();
}

Result<int64_t> PgStore::WriteAuditRow(const AuditEvent& event, const AuditContext& audit) {
  std::vector<PgCommand> commands;
  int64_t id = 0;
  SR_RETURN_IF_ERROR(
      AppendAuditCommands(std::span<const AuditEvent>(&event, 1), audit, &commands, &id));
  SR_RETURN_IF_ERROR(connection_->RunPipeline(commands));
  return id;
}

Result<int64_t> PgStore::AppendAudit(const AuditEvent& event, const AuditContext& audit) {
  if (event.action.empty() || event.entity_kind.empty() || audit.actor.empty()) {
    return InvalidArgument(
        fmt::format("审计事件不完整（动作 '{}'、对象类型 '{}'、操作者 '{}'）；三者都必须填写",
                    event.action, event.entity_kind, audit.actor),
        fmt::format("incomplete audit event (action '{}', entity kind '{}', actor '{}'); all "
                    "three are required",
                    event.action, event.entity_kind, audit.actor));
  }
  return WithTransaction([&]() -> Result<int64_t> { return WriteAuditRow(event, audit); });
}

Result<std::vector<AuditEntry>> PgStore::ListAudit(int64_t after_id, int limit) {
  PgParams params;
  params.AddInt(after_id);
  params.AddInt(limit);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(std::string(kSelectAudit) +
                                             " WHERE id > $1 ORDER BY id LIMIT $2",
                                         params, "read the audit log"));
  std::vector<AuditEntry> entries;
  for (int row = 0; row < result.rows(); ++row) {
    entries.push_back(ReadAuditEntry(result, row));
  }
  return entries;
}

Result<AuditChainReport> PgStore::VerifyAuditChain() {
  // Pages by id, so that a long log is never in memory at once.
  constexpr int kPageSize = 1000;
  AuditChainReport report;
  std::string expected_prev(kAuditGenesisHash);
  int64_t after_id = 0;
  while (true) {
    SR_ASSIGN_OR_RETURN(std::vector<AuditEntry> page, ListAudit(after_id, kPageSize));
    for (AuditEntry& entry : page) {
      report.rows_checked += 1;
      report.last_id = entry.id;
      report.last_hash = entry.hash;

      std::optional<LocalizedText> problem =
          CheckAuditRow(entry, report.rows_checked, expected_prev);
      if (problem) {
        report.broken_id = entry.id;
        report.problem = std::move(*problem);
        logger_->error("audit chain broken: {}", report.problem.en);
        return report;
      }
      expected_prev = entry.hash;
    }
    if (page.size() < static_cast<size_t>(kPageSize)) {
      return report;
    }
    after_id = page.back().id;
  }
}

}  // namespace salesradar::store::postgres
