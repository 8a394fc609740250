// The alert rows of the behaviour-health report (store/health_query.h) on PostgreSQL, read from
// the engine state tables with the owner joined to the users table and visibility applied in
// the query. Owner and raised_at use the indexed expressions of pg_alert_query.cc.
#include <fmt/format.h>

#include "store/postgres/pg_store.h"
#include "store/postgres/pg_visibility.h"

namespace salesradar::store::postgres {
namespace {

// Alert bodies keep times as integer microseconds (rules/state_json.h); the history rows are in
// alert_history, one body per change.
constexpr const char* kSelectHealthAlerts = R"sql(
SELECT a.id, a.pack_id, a.rule_id, a.level, a.status, a.resolved,
       ((a.body::jsonb ->> 'raised_at')::bigint),
       (SELECT MIN((h.body::jsonb ->> 'at')::bigint) FROM alert_history h
         WHERE h.alert_id = a.id AND h.body::jsonb ->> 'action' = 'escalated'),
       (SELECT MIN((h.body::jsonb ->> 'at')::bigint) FROM alert_history h
         WHERE h.alert_id = a.id AND h.body::jsonb ->> 'action' = 'acknowledged'),
       (a.body::jsonb ->> 'resolved_at')::bigint,
       COALESCE((a.body::jsonb ->> 'owner_id'), ''),
       u.id, u.name, u.org_unit_id
  FROM alerts a
  LEFT JOIN users u ON u.external_id = (a.body::jsonb ->> 'owner_id')
 WHERE ((a.body::jsonb ->> 'raised_at')::bigint) >= $1
   AND ((a.body::jsonb ->> 'raised_at')::bigint) < $2)sql";

std::optional<Timestamp> OptionalTime(const PgResult& result, int row, int column) {
  if (result.IsNull(row, column)) return std::nullopt;
  return FromUnixMicros(result.Int(row, column));
}

std::optional<int64_t> OptionalInt(const PgResult& result, int row, int column) {
  if (result.IsNull(row, column)) return std::nullopt;
  return result.Int(row, column);
}

HealthAlertRow ReadHealthAlert(const PgResult& result, int row) {
  HealthAlertRow alert;
  alert.id = std::string(result.Text(row, 0));
  alert.pack_id = std::string(result.Text(row, 1));
  alert.rule_id = std::string(result.Text(row, 2));
  alert.level = std::string(result.Text(row, 3));
  alert.status = std::string(result.Text(row, 4));
  alert.resolved = result.Bool(row, 5);
  alert.raised_at = FromUnixMicros(result.Int(row, 6));
  alert.first_escalated_at = OptionalTime(result, row, 7);
  alert.first_acknowledged_at = OptionalTime(result, row, 8);
  alert.resolved_at = OptionalTime(result, row, 9);
  alert.owner_external_id = std::string(result.Text(row, 10));
  alert.owner_user_id = OptionalInt(result, row, 11);
  alert.owner_name = result.IsNull(row, 12) ? "" : std::string(result.Text(row, 12));
  alert.owner_unit_id = OptionalInt(result, row, 13);
  return alert;
}

}  // namespace

Result<std::vector<HealthAlertRow>> PgStore::ListHealthAlerts(const HealthAlertFilter& filter,
                                                              const auth::Viewer* viewer) {
  PgParams params;
  params.AddInt(ToUnixMicros(filter.from));
  params.AddInt(ToUnixMicros(filter.to));
  std::string sql = kSelectHealthAlerts;
  if (!filter.owner_unit_ids.empty()) {
    params.AddText(ArrayLiteral(filter.owner_unit_ids));
    sql += fmt::format(" AND u.org_unit_id = ANY(${}::bigint[])", params.size());
  }
  if (viewer != nullptr) {
    sql += " AND " + VisibilityCondition(model::EntityKind::kUser, "u", *viewer, params.size() + 1);
    AddViewerParams(&params, model::EntityKind::kUser, *viewer);
  }
  sql += " ORDER BY ((a.body::jsonb ->> 'raised_at')::bigint), a.id COLLATE \"C\"";

  SR_ASSIGN_OR_RETURN(PgResult result, connection_->Query(sql, params, "list health alerts"));
  std::vector<HealthAlertRow> rows;
  for (int row = 0; row < result.rows(); ++row) {
    rows.push_back(ReadHealthAlert(result, row));
  }
  return rows;
}

}  // namespace salesradar::store::postgres
