// PgClusterStore: alert actions passed between nodes (table alert_actions) and the alert outbox
// that every node's live stream tails.
#include <string>

#include <fmt/format.h>

#include "store/postgres/pg_cluster.h"

namespace salesradar::store::postgres {
namespace {

constexpr const char* kActionColumns =
    "id, alert_id, bucket, kind, actor, until_at, note, done, error_code, message_zh, message_en";

AlertActionRow ActionAt(const PgResult& rows, int row) {
  AlertActionRow action;
  action.id = rows.Int(row, 0);
  action.alert_id = std::string(rows.Text(row, 1));
  action.bucket = static_cast<int>(rows.Int(row, 2));
  action.kind = std::string(rows.Text(row, 3));
  action.actor = std::string(rows.Text(row, 4));
  action.until = FromUnixMicros(rows.Int(row, 5));
  action.note = std::string(rows.Text(row, 6));
  action.done = rows.Bool(row, 7);
  action.error_code = std::string(rows.Text(row, 8));
  action.message_zh = std::string(rows.Text(row, 9));
  action.message_en = std::string(rows.Text(row, 10));
  return action;
}

}  // namespace

Result<int64_t> PgClusterStore::PostAlertAction(const AlertActionRow& action) {
  PgParams params;
  params.AddText(action.alert_id);
  params.AddInt(action.bucket);
  params.AddText(action.kind);
  params.AddText(action.actor);
  params.AddInt(ToUnixMicros(action.until));
  params.AddText(action.note);
  SR_ASSIGN_OR_RETURN(
      PgResult rows,
      connection_.Query("INSERT INTO alert_actions (alert_id, bucket, kind, actor, until_at, note, requested_at) "
                        "VALUES ($1, $2, $3, $4, $5, $6, "
                        "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)) RETURNING id",
                        params, "store an alert action"));
  return rows.Int(0, 0);
}

Result<std::vector<AlertActionRow>> PgClusterStore::PendingAlertActions(std::span<const int> partitions,
                                                                        int partition_count, Microseconds max_age) {
  std::vector<int64_t> values(partitions.begin(), partitions.end());
  PgParams params;
  params.AddInt(partition_count);
  params.AddText(ArrayLiteral(values));
  params.AddInt(max_age.count());
  std::string sql = fmt::format(
      "SELECT {} FROM alert_actions WHERE NOT done AND bucket % $1 = ANY(CAST($2 AS bigint[])) "
      "AND requested_at >= CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT) - $3 "
      "ORDER BY id LIMIT 100",
      kActionColumns);
  SR_ASSIGN_OR_RETURN(PgResult rows, connection_.Query(sql, params, "read pending alert actions"));

  std::vector<AlertActionRow> actions;
  for (int row = 0; row < rows.rows(); ++row) actions.push_back(ActionAt(rows, row));
  return actions;
}

Status PgClusterStore::FinishAlertAction(int64_t id, const Status& outcome) {
  PgParams params;
  params.AddInt(id);
  params.AddText(outcome.ok() ? "" : ErrorCodeName(outcome.error().code()));
  params.AddText(outcome.ok() ? "" : outcome.error().message(Locale::kChinese));
  params.AddText(outcome.ok() ? "" : outcome.error().message(Locale::kEnglish));
  Result<PgResult> done = connection_.Query(
      "UPDATE alert_actions SET done = TRUE, error_code = $2, message_zh = $3, message_en = $4 WHERE id = $1",
      params, "record the outcome of an alert action");
  if (!done.ok()) return std::move(done).error();
  return OkStatus();
}

Result<std::optional<AlertActionRow>> PgClusterStore::GetAlertAction(int64_t id) {
  PgParams params;
  params.AddInt(id);
  std::string sql = fmt::format("SELECT {} FROM alert_actions WHERE id = $1", kActionColumns);
  SR_ASSIGN_OR_RETURN(PgResult rows, connection_.Query(sql, params, "read an alert action"));
  if (rows.rows() == 0) return std::optional<AlertActionRow>();
  return std::optional<AlertActionRow>(ActionAt(rows, 0));
}

Result<int64_t> PgClusterStore::LastOutboxSeq() {
  SR_ASSIGN_OR_RETURN(PgResult rows, connection_.Query("SELECT COALESCE(MAX(seq), 0) FROM alert_outbox", PgParams(),
                                                       "read the end of the alert outbox"));
  return rows.Int(0, 0);
}

Result<std::vector<OutboxEntry>> PgClusterStore::OutboxAfter(int64_t after_seq, int limit) {
  PgParams params;
  params.AddInt(after_seq);
  params.AddInt(limit);
  SR_ASSIGN_OR_RETURN(PgResult rows,
                      connection_.Query("SELECT seq, alert_id FROM alert_outbox WHERE seq > $1 ORDER BY seq LIMIT $2",
                                        params, "read the alert outbox"));
  std::vector<OutboxEntry> entries;
  for (int row = 0; row < rows.rows(); ++row) {
    entries.push_back(OutboxEntry{rows.Int(row, 0), std::string(rows.Text(row, 1))});
  }
  return entries;
}

}  // namespace salesradar::store::postgres
