// The alert routes' reads of alerts, history and tickets (store/alert_query.h), the engine's
// replay of unprocessed events and the outbox backlog. Alerts are visible by their owner, whom
// the alert body names by external id, joined to the users table as ListHealthAlerts does.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "rules/state_json.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/visibility_sql.h"

namespace salesradar::store::sqlite {
namespace {

// Columns 0..5: the alert body, its history length, and the owner's user row.
constexpr const char* kSelectAlerts = R"sql(
SELECT a.body,
       (SELECT COUNT(*) FROM alert_history h WHERE h.alert_id = a.id),
       u.id, u.name, u.org_unit_id,
       json_extract(a.body, '$.raised_at') AS raised,
       CASE a.level WHEN 'red' THEN 2 WHEN 'orange' THEN 1 ELSE 0 END AS level_rank
  FROM alerts a
  LEFT JOIN users u ON u.external_id = json_extract(a.body, '$.owner_id')
 WHERE 1)sql";

constexpr const char* kAlertSuffixByRaisedDescending = " ORDER BY raised DESC, a.id DESC";
constexpr const char* kAlertSuffixByRaisedAscending = " ORDER BY raised ASC, a.id ASC";
constexpr const char* kAlertSuffixByLevelDescending = " ORDER BY level_rank DESC, raised DESC, a.id DESC";
constexpr const char* kAlertSuffixByLevelAscending = " ORDER BY level_rank ASC, raised ASC, a.id ASC";

std::string JsonArray(const std::vector<std::string>& values) { return nlohmann::json(values).dump(); }

std::string AfterCondition(AlertSort sort) {
  switch (sort) {
    case AlertSort::kRaisedAtDescending:
      return " AND (raised, a.id) < (:after_key, :after_id)";
    case AlertSort::kRaisedAtAscending:
      return " AND (raised, a.id) > (:after_key, :after_id)";
    case AlertSort::kLevelDescending:
      return " AND (level_rank, raised, a.id) < (:after_key, :after_raised, :after_id)";
    case AlertSort::kLevelAscending:
      return " AND (level_rank, raised, a.id) > (:after_key, :after_raised, :after_id)";
  }
  return "";
}

const char* OrderBy(AlertSort sort) {
  switch (sort) {
    case AlertSort::kRaisedAtDescending:
      return kAlertSuffixByRaisedDescending;
    case AlertSort::kRaisedAtAscending:
      return kAlertSuffixByRaisedAscending;
    case AlertSort::kLevelDescending:
      return kAlertSuffixByLevelDescending;
    case AlertSort::kLevelAscending:
      return kAlertSuffixByLevelAscending;
  }
  return kAlertSuffixByRaisedDescending;
}

std::string FilterConditions(const AlertFilter& filter) {
  std::string sql;
  if (!filter.statuses.empty()) sql += " AND a.status IN (SELECT value FROM json_each(:statuses))";
  if (!filter.levels.empty()) sql += " AND a.level IN (SELECT value FROM json_each(:levels))";
  if (filter.pack_id) sql += " AND a.pack_id = :pack_id";
  if (filter.rule_id) sql += " AND a.rule_id = :rule_id";
  if (filter.subject_type) sql += " AND a.subject_type = :subject_type";
  if (filter.subject_id) sql += " AND a.subject_id = :subject_id";
  if (filter.owner_user_id) sql += " AND u.id = :owner_user_id";
  if (filter.raised_from) sql += " AND raised >= :raised_from";
  if (filter.raised_to) sql += " AND raised < :raised_to";
  if (filter.after) sql += AfterCondition(filter.sort);
  return sql;
}

void BindFilter(Statement& statement, const AlertFilter& filter) {
  if (!filter.statuses.empty()) statement.BindNamedText(":statuses", JsonArray(filter.statuses));
  if (!filter.levels.empty()) statement.BindNamedText(":levels", JsonArray(filter.levels));
  if (filter.pack_id) statement.BindNamedText(":pack_id", *filter.pack_id);
  if (filter.rule_id) statement.BindNamedText(":rule_id", *filter.rule_id);
  if (filter.subject_type) statement.BindNamedText(":subject_type", *filter.subject_type);
  if (filter.subject_id) statement.BindNamedText(":subject_id", *filter.subject_id);
  if (filter.owner_user_id) statement.BindNamedInt(":owner_user_id", *filter.owner_user_id);
  if (filter.raised_from) statement.BindNamedInt(":raised_from", ToUnixMicros(*filter.raised_from));
  if (filter.raised_to) statement.BindNamedInt(":raised_to", ToUnixMicros(*filter.raised_to));
  if (filter.after) {
    statement.BindNamedInt(":after_key", filter.after->sort_key);
    statement.BindNamedInt(":after_raised", filter.after->raised_at);
    statement.BindNamedText(":after_id", filter.after->id);
  }
}

Result<nlohmann::json> ParseBody(const std::string& text, std::string_view table) {
  nlohmann::json body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return Error(ErrorCode::kDataLoss, fmt::format("表 {} 中有无法解析的 JSON；请从备份恢复数据库", table),
                 fmt::format("table {} contains a body that is not valid JSON; restore the database from a backup",
                             table));
  }
  return body;
}

Result<AlertRow> ReadAlertRow(const Statement& row) {
  SR_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(row.Text(0), "alerts"));
  body["history"] = nlohmann::json::array();

  AlertRow alert_row;
  SR_ASSIGN_OR_RETURN(alert_row.alert, rules::AlertFromJson(body));
  alert_row.history_count = row.Int(1);
  if (!row.IsNull(2)) alert_row.owner_user_id = row.Int(2);
  alert_row.owner_name = row.IsNull(3) ? "" : row.Text(3);
  if (!row.IsNull(4)) alert_row.owner_unit_id = row.Int(4);
  return alert_row;
}

Result<std::vector<AlertRow>> RunAlertQuery(Statement& select) {
  std::vector<AlertRow> rows;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select.Step());
    if (!has_row) break;
    SR_ASSIGN_OR_RETURN(AlertRow row, ReadAlertRow(select));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string VisibleAlert(const auth::Viewer* viewer) {
  if (viewer == nullptr) return "";
  return " AND " + VisibilityCondition(model::EntityKind::kUser, "u", *viewer);
}

}  // namespace

Result<AlertPage> SqliteStore::ListAlerts(const AlertFilter& filter, const auth::Viewer* viewer) {
  if (filter.limit < 1 || filter.limit > 500) {
    return InvalidArgument(fmt::format("limit {} 无效；请取 1 到 500", filter.limit),
                           fmt::format("invalid limit {}; use 1 to 500", filter.limit));
  }

  std::string sql = kSelectAlerts + FilterConditions(filter) + VisibleAlert(viewer) + OrderBy(filter.sort) +
                    " LIMIT :limit";
  // Not cached: the text varies with the filter and the viewer's role.
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> select, Statement::Prepare(connection_->handle(), sql));
  BindFilter(*select, filter);
  if (viewer != nullptr) BindViewer(*select, *viewer);
  select->BindNamedInt(":limit", filter.limit + 1);

  AlertPage page;
  SR_ASSIGN_OR_RETURN(page.rows, RunAlertQuery(*select));
  if (page.rows.size() > static_cast<size_t>(filter.limit)) {
    page.rows.resize(filter.limit);
    page.next = PositionAfter(page.rows.back(), filter.sort);
  }
  return page;
}

Result<std::optional<AlertRow>> SqliteStore::GetAlert(std::string_view id, const auth::Viewer* viewer) {
  std::string sql = std::string(kSelectAlerts) + " AND a.id = :id" + VisibleAlert(viewer);
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> select, Statement::Prepare(connection_->handle(), sql));
  select->BindNamedText(":id", id);
  if (viewer != nullptr) BindViewer(*select, *viewer);

  SR_ASSIGN_OR_RETURN(std::vector<AlertRow> rows, RunAlertQuery(*select));
  if (rows.empty()) return std::optional<AlertRow>();
  return std::optional<AlertRow>(std::move(rows.front()));
}

Result<std::vector<rules::AlertHistoryEntry>> SqliteStore::ListAlertHistory(std::string_view alert_id) {
  // The history entries are parsed through the alert's JSON form, which owns their format.
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached("SELECT a.body, (SELECT json_group_array(json(body)) FROM "
                                          "(SELECT body FROM alert_history WHERE alert_id = a.id ORDER BY sequence)) "
                                          "FROM alerts a WHERE a.id = ?"));
  select->BindText(1, alert_id);
  SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
  if (!has_row) return std::vector<rules::AlertHistoryEntry>();

  SR_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(select->Text(0), "alerts"));
  SR_ASSIGN_OR_RETURN(body["history"], ParseBody(select->Text(1), "alert_history"));
  SR_ASSIGN_OR_RETURN(rules::Alert alert, rules::AlertFromJson(body));
  return std::move(alert.history);
}

Result<std::vector<rules::Ticket>> SqliteStore::ListTickets(const TicketFilter& filter, const auth::Viewer* viewer) {
  if (filter.limit < 1 || filter.limit > 500) {
    return InvalidArgument(fmt::format("limit {} 无效；请取 1 到 500", filter.limit),
                           fmt::format("invalid limit {}; use 1 to 500", filter.limit));
  }

  std::string sql =
      "SELECT t.body FROM tickets t JOIN alerts a ON a.id = t.alert_id "
      "LEFT JOIN users u ON u.external_id = json_extract(a.body, '$.owner_id') WHERE 1";
  if (filter.status) sql += " AND t.open = :open";
  if (filter.after_id) sql += " AND t.id > :after_id";
  sql += VisibleAlert(viewer) + " ORDER BY t.id LIMIT :limit";

  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> select, Statement::Prepare(connection_->handle(), sql));
  if (filter.status) select->BindNamedInt(":open", *filter.status == "open" ? 1 : 0);
  if (filter.after_id) select->BindNamedText(":after_id", *filter.after_id);
  if (viewer != nullptr) BindViewer(*select, *viewer);
  select->BindNamedInt(":limit", filter.limit);

  std::vector<rules::Ticket> tickets;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) break;
    SR_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(select->Text(0), "tickets"));
    SR_ASSIGN_OR_RETURN(rules::Ticket ticket, rules::TicketFromJson(body));
    tickets.push_back(std::move(ticket));
  }
  return tickets;
}

Result<std::optional<rules::Ticket>> SqliteStore::GetTicket(std::string_view id, const auth::Viewer* viewer) {
  std::string sql =
      "SELECT t.body FROM tickets t JOIN alerts a ON a.id = t.alert_id "
      "LEFT JOIN users u ON u.external_id = json_extract(a.body, '$.owner_id') WHERE t.id = :id" +
      VisibleAlert(viewer);
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> select, Statement::Prepare(connection_->handle(), sql));
  select->BindNamedText(":id", id);
  if (viewer != nullptr) BindViewer(*select, *viewer);

  SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
  if (!has_row) return std::optional<rules::Ticket>();
  SR_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(select->Text(0), "tickets"));
  SR_ASSIGN_OR_RETURN(rules::Ticket ticket, rules::TicketFromJson(body));
  return std::optional<rules::Ticket>(std::move(ticket));
}

Result<std::vector<StoredEvent>> SqliteStore::ListUnprocessedEvents(int64_t after_seq, int limit) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached("SELECT e.seq, e.id, e.type, e.subject_type, e.subject_id, e.actor, "
                                          "e.occurred_at, e.received_at, e.payload, e.origin_rule, e.causation_depth "
                                          "FROM events e WHERE e.seq > ? AND NOT EXISTS "
                                          "(SELECT 1 FROM processed_events p WHERE p.event_id = e.id) "
                                          "ORDER BY e.seq LIMIT ?"));
  select->BindInt(1, after_seq);
  select->BindInt(2, limit);

  std::vector<StoredEvent> events;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) break;
    StoredEvent stored;
    stored.seq = select->Int(0);
    rules::Event& event = stored.event;
    event.id = select->Text(1);
    event.type = select->Text(2);
    event.subject = {select->Text(3), select->Text(4)};
    event.actor = select->Text(5);
    event.occurred_at = FromUnixMicros(select->Int(6));
    event.received_at = FromUnixMicros(select->Int(7));
    SR_ASSIGN_OR_RETURN(event.payload, ParseBody(select->Text(8), "events"));
    event.origin_rule = select->Text(9);
    event.causation_depth = static_cast<int>(select->Int(10));
    events.push_back(std::move(stored));
  }
  return events;
}

Result<int64_t> SqliteStore::CountOutboxBacklog() {
  SR_ASSIGN_OR_RETURN(StatementLease count,
                      connection_->Cached("SELECT COUNT(*) FROM alert_outbox WHERE sent_at IS NULL"));
  SR_ASSIGN_OR_RETURN(bool has_row, count->Step());
  return has_row ? count->Int(0) : 0;
}

}  // namespace salesradar::store::sqlite
