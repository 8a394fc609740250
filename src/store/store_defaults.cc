// Default bodies of the Store methods that a backend under construction may not override yet.
// They refuse rather than return unfiltered rows or write without an audit row.
#include <algorithm>

#include <fmt/format.h>

#include "store/store.h"

namespace salesradar::store {
namespace {

Error NotSupported(std::string_view method) {
  return Error(ErrorCode::kFailedPrecondition,
               fmt::format("此数据库后端尚不支持 {}；请使用 SQLite 数据库", method),
               fmt::format("this database backend does not support {} yet; use an SQLite "
                           "database",
                           method));
}

}  // namespace

Result<std::vector<UpsertResult>> Store::Upsert(std::span<const model::Record>,
                                                const AuditContext&) {
  return NotSupported("Upsert with an audit context");
}

Result<std::optional<model::Record>> Store::GetRecord(model::EntityKind kind,
                                                      std::string_view external_id,
                                                      const auth::Viewer* viewer) {
  if (viewer == nullptr) {
    return GetRecord(kind, external_id);
  }
  return NotSupported("GetRecord for a viewer");
}

Result<std::vector<model::OrgUnit>> Store::ListOrgUnits(const auth::Viewer* viewer) {
  if (viewer == nullptr) {
    return ListOrgUnits();
  }
  return NotSupported("ListOrgUnits for a viewer");
}

Result<std::vector<model::User>> Store::ListUsers(const auth::Viewer* viewer) {
  if (viewer == nullptr) {
    return ListUsers();
  }
  return NotSupported("ListUsers for a viewer");
}

Result<std::vector<model::Account>> Store::ListAccounts(const auth::Viewer* viewer) {
  if (viewer == nullptr) {
    return ListAccounts();
  }
  return NotSupported("ListAccounts for a viewer");
}

Result<std::unique_ptr<Cursor<model::Opportunity>>> Store::OpenOpportunityCursor(
    const OpportunityFilter& filter, const auth::Viewer* viewer) {
  if (viewer == nullptr) {
    return OpenOpportunityCursor(filter);
  }
  return NotSupported("OpenOpportunityCursor for a viewer");
}

Result<auth::Viewer> Store::ViewerForUser(int64_t user_id) {
  SR_ASSIGN_OR_RETURN(std::vector<model::User> users, ListUsers());
  auto user = std::find_if(users.begin(), users.end(),
                           [&](const model::User& candidate) { return candidate.id == user_id; });
  if (user == users.end()) {
    return NotFound(fmt::format("找不到 id 为 {} 的用户", user_id),
                    fmt::format("no user with id {}", user_id));
  }
  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, ListOrgUnits());
  return auth::ViewerFor(*user, units);
}

Status Store::CreateCredentials(const Credentials&, const AuditContext&) {
  return NotSupported("CreateCredentials");
}
Result<std::optional<Credentials>> Store::FindCredentialsByLogin(std::string_view) {
  return NotSupported("FindCredentialsByLogin");
}
Result<std::optional<Credentials>> Store::FindCredentialsByUser(int64_t) {
  return NotSupported("FindCredentialsByUser");
}
Status Store::SetPasswordHash(int64_t, std::string_view, const AuditContext&) {
  return NotSupported("SetPasswordHash");
}
Status Store::SetCredentialsDisabled(int64_t, bool, const AuditContext&) {
  return NotSupported("SetCredentialsDisabled");
}

Status Store::CreateSession(const Session&, const AuditContext&) {
  return NotSupported("CreateSession");
}
Result<std::optional<Session>> Store::FindSession(std::string_view) {
  return NotSupported("FindSession");
}
Status Store::TouchSession(std::string_view, Timestamp, Timestamp) {
  return NotSupported("TouchSession");
}
Status Store::DeleteSession(std::string_view, const AuditContext&) {
  return NotSupported("DeleteSession");
}
Result<int64_t> Store::DeleteExpiredSessions(Timestamp) {
  return NotSupported("DeleteExpiredSessions");
}

Result<int64_t> Store::CreateApiToken(const NewApiToken&, const AuditContext&) {
  return NotSupported("CreateApiToken");
}
Result<std::optional<ApiToken>> Store::FindApiTokenByHash(std::string_view) {
  return NotSupported("FindApiTokenByHash");
}
Result<std::vector<ApiToken>> Store::ListApiTokens(std::optional<int64_t>) {
  return NotSupported("ListApiTokens");
}
Status Store::TouchApiToken(int64_t, Timestamp) { return NotSupported("TouchApiToken"); }
Status Store::RevokeApiToken(int64_t, const AuditContext&) {
  return NotSupported("RevokeApiToken");
}

Result<int64_t> Store::AppendAudit(const AuditEvent&, const AuditContext&) {
  return NotSupported("AppendAudit");
}
Result<std::vector<AuditEntry>> Store::ListAudit(int64_t, int) {
  return NotSupported("ListAudit");
}
Result<AuditChainReport> Store::VerifyAuditChain() { return NotSupported("VerifyAuditChain"); }

Result<RecordPage> Store::ListRecords(const RecordQuery&, const auth::Viewer*) {
  return NotSupported("ListRecords");
}

Result<std::optional<RecordRow>> Store::GetRecordById(model::EntityKind kind, int64_t id,
                                                      const auth::Viewer* viewer) {
  RecordQuery query;
  query.kind = kind;
  query.filter.ids = {id};
  query.sort = {"id", SortDirection::kAscending};
  query.limit = 1;
  SR_ASSIGN_OR_RETURN(RecordPage page, ListRecords(query, viewer));
  if (page.rows.empty()) {
    return std::optional<RecordRow>();
  }
  return std::optional<RecordRow>(std::move(page.rows.front()));
}

Result<AlertPage> Store::ListAlerts(const AlertFilter&, const auth::Viewer*) {
  return NotSupported("ListAlerts");
}
Result<std::optional<AlertRow>> Store::GetAlert(std::string_view, const auth::Viewer*) {
  return NotSupported("GetAlert");
}
Result<std::vector<rules::AlertHistoryEntry>> Store::ListAlertHistory(std::string_view) {
  return NotSupported("ListAlertHistory");
}
Result<std::vector<rules::Ticket>> Store::ListTickets(const TicketFilter&, const auth::Viewer*) {
  return NotSupported("ListTickets");
}
Result<std::optional<rules::Ticket>> Store::GetTicket(std::string_view, const auth::Viewer*) {
  return NotSupported("GetTicket");
}
Result<std::vector<StoredEvent>> Store::ListUnprocessedEvents(int64_t, int) {
  return NotSupported("ListUnprocessedEvents");
}
Result<std::vector<StoredEvent>> Store::ListUnprocessedEventsInBuckets(int64_t after_seq, int limit,
                                                                     std::span<const int> buckets) {
  if (buckets.empty()) {
    return ListUnprocessedEvents(after_seq, limit);
  }
  return NotSupported("ListUnprocessedEventsInBuckets");
}
Result<int64_t> Store::CountOutboxBacklog() { return NotSupported("CountOutboxBacklog"); }

}  // namespace salesradar::store
