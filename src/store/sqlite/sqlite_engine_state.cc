#include "store/sqlite/sqlite_engine_state.h"

#include <chrono>

#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "rules/state_json.h"
#include "store/subject_bucket.h"

namespace salesradar::store::sqlite {
namespace {

void BindKey(Statement& statement, const rules::RuleSubjectKey& key) {
  statement.BindText(1, key.pack_id);
  statement.BindText(2, key.rule_id);
  statement.BindText(3, key.subject.type);
  statement.BindText(4, key.subject.id);
}

Result<nlohmann::json> ParseBody(const std::string& text, std::string_view table) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return Error(ErrorCode::kDataLoss, "表 " + std::string(table) + " 中有一行 JSON 已损坏；请从备份恢复数据库",
                 "a row of table " + std::string(table) + " holds corrupt JSON; restore the database from a backup");
  }
  return json;
}

// Runs `sql` (a SELECT of one body column) and converts each row with `convert`.
template <typename Row, typename Convert>
Result<std::vector<Row>> LoadBodies(Connection& connection, const std::string& sql, std::string_view table,
                                    Convert convert) {
  SR_ASSIGN_OR_RETURN(StatementLease statement, connection.Cached(sql));
  std::vector<Row> rows;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, statement->Step());
    if (!has_row) break;
    SR_ASSIGN_OR_RETURN(nlohmann::json json, ParseBody(statement->Text(0), table));
    SR_ASSIGN_OR_RETURN(Row row, convert(json));
    rows.push_back(std::move(row));
  }
  return rows;
}

int BucketOf(const rules::SubjectRef& subject) { return SubjectBucket(subject.type, subject.id); }

int64_t WallMicros() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

Status SqliteEngineState::Apply(const rules::StateBatch& batch) {
  if (sqlite3_get_autocommit(connection_.handle()) == 0) {
    return Error(ErrorCode::kFailedPrecondition, "规则引擎状态：数据库连接上已有未结束的事务；请先提交或回滚",
                 "rules engine state: the connection already has an open transaction; commit or roll it back first");
  }
  SR_RETURN_IF_ERROR(connection_.Execute("BEGIN IMMEDIATE"));

  Status written = ApplyInTransaction(batch);
  if (!written.ok()) {
    (void)connection_.Execute("ROLLBACK");
    Logger("store")->error("rules engine state: batch of {} processed events rolled back: {}",
                           batch.processed_event_ids.size(), written.error().ToLogString());
    return written;
  }

  Status committed = connection_.Execute("COMMIT");
  if (!committed.ok()) {
    (void)connection_.Execute("ROLLBACK");
  }
  return committed;
}

Status SqliteEngineState::ApplyInTransaction(const rules::StateBatch& batch) {
  SR_RETURN_IF_ERROR(WriteWindows(batch));
  SR_RETURN_IF_ERROR(WriteCounters(batch));

  for (const rules::Alert& alert : batch.alerts_upserted) {
    SR_RETURN_IF_ERROR(WriteAlert(alert));
  }

  SR_RETURN_IF_ERROR(WriteTickets(batch));
  return WriteProcessedAndOutbox(batch, WallMicros());
}

Status SqliteEngineState::WriteWindows(const rules::StateBatch& batch) {
  for (const rules::RuleSubjectKey& key : batch.windows_removed) {
    SR_ASSIGN_OR_RETURN(StatementLease remove,
                        connection_.Cached("DELETE FROM rule_windows WHERE pack_id = ? AND rule_id = ? AND "
                                           "subject_type = ? AND subject_id = ?"));
    BindKey(*remove, key);
    SR_RETURN_IF_ERROR(remove->Run());
  }

  for (const rules::WindowState& window : batch.windows_upserted) {
    SR_ASSIGN_OR_RETURN(StatementLease upsert,
                        connection_.Cached("INSERT OR REPLACE INTO rule_windows (pack_id, rule_id, subject_type, "
                                           "subject_id, version, deadline, body, bucket) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"));
    BindKey(*upsert, window.key);
    upsert->BindInt(5, window.version);
    upsert->BindInt(6, ToUnixMicros(window.deadline));
    upsert->BindText(7, rules::WindowToJson(window).dump());
    upsert->BindInt(8, BucketOf(window.key.subject));
    SR_RETURN_IF_ERROR(upsert->Run());
  }
  return OkStatus();
}

Status SqliteEngineState::WriteCounters(const rules::StateBatch& batch) {
  for (const rules::RuleSubjectKey& key : batch.counters_removed) {
    SR_ASSIGN_OR_RETURN(StatementLease remove,
                        connection_.Cached("DELETE FROM rule_counters WHERE pack_id = ? AND rule_id = ? AND "
                                           "subject_type = ? AND subject_id = ?"));
    BindKey(*remove, key);
    SR_RETURN_IF_ERROR(remove->Run());
  }

  for (const rules::CounterState& counter : batch.counters_upserted) {
    SR_ASSIGN_OR_RETURN(StatementLease upsert,
                        connection_.Cached("INSERT OR REPLACE INTO rule_counters (pack_id, rule_id, subject_type, "
                                           "subject_id, version, body, bucket) VALUES (?, ?, ?, ?, ?, ?, ?)"));
    BindKey(*upsert, counter.key);
    upsert->BindInt(5, counter.version);
    upsert->BindText(6, rules::CounterToJson(counter).dump());
    upsert->BindInt(7, BucketOf(counter.key.subject));
    SR_RETURN_IF_ERROR(upsert->Run());
  }
  return OkStatus();
}

// Stores the alert without its history, then appends the history entries not stored yet.
Status SqliteEngineState::WriteAlert(const rules::Alert& alert) {
  nlohmann::json body = rules::AlertToJson(alert);
  nlohmann::json history = body.value("history", nlohmann::json::array());
  body["history"] = nlohmann::json::array();

  SR_ASSIGN_OR_RETURN(StatementLease upsert,
                      connection_.Cached("INSERT OR REPLACE INTO alerts (id, pack_id, rule_id, version, subject_type, "
                                         "subject_id, level, status, resolved, body, bucket) "
                                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
  upsert->BindText(1, alert.id);
  upsert->BindText(2, alert.key.pack_id);
  upsert->BindText(3, alert.key.rule_id);
  upsert->BindInt(4, alert.key.version);
  upsert->BindText(5, alert.key.subject.type);
  upsert->BindText(6, alert.key.subject.id);
  upsert->BindText(7, rules::LevelName(alert.level));
  upsert->BindText(8, rules::AlertStatusName(alert.status));
  upsert->BindInt(9, rules::IsResolved(alert.status) ? 1 : 0);
  upsert->BindText(10, body.dump());
  upsert->BindInt(11, BucketOf(alert.key.subject));
  SR_RETURN_IF_ERROR(upsert->Run());

  for (size_t i = 0; i < alert.history.size(); ++i) {
    SR_ASSIGN_OR_RETURN(StatementLease append,
                        connection_.Cached("INSERT OR IGNORE INTO alert_history (alert_id, sequence, body) "
                                           "VALUES (?, ?, ?)"));
    append->BindText(1, alert.id);
    append->BindInt(2, alert.history[i].sequence);
    append->BindText(3, history.at(i).dump());
    SR_RETURN_IF_ERROR(append->Run());
  }
  return OkStatus();
}

Status SqliteEngineState::WriteTickets(const rules::StateBatch& batch) {
  for (const rules::Ticket& ticket : batch.tickets_upserted) {
    SR_ASSIGN_OR_RETURN(StatementLease upsert,
                        connection_.Cached("INSERT OR REPLACE INTO tickets (id, alert_id, department, open, body, bucket) "
                                           "VALUES (?, ?, ?, ?, ?, ?)"));
    upsert->BindText(1, ticket.id);
    upsert->BindText(2, ticket.alert_id);
    upsert->BindText(3, ticket.department);
    upsert->BindInt(4, ticket.status == rules::TicketStatus::kOpen ? 1 : 0);
    upsert->BindText(5, rules::TicketToJson(ticket).dump());
    upsert->BindInt(6, BucketOf(ticket.subject));  // the subject of the ticket's alert
    SR_RETURN_IF_ERROR(upsert->Run());
  }
  return OkStatus();
}

Status SqliteEngineState::WriteProcessedAndOutbox(const rules::StateBatch& batch, int64_t now_micros) {
  for (const std::string& event_id : batch.processed_event_ids) {
    SR_ASSIGN_OR_RETURN(StatementLease insert,
                        connection_.Cached("INSERT OR IGNORE INTO processed_events (event_id, processed_at) "
                                           "VALUES (?, ?)"));
    insert->BindText(1, event_id);
    insert->BindInt(2, now_micros);
    SR_RETURN_IF_ERROR(insert->Run());
  }

  for (const rules::AlertChange& change : batch.outbox) {
    SR_ASSIGN_OR_RETURN(StatementLease insert,
                        connection_.Cached("INSERT INTO alert_outbox (alert_id, body, created_at) VALUES (?, ?, ?)"));
    insert->BindText(1, change.alert_id);
    insert->BindText(2, rules::AlertChangeToJson(change).dump());
    insert->BindInt(3, now_micros);
    SR_RETURN_IF_ERROR(insert->Run());
  }
  return OkStatus();
}

Result<rules::EngineSnapshot> SqliteEngineState::LoadSnapshot() {
  rules::EngineSnapshot snapshot;
  SR_ASSIGN_OR_RETURN(snapshot.windows,
                      LoadBodies<rules::WindowState>(
                          connection_,
                          "SELECT body FROM rule_windows WHERE 1" + BucketCondition("bucket") +
                              " ORDER BY pack_id, rule_id, subject_type, subject_id",
                          "rule_windows", rules::WindowFromJson));
  SR_ASSIGN_OR_RETURN(snapshot.counters,
                      LoadBodies<rules::CounterState>(
                          connection_,
                          "SELECT body FROM rule_counters WHERE 1" + BucketCondition("bucket") +
                              " ORDER BY pack_id, rule_id, subject_type, subject_id",
                          "rule_counters", rules::CounterFromJson));
  SR_ASSIGN_OR_RETURN(snapshot.open_tickets,
                      LoadBodies<rules::Ticket>(connection_,
                                                "SELECT body FROM tickets WHERE open = 1" + BucketCondition("bucket") +
                                                    " ORDER BY id",
                                                "tickets", rules::TicketFromJson));

  // An alert's body is stored without its history; the rows of alert_history are put back.
  SR_ASSIGN_OR_RETURN(StatementLease alerts,
                      connection_.Cached("SELECT a.body, (SELECT json_group_array(json(h.body)) FROM "
                                         "(SELECT body FROM alert_history WHERE alert_id = a.id ORDER BY sequence) h) "
                                         "FROM alerts a WHERE a.resolved = 0" +
                                         BucketCondition("a.bucket") + " ORDER BY a.id"));
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, alerts->Step());
    if (!has_row) break;
    SR_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(alerts->Text(0), "alerts"));
    SR_ASSIGN_OR_RETURN(body["history"], ParseBody(alerts->Text(1), "alert_history"));
    SR_ASSIGN_OR_RETURN(rules::Alert alert, rules::AlertFromJson(body));
    snapshot.unresolved_alerts.push_back(std::move(alert));
  }
  return snapshot;
}

std::string SqliteEngineState::BucketCondition(std::string_view column) const {
  if (buckets_.empty()) return "";
  std::string condition = " AND " + std::string(column) + " IN (";
  for (size_t i = 0; i < buckets_.size(); ++i) {
    condition += (i == 0 ? "" : ",") + std::to_string(buckets_[i]);
  }
  return condition + ")";
}

Result<bool> SqliteEngineState::IsProcessed(std::string_view event_id) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_.Cached("SELECT 1 FROM processed_events WHERE event_id = ?"));
  select->BindText(1, event_id);
  return select->Step();
}

}  // namespace salesradar::store::sqlite
