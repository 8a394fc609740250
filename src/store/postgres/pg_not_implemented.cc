// The Store methods that the PostgreSQL backend does not implement yet: sign-in state
// (credentials, sessions, API tokens), the audit log, and row visibility for a viewer.
// TODO: port them from the SQLite backend together with migrations/postgres/0002.
#include <fmt/format.h>

#include "store/postgres/pg_store.h"

namespace salesradar::store::postgres {
namespace {

Error NotImplemented(std::string_view what) {
  return Error(ErrorCode::kFailedPrecondition,
               fmt::format("PostgreSQL 后端尚不支持{}；请暂时使用 SQLite 数据库", what),
               fmt::format("the PostgreSQL backend does not support {} yet; use an SQLite "
                           "database for now",
                           what));
}

}  // namespace

Status PgStore::RequireSystemAccess(const auth::Viewer* viewer) {
  if (viewer == nullptr) {
    return OkStatus();
  }
  return NotImplemented("row visibility for a signed-in user");
}

Result<auth::Viewer> PgStore::ViewerForUser(int64_t) {
  return NotImplemented("row visibility for a signed-in user");
}

Status PgStore::CreateCredentials(const Credentials&, const AuditContext&) {
  return NotImplemented("sign-in credentials");
}

Result<std::optional<Credentials>> PgStore::FindCredentialsByLogin(std::string_view) {
  return NotImplemented("sign-in credentials");
}

Result<std::optional<Credentials>> PgStore::FindCredentialsByUser(int64_t) {
  return NotImplemented("sign-in credentials");
}

Status PgStore::SetPasswordHash(int64_t, std::string_view, const AuditContext&) {
  return NotImplemented("sign-in credentials");
}

Status PgStore::SetCredentialsDisabled(int64_t, bool, const AuditContext&) {
  return NotImplemented("sign-in credentials");
}

Status PgStore::CreateSession(const Session&, const AuditContext&) {
  return NotImplemented("sessions");
}

Result<std::optional<Session>> PgStore::FindSession(std::string_view) {
  return NotImplemented("sessions");
}

Status PgStore::TouchSession(std::string_view, Timestamp, Timestamp) {
  return NotImplemented("sessions");
}

Status PgStore::DeleteSession(std::string_view, const AuditContext&) {
  return NotImplemented("sessions");
}

Result<int64_t> PgStore::DeleteExpiredSessions(Timestamp) { return NotImplemented("sessions"); }

Result<int64_t> PgStore::CreateApiToken(const NewApiToken&, const AuditContext&) {
  return NotImplemented("API tokens");
}

Result<std::optional<ApiToken>> PgStore::FindApiTokenByHash(std::string_view) {
  return NotImplemented("API tokens");
}

Result<std::vector<ApiToken>> PgStore::ListApiTokens(std::optional<int64_t>) {
  return NotImplemented("API tokens");
}

Status PgStore::TouchApiToken(int64_t, Timestamp) { return NotImplemented("API tokens"); }

Status PgStore::RevokeApiToken(int64_t, const AuditContext&) {
  return NotImplemented("API tokens");
}

Result<int64_t> PgStore::AppendAudit(const AuditEvent&, const AuditContext&) {
  return NotImplemented("the audit log");
}

Result<std::vector<AuditEntry>> PgStore::ListAudit(int64_t, int) {
  return NotImplemented("the audit log");
}

Result<AuditChainReport> PgStore::VerifyAuditChain() { return NotImplemented("the audit log"); }

}  // namespace salesradar::store::postgres
