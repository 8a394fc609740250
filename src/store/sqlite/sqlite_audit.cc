// The audit log: chained appends inside the writer's transaction, reads, and chain checks.
#include <fmt/format.h>

#include "store/sqlite/sqlite_store.h"

namespace salesradar::store::sqlite {
namespace {

constexpr const char* kSelectAudit =
    "SELECT id, at, actor, action, entity_kind, entity_id, before_json, after_json, request_id,"
    " prev_hash, hash FROM audit_log";

AuditEntry ReadAuditEntry(const Statement& row) {
  AuditEntry entry;
  entry.id = row.Int(0);
  entry.at = FromUnixMicros(row.Int(1));
  entry.actor = row.Text(2);
  entry.action = row.Text(3);
  entry.entity_kind = row.Text(4);
  entry.entity_id = row.Text(5);
  if (!row.IsNull(6)) {
    entry.before_json = row.Text(6);
  }
  if (!row.IsNull(7)) {
    entry.after_json = row.Text(7);
  }
  entry.request_id = row.Text(8);
  entry.prev_hash = row.Text(9);
  entry.hash = row.Text(10);
  return entry;
}

void BindOptionalText(Statement& statement, int index, const std::optional<std::string>& text) {
  if (text) {
    statement.BindText(index, *text);
  } else {
    statement.BindNull(index);
  }
}

}  // namespace

Result<int64_t> SqliteStore::WriteAuditRows(std::span<const AuditEvent> events,
                                            const AuditContext& audit) {
  if (events.empty()) {
    return int64_t{0};
  }

  // The end of the chain. The open IMMEDIATE transaction holds the write lock, so no other
  // writer can append between this read and the inserts below.
  AuditEntry entry;
  entry.prev_hash = std::string(kAuditGenesisHash);
  {
    SR_ASSIGN_OR_RETURN(StatementLease last,
                        connection_->Cached("SELECT id, hash FROM audit_log"
                                            " ORDER BY id DESC LIMIT 1"));
    SR_ASSIGN_OR_RETURN(bool has_row, last->Step());
    if (has_row) {
      entry.id = last->Int(0);
      entry.prev_hash = last->Text(1);
    }
  }

  SR_ASSIGN_OR_RETURN(
      StatementLease insert,
      connection_->Cached("INSERT INTO audit_log (id, at, actor, action, entity_kind, entity_id,"
                          " before_json, after_json, request_id, prev_hash, hash)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  entry.at = Now();
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

    insert->Reset();
    insert->BindInt(1, entry.id);
    insert->BindInt(2, ToUnixMicros(entry.at));
    insert->BindText(3, entry.actor);
    insert->BindText(4, entry.action);
    insert->BindText(5, entry.entity_kind);
    insert->BindText(6, entry.entity_id);
    BindOptionalText(*insert, 7, entry.before_json);
    BindOptionalText(*insert, 8, entry.after_json);
    insert->BindText(9, entry.request_id);
    insert->BindText(10, entry.prev_hash);
    insert->BindText(11, entry.hash);
    SR_RETURN_IF_ERROR(insert->Run());

    entry.prev_hash = entry.hash;
  }
  return entry.id;
}

Status SqliteStore::WriteAuditRow(const AuditEvent& event, const AuditContext& audit) {
  SR_ASSIGN_OR_RETURN(int64_t id, WriteAuditRows(std::span<const AuditEvent>(&event, 1), audit));
  (void)id;
  return OkStatus();
}

Result<int64_t> SqliteStore::AppendAudit(const AuditEvent& event, const AuditContext& audit) {
  if (event.action.empty() || event.entity_kind.empty() || audit.actor.empty()) {
    return InvalidArgument(
        fmt::format("审计事件不完整（动作 '{}'、对象类型 '{}'、操作者 '{}'）；三者都必须填写",
                    event.action, event.entity_kind, audit.actor),
        fmt::format("incomplete audit event (action '{}', entity kind '{}', actor '{}'); all "
                    "three are required",
                    event.action, event.entity_kind, audit.actor));
  }
  return WithTransaction([&]() -> Result<int64_t> {
    return WriteAuditRows(std::span<const AuditEvent>(&event, 1), audit);
  });
}

Result<std::vector<AuditEntry>> SqliteStore::ListAudit(int64_t after_id, int limit) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached(std::string(kSelectAudit) +
                                          " WHERE id > ? ORDER BY id LIMIT ?"));
  select->BindInt(1, after_id);
  select->BindInt(2, limit);
  std::vector<AuditEntry> entries;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) {
      return entries;
    }
    entries.push_back(ReadAuditEntry(*select));
  }
}

Result<AuditChainReport> SqliteStore::VerifyAuditChain() {
  // An own statement, not a cached one, so that a caller's cached statements are not disturbed.
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> select,
                      Statement::Prepare(connection_->handle(),
                                         std::string(kSelectAudit) + " ORDER BY id"));
  AuditChainReport report;
  std::string expected_prev(kAuditGenesisHash);
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) {
      break;
    }
    AuditEntry entry = ReadAuditEntry(*select);
    report.rows_checked += 1;
    report.last_id = entry.id;
    report.last_hash = entry.hash;

    std::optional<LocalizedText> problem = CheckAuditRow(entry, report.rows_checked, expected_prev);
    if (problem) {
      report.broken_id = entry.id;
      report.problem = std::move(*problem);
      logger_->error("audit chain broken: {}", report.problem.en);
      return report;
    }
    expected_prev = entry.hash;
  }
  return report;
}

}  // namespace salesradar::store::sqlite
