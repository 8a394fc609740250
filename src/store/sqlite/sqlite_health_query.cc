// The alert rows of the behaviour-health report (store/health_query.h), read from the engine
// state tables with the owner joined to the users table and visibility applied in the query.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/visibility_sql.h"

namespace salesradar::store::sqlite {
namespace {

// Alert bodies keep times as integer microseconds (rules/state_json.h); the history rows are in
// alert_history, one body per change.
constexpr const char* kSelectHealthAlerts = R"sql(
SELECT a.id, a.pack_id, a.rule_id, a.level, a.status, a.resolved,
       json_extract(a.body, '$.raised_at'),
       (SELECT MIN(json_extract(h.body, '$.at')) FROM alert_history h
         WHERE h.alert_id = a.id AND json_extract(h.body, '$.action') = 'escalated'),
       (SELECT MIN(json_extract(h.body, '$.at')) FROM alert_history h
         WHERE h.alert_id = a.id AND json_extract(h.body, '$.action') = 'acknowledged'),
       json_extract(a.body, '$.resolved_at'),
       COALESCE(json_extract(a.body, '$.owner_id'), ''),
       u.id, u.name, u.org_unit_id
  FROM alerts a
  LEFT JOIN users u ON u.external_id = json_extract(a.body, '$.owner_id')
 WHERE json_extract(a.body, '$.raised_at') >= ? AND json_extract(a.body, '$.raised_at') < ?)sql";

std::optional<Timestamp> OptionalTime(const Statement& row, int column) {
  if (row.IsNull(column)) return std::nullopt;
  return FromUnixMicros(row.Int(column));
}

std::optional<int64_t> OptionalInt(const Statement& row, int column) {
  if (row.IsNull(column)) return std::nullopt;
  return row.Int(column);
}

HealthAlertRow ReadHealthAlert(const Statement& row) {
  HealthAlertRow alert;
  alert.id = row.Text(0);
  alert.pack_id = row.Text(1);
  alert.rule_id = row.Text(2);
  alert.level = row.Text(3);
  alert.status = row.Text(4);
  alert.resolved = row.Int(5) == 1;
  alert.raised_at = FromUnixMicros(row.Int(6));
  alert.first_escalated_at = OptionalTime(row, 7);
  alert.first_acknowledged_at = OptionalTime(row, 8);
  alert.resolved_at = OptionalTime(row, 9);
  alert.owner_external_id = row.Text(10);
  alert.owner_user_id = OptionalInt(row, 11);
  alert.owner_name = row.IsNull(12) ? "" : row.Text(12);
  alert.owner_unit_id = OptionalInt(row, 13);
  return alert;
}

}  // namespace

Result<std::vector<HealthAlertRow>> SqliteStore::ListHealthAlerts(const HealthAlertFilter& filter,
                                                                  const auth::Viewer* viewer) {
  std::string sql = kSelectHealthAlerts;
  if (!filter.owner_unit_ids.empty()) {
    sql += fmt::format(" AND u.org_unit_id IN ({})", fmt::join(filter.owner_unit_ids, ","));
  }
  if (viewer != nullptr) {
    sql += " AND " + VisibilityCondition(model::EntityKind::kUser, "u", *viewer);
  }
  sql += " ORDER BY json_extract(a.body, '$.raised_at'), a.id";

  // Not cached: the text varies with the filter and the viewer's role.
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> select, Statement::Prepare(connection_->handle(), sql));
  select->BindInt(1, ToUnixMicros(filter.from));
  select->BindInt(2, ToUnixMicros(filter.to));
  if (viewer != nullptr) BindViewer(*select, *viewer);

  std::vector<HealthAlertRow> rows;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) break;
    rows.push_back(ReadHealthAlert(*select));
  }
  return rows;
}

}  // namespace salesradar::store::sqlite
