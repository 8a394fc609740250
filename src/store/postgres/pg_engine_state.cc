#include "store/postgres/pg_engine_state.h"

#include <chrono>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "rules/state_json.h"
#include "store/postgres/pg_store.h"
#include "store/subject_bucket.h"

namespace salesradar::store::postgres {
namespace {

// The database clock in microseconds since the epoch, the unit of the leases table.
constexpr const char* kDatabaseNowMicros = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT";

int BucketOf(const rules::SubjectRef& subject) { return SubjectBucket(subject.type, subject.id); }

void AddKey(PgParams& params, const rules::RuleSubjectKey& key) {
  params.AddText(key.pack_id);
  params.AddText(key.rule_id);
  params.AddText(key.subject.type);
  params.AddText(key.subject.id);
}

int64_t WallMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Result<nlohmann::json> ParseBody(std::string_view text, std::string_view table) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return Error(ErrorCode::kDataLoss,
                 fmt::format("表 {} 中有一行 JSON 已损坏；请从备份恢复数据库", table),
                 fmt::format("a row of table {} contains corrupt JSON; restore the database from a backup", table));
  }
  return json;
}

// Runs `sql` (a SELECT of one body column) and converts each row with `convert`.
template <typename Row, typename Convert>
Result<std::vector<Row>> LoadBodies(PgConnection& connection, const std::string& sql, const PgParams& params,
                                    std::string_view table, Convert convert) {
  SR_ASSIGN_OR_RETURN(PgResult result, connection.Query(sql, params, fmt::format("load {}", table)));
  std::vector<Row> rows;
  for (int row = 0; row < result.rows(); ++row) {
    SR_ASSIGN_OR_RETURN(nlohmann::json json, ParseBody(result.Text(row, 0), table));
    SR_ASSIGN_OR_RETURN(Row converted, convert(json));
    rows.push_back(std::move(converted));
  }
  return rows;
}

void AddWindowCommands(const rules::StateBatch& batch, std::vector<PgCommand>& commands) {
  for (const rules::RuleSubjectKey& key : batch.windows_removed) {
    PgCommand remove{"DELETE FROM rule_windows WHERE pack_id = $1 AND rule_id = $2 AND subject_type = $3 AND "
                     "subject_id = $4",
                     {}, "remove rule window"};
    AddKey(remove.params, key);
    commands.push_back(std::move(remove));
  }

  for (const rules::WindowState& window : batch.windows_upserted) {
    PgCommand upsert{"INSERT INTO rule_windows (pack_id, rule_id, subject_type, subject_id, version, deadline, body, "
                     "bucket) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                     "ON CONFLICT (pack_id, rule_id, subject_type, subject_id) DO UPDATE SET "
                     "version = EXCLUDED.version, deadline = EXCLUDED.deadline, body = EXCLUDED.body, "
                     "bucket = EXCLUDED.bucket",
                     {}, "write rule window"};
    AddKey(upsert.params, window.key);
    upsert.params.AddInt(window.version);
    upsert.params.AddInt(ToUnixMicros(window.deadline));
    upsert.params.AddText(rules::WindowToJson(window).dump());
    upsert.params.AddInt(BucketOf(window.key.subject));
    commands.push_back(std::move(upsert));
  }
}

void AddCounterCommands(const rules::StateBatch& batch, std::vector<PgCommand>& commands) {
  for (const rules::RuleSubjectKey& key : batch.counters_removed) {
    PgCommand remove{"DELETE FROM rule_counters WHERE pack_id = $1 AND rule_id = $2 AND subject_type = $3 AND "
                     "subject_id = $4",
                     {}, "remove rule counter"};
    AddKey(remove.params, key);
    commands.push_back(std::move(remove));
  }

  for (const rules::CounterState& counter : batch.counters_upserted) {
    PgCommand upsert{"INSERT INTO rule_counters (pack_id, rule_id, subject_type, subject_id, version, body, bucket) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7) "
                     "ON CONFLICT (pack_id, rule_id, subject_type, subject_id) DO UPDATE SET "
                     "version = EXCLUDED.version, body = EXCLUDED.body, bucket = EXCLUDED.bucket",
                     {}, "write rule counter"};
    AddKey(upsert.params, counter.key);
    upsert.params.AddInt(counter.version);
    upsert.params.AddText(rules::CounterToJson(counter).dump());
    upsert.params.AddInt(BucketOf(counter.key.subject));
    commands.push_back(std::move(upsert));
  }
}

// Stores the alert without its history, then the history entries not stored yet. Both writes are
// idempotent, so two nodes racing on one alert leave one row and one copy of each entry.
void AddAlertCommands(const rules::Alert& alert, std::vector<PgCommand>& commands) {
  nlohmann::json body = rules::AlertToJson(alert);
  nlohmann::json history = body.value("history", nlohmann::json::array());
  body["history"] = nlohmann::json::array();

  PgCommand upsert{"INSERT INTO alerts (id, pack_id, rule_id, version, subject_type, subject_id, level, status, "
                   "resolved, body, bucket) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                   "ON CONFLICT (id) DO UPDATE SET pack_id = EXCLUDED.pack_id, rule_id = EXCLUDED.rule_id, "
                   "version = EXCLUDED.version, subject_type = EXCLUDED.subject_type, "
                   "subject_id = EXCLUDED.subject_id, level = EXCLUDED.level, status = EXCLUDED.status, "
                   "resolved = EXCLUDED.resolved, body = EXCLUDED.body, bucket = EXCLUDED.bucket",
                   {}, "write alert"};
  upsert.params.AddText(alert.id);
  upsert.params.AddText(alert.key.pack_id);
  upsert.params.AddText(alert.key.rule_id);
  upsert.params.AddInt(alert.key.version);
  upsert.params.AddText(alert.key.subject.type);
  upsert.params.AddText(alert.key.subject.id);
  upsert.params.AddText(rules::LevelName(alert.level));
  upsert.params.AddText(rules::AlertStatusName(alert.status));
  upsert.params.AddBool(rules::IsResolved(alert.status));
  upsert.params.AddText(body.dump());
  upsert.params.AddInt(BucketOf(alert.key.subject));
  commands.push_back(std::move(upsert));

  for (size_t i = 0; i < alert.history.size(); ++i) {
    PgCommand append{"INSERT INTO alert_history (alert_id, sequence, body) VALUES ($1, $2, $3) "
                     "ON CONFLICT (alert_id, sequence) DO NOTHING",
                     {}, "append alert history"};
    append.params.AddText(alert.id);
    append.params.AddInt(alert.history[i].sequence);
    append.params.AddText(history.at(i).dump());
    commands.push_back(std::move(append));
  }
}

void AddTicketCommands(const rules::StateBatch& batch, std::vector<PgCommand>& commands) {
  for (const rules::Ticket& ticket : batch.tickets_upserted) {
    PgCommand upsert{"INSERT INTO tickets (id, alert_id, department, open, body, bucket) "
                     "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO UPDATE SET "
                     "alert_id = EXCLUDED.alert_id, department = EXCLUDED.department, open = EXCLUDED.open, "
                     "body = EXCLUDED.body, bucket = EXCLUDED.bucket",
                     {}, "write ticket"};
    upsert.params.AddText(ticket.id);
    upsert.params.AddText(ticket.alert_id);
    upsert.params.AddText(ticket.department);
    upsert.params.AddBool(ticket.status == rules::TicketStatus::kOpen);
    upsert.params.AddText(rules::TicketToJson(ticket).dump());
    upsert.params.AddInt(BucketOf(ticket.subject));  // the subject of the ticket's alert
    commands.push_back(std::move(upsert));
  }
}

void AddProcessedAndOutboxCommands(const rules::StateBatch& batch, int64_t now_micros,
                                   std::vector<PgCommand>& commands) {
  for (const std::string& event_id : batch.processed_event_ids) {
    PgCommand insert{"INSERT INTO processed_events (event_id, processed_at) VALUES ($1, $2) "
                     "ON CONFLICT (event_id) DO NOTHING",
                     {}, "record processed event"};
    insert.params.AddText(event_id);
    insert.params.AddInt(now_micros);
    commands.push_back(std::move(insert));
  }

  for (const rules::AlertChange& change : batch.outbox) {
    PgCommand insert{"INSERT INTO alert_outbox (alert_id, body, created_at) VALUES ($1, $2, $3)", {},
                     "append alert outbox"};
    insert.params.AddText(change.alert_id);
    insert.params.AddText(rules::AlertChangeToJson(change).dump());
    insert.params.AddInt(now_micros);
    commands.push_back(std::move(insert));
  }
}

}  // namespace

std::vector<PgCommand> PgEngineState::WriteCommands(const rules::StateBatch& batch) const {
  std::vector<PgCommand> commands;
  AddWindowCommands(batch, commands);
  AddCounterCommands(batch, commands);
  for (const rules::Alert& alert : batch.alerts_upserted) {
    AddAlertCommands(alert, commands);
  }
  AddTicketCommands(batch, commands);
  AddProcessedAndOutboxCommands(batch, WallMicros(), commands);
  return commands;
}

// Locks the lease row for this transaction (FOR SHARE), so that a takeover by another node waits
// until this batch has committed or rolled back.
Status PgEngineState::CheckLease() {
  PgParams params;
  params.AddText(scope_.lease_name);
  params.AddText(scope_.node_id);
  params.AddInt(scope_.lease_epoch);
  SR_ASSIGN_OR_RETURN(PgResult held,
                      connection_.Query(fmt::format("SELECT 1 FROM leases WHERE name = $1 AND node_id = $2 AND "
                                                    "epoch = $3 AND expires_at > {} FOR SHARE",
                                                    kDatabaseNowMicros),
                                        params, "check lease"));
  if (held.rows() > 0) {
    return OkStatus();
  }
  return Error(ErrorCode::kFailedPrecondition,
               fmt::format("节点 '{}' 未持有租约 '{}'（纪元 {}）：租约已过期或已被其他节点接管，本批引擎状态没有写入",
                           scope_.node_id, scope_.lease_name, scope_.lease_epoch),
               fmt::format("node '{}' does not hold lease '{}' at epoch {}: the lease expired or another node took "
                           "it over, so nothing of the engine state batch was written",
                           scope_.node_id, scope_.lease_name, scope_.lease_epoch));
}

Status PgEngineState::Apply(const rules::StateBatch& batch) {
  if (store_in_transaction_) {
    return Error(ErrorCode::kFailedPrecondition, "规则引擎状态：数据库连接上已有未结束的事务；请先提交或回滚",
                 "rules engine state: the connection already has an open transaction; commit or roll it back first");
  }
  std::vector<PgCommand> commands = WriteCommands(batch);
  SR_RETURN_IF_ERROR(connection_.Execute("BEGIN", "begin an engine state batch"));

  Status written = scope_.lease_name.empty() ? OkStatus() : CheckLease();
  if (written.ok()) {
    written = connection_.RunPipeline(commands);
  }
  if (written.ok()) {
    std::string tag;
    written = connection_.Execute("COMMIT", "commit an engine state batch", &tag);
    if (written.ok() && tag == "ROLLBACK") {
      written = Error(ErrorCode::kUnavailable, "规则引擎状态：PostgreSQL 回滚了本批写入；请重试",
                      "rules engine state: PostgreSQL rolled the batch back; retry it");
    }
    if (written.ok()) {
      return OkStatus();
    }
  } else {
    (void)connection_.Execute("ROLLBACK", "roll back an engine state batch");
  }

  Logger("store")->error("rules engine state: batch of {} processed events rolled back (node '{}', lease '{}'): {}",
                         batch.processed_event_ids.size(), scope_.node_id, scope_.lease_name,
                         written.error().ToLogString());
  return written;
}

Result<rules::EngineSnapshot> PgEngineState::LoadSnapshot() {
  PgParams params;
  std::string in_scope = "TRUE";
  if (!scope_.buckets.empty()) {
    std::vector<int64_t> buckets(scope_.buckets.begin(), scope_.buckets.end());
    params.AddText(ArrayLiteral(buckets));
    in_scope = "bucket = ANY($1::int[])";
  }
  // Byte order, as SQLite sorts, whatever the database's collation.
  const std::string key_order =
      " ORDER BY pack_id COLLATE \"C\", rule_id COLLATE \"C\", subject_type COLLATE \"C\", subject_id COLLATE \"C\"";

  rules::EngineSnapshot snapshot;
  SR_ASSIGN_OR_RETURN(snapshot.windows,
                      LoadBodies<rules::WindowState>(connection_, "SELECT body FROM rule_windows WHERE " + in_scope +
                                                                      key_order,
                                                     params, "rule_windows", rules::WindowFromJson));
  SR_ASSIGN_OR_RETURN(snapshot.counters,
                      LoadBodies<rules::CounterState>(connection_, "SELECT body FROM rule_counters WHERE " +
                                                                       in_scope + key_order,
                                                      params, "rule_counters", rules::CounterFromJson));
  SR_ASSIGN_OR_RETURN(snapshot.open_tickets,
                      LoadBodies<rules::Ticket>(connection_, "SELECT body FROM tickets WHERE open AND " + in_scope +
                                                                 " ORDER BY id COLLATE \"C\"",
                                                params, "tickets", rules::TicketFromJson));

  // An alert's body is stored without its history; the rows of alert_history are put back.
  SR_ASSIGN_OR_RETURN(PgResult alerts,
                      connection_.Query("SELECT a.body, COALESCE((SELECT json_agg(h.body::json ORDER BY h.sequence) "
                                        "FROM alert_history h WHERE h.alert_id = a.id)::text, '[]') "
                                        "FROM alerts a WHERE NOT a.resolved AND " + in_scope +
                                            " ORDER BY a.id COLLATE \"C\"",
                                        params, "load alerts"));
  for (int row = 0; row < alerts.rows(); ++row) {
    SR_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(alerts.Text(row, 0), "alerts"));
    SR_ASSIGN_OR_RETURN(body["history"], ParseBody(alerts.Text(row, 1), "alert_history"));
    SR_ASSIGN_OR_RETURN(rules::Alert alert, rules::AlertFromJson(body));
    snapshot.unresolved_alerts.push_back(std::move(alert));
  }
  return snapshot;
}

Result<bool> PgEngineState::IsProcessed(std::string_view event_id) {
  PgParams params;
  params.AddText(event_id);
  SR_ASSIGN_OR_RETURN(PgResult found, connection_.Query("SELECT 1 FROM processed_events WHERE event_id = $1", params,
                                                        "check processed event"));
  return found.rows() > 0;
}

// ---- PgStore ----

Result<std::unique_ptr<rules::EngineStateStore>> PgStore::OpenEngineState() {
  return OpenScopedEngineState(EngineStateScope{});
}

Result<std::unique_ptr<rules::EngineStateStore>> PgStore::OpenScopedEngineState(const EngineStateScope& scope) {
  return std::unique_ptr<rules::EngineStateStore>(
      std::make_unique<PgEngineState>(*connection_, in_transaction_, scope));
}

}  // namespace salesradar::store::postgres
