// The alert routes' reads of alerts, history and tickets (store/alert_query.h) on PostgreSQL.
// Alerts are visible by their owner, whom the alert body names by external id, joined to the
// users table. The owner and raised_at are read from the body by the expressions that the
// indexes of migration 0005_cluster.sql cover, so a rep's or manager's list starts from their
// users instead of scanning every alert. Ids compare bytewise (COLLATE "C"), as on SQLite.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "rules/state_json.h"
#include "store/postgres/pg_store.h"
#include "store/postgres/pg_visibility.h"

namespace salesradar::store::postgres {
namespace {

// Keep these two in step with the index expressions of migration 0005_cluster.sql.
constexpr const char* kOwner = "(a.body::jsonb ->> 'owner_id')";
constexpr const char* kRaised = "((a.body::jsonb ->> 'raised_at')::bigint)";
constexpr const char* kLevelRank =
    "(CASE a.level WHEN 'red' THEN 2 WHEN 'orange' THEN 1 ELSE 0 END)";
constexpr const char* kId = "a.id COLLATE \"C\"";

// The parameters of a query under construction, numbered $1, $2... in the order added.
class QueryParams {
 public:
  std::string Text(std::string_view value) {
    params_.AddText(value);
    return Next();
  }
  std::string Int(int64_t value) {
    params_.AddInt(value);
    return Next();
  }
  // Returns the visibility condition of alerts owned by users `u` for `viewer`, or "" for none.
  std::string Visible(const auth::Viewer* viewer) {
    if (viewer == nullptr) {
      return "";
    }
    std::string condition =
        VisibilityCondition(model::EntityKind::kUser, "u", *viewer, params_.size() + 1);
    AddViewerParams(&params_, model::EntityKind::kUser, *viewer);
    return " AND " + condition;
  }

  const PgParams& params() const { return params_; }

 private:
  std::string Next() const { return fmt::format("${}", params_.size()); }

  PgParams params_;
};

// Columns 0..4: the alert body, its history length, and the owner's user row.
std::string SelectAlerts() {
  return fmt::format(
      "SELECT a.body, (SELECT COUNT(*) FROM alert_history h WHERE h.alert_id = a.id),"
      " u.id, u.name, u.org_unit_id"
      " FROM alerts a LEFT JOIN users u ON u.external_id = {} WHERE TRUE",
      kOwner);
}

std::string OrderBy(AlertSort sort) {
  switch (sort) {
    case AlertSort::kRaisedAtDescending:
      return fmt::format(" ORDER BY {} DESC, {} DESC", kRaised, kId);
    case AlertSort::kRaisedAtAscending:
      return fmt::format(" ORDER BY {} ASC, {} ASC", kRaised, kId);
    case AlertSort::kLevelDescending:
      return fmt::format(" ORDER BY {} DESC, {} DESC, {} DESC", kLevelRank, kRaised, kId);
    case AlertSort::kLevelAscending:
      return fmt::format(" ORDER BY {} ASC, {} ASC, {} ASC", kLevelRank, kRaised, kId);
  }
  return "";
}

std::string AfterCondition(const AlertFilter& filter, QueryParams& params) {
  const AlertPosition& after = *filter.after;
  switch (filter.sort) {
    case AlertSort::kRaisedAtDescending:
    case AlertSort::kRaisedAtAscending: {
      const char* op = filter.sort == AlertSort::kRaisedAtDescending ? "<" : ">";
      std::string key = params.Int(after.sort_key);
      return fmt::format(" AND ({}, {}) {} ({}, {})", kRaised, kId, op, key, params.Text(after.id));
    }
    case AlertSort::kLevelDescending:
    case AlertSort::kLevelAscending: {
      const char* op = filter.sort == AlertSort::kLevelDescending ? "<" : ">";
      std::string key = params.Int(after.sort_key);
      std::string raised = params.Int(after.raised_at);
      return fmt::format(" AND ({}, {}, {}) {} ({}, {}, {})", kLevelRank, kRaised, kId, op, key,
                         raised, params.Text(after.id));
    }
  }
  return "";
}

std::string FilterConditions(const AlertFilter& filter, QueryParams& params) {
  std::string sql;
  if (!filter.statuses.empty()) {
    sql +=
        fmt::format(" AND a.status = ANY({}::text[])", params.Text(ArrayLiteral(filter.statuses)));
  }
  if (!filter.levels.empty()) {
    sql += fmt::format(" AND a.level = ANY({}::text[])", params.Text(ArrayLiteral(filter.levels)));
  }
  if (filter.pack_id) sql += " AND a.pack_id = " + params.Text(*filter.pack_id);
  if (filter.rule_id) sql += " AND a.rule_id = " + params.Text(*filter.rule_id);
  if (filter.subject_type) sql += " AND a.subject_type = " + params.Text(*filter.subject_type);
  if (filter.subject_id) sql += " AND a.subject_id = " + params.Text(*filter.subject_id);
  if (filter.owner_user_id) sql += " AND u.id = " + params.Int(*filter.owner_user_id);
  if (filter.raised_from) {
    sql += fmt::format(" AND {} >= {}", kRaised, params.Int(ToUnixMicros(*filter.raised_from)));
  }
  if (filter.raised_to) {
    sql += fmt::format(" AND {} < {}", kRaised, params.Int(ToUnixMicros(*filter.raised_to)));
  }
  if (filter.after) sql += AfterCondition(filter, params);
  return sql;
}

Result<nlohmann::json> ParseBody(std::string_view text, std::string_view table) {
  nlohmann::json body = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return Error(ErrorCode::kDataLoss,
                 fmt::format("表 {} 中有无法解析的 JSON；请从备份恢复数据库", table),
                 fmt::format("table {} contains a body that is not valid JSON; restore the "
                             "database from a backup",
                             table));
  }
  return body;
}

Result<std::vector<AlertRow>> ReadAlertRows(const PgResult& result) {
  std::vector<AlertRow> rows;
  for (int row = 0; row < result.rows(); ++row) {
    SR_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(result.Text(row, 0), "alerts"));
    body["history"] = nlohmann::json::array();

    AlertRow alert_row;
    SR_ASSIGN_OR_RETURN(alert_row.alert, rules::AlertFromJson(body));
    alert_row.history_count = result.Int(row, 1);
    if (!result.IsNull(row, 2)) alert_row.owner_user_id = result.Int(row, 2);
    alert_row.owner_name = result.IsNull(row, 3) ? "" : std::string(result.Text(row, 3));
    if (!result.IsNull(row, 4)) alert_row.owner_unit_id = result.Int(row, 4);
    rows.push_back(std::move(alert_row));
  }
  return rows;
}

Result<std::vector<rules::Ticket>> ReadTickets(const PgResult& result) {
  std::vector<rules::Ticket> tickets;
  for (int row = 0; row < result.rows(); ++row) {
    SR_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(result.Text(row, 0), "tickets"));
    SR_ASSIGN_OR_RETURN(rules::Ticket ticket, rules::TicketFromJson(body));
    tickets.push_back(std::move(ticket));
  }
  return tickets;
}

Error InvalidLimit(int limit) {
  return InvalidArgument(fmt::format("limit {} 无效；请取 1 到 500", limit),
                         fmt::format("invalid limit {}; use 1 to 500", limit));
}

std::string SelectTickets() {
  return fmt::format(
      "SELECT t.body FROM tickets t JOIN alerts a ON a.id = t.alert_id"
      " LEFT JOIN users u ON u.external_id = {} WHERE TRUE",
      kOwner);
}

}  // namespace

Result<AlertPage> PgStore::ListAlerts(const AlertFilter& filter, const auth::Viewer* viewer) {
  if (filter.limit < 1 || filter.limit > 500) {
    return InvalidLimit(filter.limit);
  }

  QueryParams params;
  std::string sql = SelectAlerts() + FilterConditions(filter, params) + params.Visible(viewer) +
                    OrderBy(filter.sort) + fmt::format(" LIMIT {}", filter.limit + 1);
  SR_ASSIGN_OR_RETURN(PgResult result, connection_->Query(sql, params.params(), "list alerts"));

  AlertPage page;
  SR_ASSIGN_OR_RETURN(page.rows, ReadAlertRows(result));
  if (page.rows.size() > static_cast<size_t>(filter.limit)) {
    page.rows.resize(filter.limit);
    page.next = PositionAfter(page.rows.back(), filter.sort);
  }
  return page;
}

Result<std::optional<AlertRow>> PgStore::GetAlert(std::string_view id, const auth::Viewer* viewer) {
  QueryParams params;
  std::string sql = SelectAlerts() + " AND a.id = " + params.Text(id) + params.Visible(viewer);
  SR_ASSIGN_OR_RETURN(PgResult result, connection_->Query(sql, params.params(), "read alert"));

  SR_ASSIGN_OR_RETURN(std::vector<AlertRow> rows, ReadAlertRows(result));
  if (rows.empty()) {
    return std::optional<AlertRow>();
  }
  return std::optional<AlertRow>(std::move(rows.front()));
}

Result<std::vector<rules::AlertHistoryEntry>> PgStore::ListAlertHistory(std::string_view alert_id) {
  // The history entries are parsed through the alert's JSON form, which owns their format.
  PgParams params;
  params.AddText(alert_id);
  SR_ASSIGN_OR_RETURN(
      PgResult result,
      connection_->Query(
          "SELECT a.body, COALESCE((SELECT json_agg(h.body::json ORDER BY h.sequence)"
          " FROM alert_history h WHERE h.alert_id = a.id), '[]'::json)"
          " FROM alerts a WHERE a.id = $1",
          params, "read alert history"));
  if (result.rows() == 0) {
    return std::vector<rules::AlertHistoryEntry>();
  }

  SR_ASSIGN_OR_RETURN(nlohmann::json body, ParseBody(result.Text(0, 0), "alerts"));
  SR_ASSIGN_OR_RETURN(body["history"], ParseBody(result.Text(0, 1), "alert_history"));
  SR_ASSIGN_OR_RETURN(rules::Alert alert, rules::AlertFromJson(body));
  return std::move(alert.history);
}

Result<std::vector<rules::Ticket>> PgStore::ListTickets(const TicketFilter& filter,
                                                        const auth::Viewer* viewer) {
  if (filter.limit < 1 || filter.limit > 500) {
    return InvalidLimit(filter.limit);
  }

  QueryParams params;
  std::string sql = SelectTickets();
  if (filter.status) {
    sql +=
        fmt::format(" AND t.open = {}::boolean", params.Text(*filter.status == "open" ? "t" : "f"));
  }
  if (filter.after_id) {
    sql += " AND t.id COLLATE \"C\" > " + params.Text(*filter.after_id);
  }
  sql +=
      params.Visible(viewer) + fmt::format(" ORDER BY t.id COLLATE \"C\" LIMIT {}", filter.limit);
  SR_ASSIGN_OR_RETURN(PgResult result, connection_->Query(sql, params.params(), "list tickets"));
  return ReadTickets(result);
}

Result<std::optional<rules::Ticket>> PgStore::GetTicket(std::string_view id,
                                                        const auth::Viewer* viewer) {
  QueryParams params;
  std::string sql = SelectTickets() + " AND t.id = " + params.Text(id) + params.Visible(viewer);
  SR_ASSIGN_OR_RETURN(PgResult result, connection_->Query(sql, params.params(), "read ticket"));

  SR_ASSIGN_OR_RETURN(std::vector<rules::Ticket> tickets, ReadTickets(result));
  if (tickets.empty()) {
    return std::optional<rules::Ticket>();
  }
  return std::optional<rules::Ticket>(std::move(tickets.front()));
}

}  // namespace salesradar::store::postgres
