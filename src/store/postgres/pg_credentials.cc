// Credentials and sessions. Secrets never reach a log line, an error or an audit row.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/postgres/pg_store.h"

namespace salesradar::store::postgres {
namespace {

constexpr const char* kSelectCredentials =
    "SELECT user_id, login, password_hash, disabled, created_at, updated_at FROM credentials";
constexpr const char* kSelectSession =
    "SELECT id_hash, user_id, created_at, expires_at, last_seen_at, csrf_secret FROM sessions";

Credentials ReadCredentials(const PgResult& result, int row) {
  Credentials credentials;
  credentials.user_id = result.Int(row, 0);
  credentials.login = std::string(result.Text(row, 1));
  credentials.password_hash = std::string(result.Text(row, 2));
  credentials.disabled = result.Bool(row, 3);
  credentials.created_at = FromUnixMicros(result.Int(row, 4));
  credentials.updated_at = FromUnixMicros(result.Int(row, 5));
  return credentials;
}

Session ReadSession(const PgResult& result, int row) {
  Session session;
  session.id_hash = std::string(result.Text(row, 0));
  session.user_id = result.Int(row, 1);
  session.created_at = FromUnixMicros(result.Int(row, 2));
  session.expires_at = FromUnixMicros(result.Int(row, 3));
  session.last_seen_at = FromUnixMicros(result.Int(row, 4));
  session.csrf_secret = std::string(result.Text(row, 5));
  return session;
}

Error AlreadyExists(std::string zh, std::string en) {
  return Error(ErrorCode::kAlreadyExists, std::move(zh), std::move(en));
}

Error NoCredentials(int64_t user_id) {
  return NotFound(fmt::format("用户 {} 没有登录凭据；请先用 salesradar admin create 创建", user_id),
                  fmt::format("user {} has no credentials; create them first, for example with "
                              "salesradar admin create",
                              user_id));
}

Error NoSession() {
  return NotFound("会话不存在或已结束；请重新登录",
                  "the session does not exist or has ended; sign in again");
}

}  // namespace

Status PgStore::CheckUserExists(int64_t user_id) {
  PgParams params;
  params.AddInt(user_id);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query("SELECT 1 FROM users WHERE id = $1", params,
                                         "read users"));
  if (result.rows() == 0) {
    return NotFound(fmt::format("找不到 id 为 {} 的用户；请先导入或创建该用户", user_id),
                    fmt::format("no user with id {}; import or create the user first", user_id));
  }
  return OkStatus();
}

Status PgStore::CreateCredentials(const Credentials& credentials, const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    SR_RETURN_IF_ERROR(CheckUserExists(credentials.user_id));
    SR_ASSIGN_OR_RETURN(std::optional<Credentials> by_user,
                        FindCredentialsByUser(credentials.user_id));
    if (by_user) {
      return AlreadyExists(
          fmt::format("用户 {} 已有登录名 '{}'", credentials.user_id, by_user->login),
          fmt::format("user {} already has the login '{}'", credentials.user_id, by_user->login));
    }
    SR_ASSIGN_OR_RETURN(std::optional<Credentials> by_login,
                        FindCredentialsByLogin(credentials.login));
    if (by_login) {
      return AlreadyExists(
          fmt::format("登录名 '{}' 已被占用；请换一个登录名", credentials.login),
          fmt::format("the login '{}' is taken; choose another one", credentials.login));
    }

    PgParams params;
    int64_t now = ToUnixMicros(clock_->Now());
    params.AddInt(credentials.user_id);
    params.AddText(credentials.login);
    params.AddText(credentials.password_hash);
    params.AddBool(credentials.disabled);
    params.AddInt(now);
    SR_ASSIGN_OR_RETURN(PgResult inserted,
                        connection_->Query("INSERT INTO credentials (user_id, login,"
                                           " password_hash, disabled, created_at, updated_at)"
                                           " VALUES ($1, $2, $3, $4, $5, $5)",
                                           params, "store credentials"));

    nlohmann::json after{{"login", credentials.login}, {"disabled", credentials.disabled}};
    AuditEvent event{"create", "credentials", std::to_string(credentials.user_id), std::nullopt,
                     after.dump()};
    SR_ASSIGN_OR_RETURN(int64_t audit_id, WriteAuditRow(event, audit));
    logger_->info("user {}: credentials created for login '{}' (audit row {})",
                  credentials.user_id, credentials.login, audit_id);
    return OkStatus();
  });
}

Result<std::optional<Credentials>> PgStore::FindCredentialsByLogin(std::string_view login) {
  PgParams params;
  params.AddText(login);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(std::string(kSelectCredentials) +
                                             " WHERE lower(login) = lower($1)",
                                         params, "read credentials"));
  if (result.rows() == 0) {
    return std::optional<Credentials>();
  }
  return std::optional<Credentials>(ReadCredentials(result, 0));
}

Result<std::optional<Credentials>> PgStore::FindCredentialsByUser(int64_t user_id) {
  PgParams params;
  params.AddInt(user_id);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(std::string(kSelectCredentials) + " WHERE user_id = $1",
                                         params, "read credentials"));
  if (result.rows() == 0) {
    return std::optional<Credentials>();
  }
  return std::optional<Credentials>(ReadCredentials(result, 0));
}

Status PgStore::SetPasswordHash(int64_t user_id, std::string_view password_hash,
                                const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    PgParams params;
    params.AddText(password_hash);
    params.AddInt(ToUnixMicros(clock_->Now()));
    params.AddInt(user_id);
    SR_ASSIGN_OR_RETURN(PgResult updated,
                        connection_->Query("UPDATE credentials SET password_hash = $1,"
                                           " updated_at = $2 WHERE user_id = $3",
                                           params, "update credentials"));
    if (updated.affected_rows() == 0) {
      return NoCredentials(user_id);
    }

    AuditEvent event{"set_password", "credentials", std::to_string(user_id), std::nullopt,
                     std::nullopt};
    SR_ASSIGN_OR_RETURN(int64_t audit_id, WriteAuditRow(event, audit));
    (void)audit_id;
    return OkStatus();
  });
}

Status PgStore::SetCredentialsDisabled(int64_t user_id, bool disabled,
                                       const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    PgParams params;
    params.AddBool(disabled);
    params.AddInt(ToUnixMicros(clock_->Now()));
    params.AddInt(user_id);
    SR_ASSIGN_OR_RETURN(PgResult updated,
                        connection_->Query("UPDATE credentials SET disabled = $1,"
                                           " updated_at = $2 WHERE user_id = $3",
                                           params, "update credentials"));
    if (updated.affected_rows() == 0) {
      return NoCredentials(user_id);
    }

    AuditEvent event{disabled ? "disable" : "enable", "credentials", std::to_string(user_id),
                     std::nullopt, std::nullopt};
    SR_ASSIGN_OR_RETURN(int64_t audit_id, WriteAuditRow(event, audit));
    logger_->info("user {}: sign-in {} (audit row {})", user_id,
                  disabled ? "disabled" : "enabled", audit_id);
    return OkStatus();
  });
}

Status PgStore::CreateSession(const Session& session, const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    SR_RETURN_IF_ERROR(CheckUserExists(session.user_id));
    SR_ASSIGN_OR_RETURN(std::optional<Session> existing, FindSession(session.id_hash));
    if (existing) {
      return AlreadyExists("会话 id 重复；请重新生成会话 id",
                           "the session id is already in use; generate a new one");
    }

    PgParams params;
    params.AddText(session.id_hash);
    params.AddInt(session.user_id);
    params.AddInt(ToUnixMicros(session.created_at));
    params.AddInt(ToUnixMicros(session.expires_at));
    params.AddInt(ToUnixMicros(session.last_seen_at));
    params.AddText(session.csrf_secret);
    SR_ASSIGN_OR_RETURN(PgResult inserted,
                        connection_->Query("INSERT INTO sessions (id_hash, user_id, created_at,"
                                           " expires_at, last_seen_at, csrf_secret)"
                                           " VALUES ($1, $2, $3, $4, $5, $6)",
                                           params, "store a session"));

    nlohmann::json after{{"expires_at", ToUnixMicros(session.expires_at)}};
    AuditEvent event{"create", "session", std::to_string(session.user_id), std::nullopt,
                     after.dump()};
    SR_ASSIGN_OR_RETURN(int64_t audit_id, WriteAuditRow(event, audit));
    (void)audit_id;
    return OkStatus();
  });
}

Result<std::optional<Session>> PgStore::FindSession(std::string_view id_hash) {
  PgParams params;
  params.AddText(id_hash);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(std::string(kSelectSession) + " WHERE id_hash = $1",
                                         params, "read sessions"));
  if (result.rows() == 0) {
    return std::optional<Session>();
  }
  return std::optional<Session>(ReadSession(result, 0));
}

Status PgStore::TouchSession(std::string_view id_hash, Timestamp last_seen_at,
                             Timestamp expires_at) {
  PgParams params;
  params.AddInt(ToUnixMicros(last_seen_at));
  params.AddInt(ToUnixMicros(expires_at));
  params.AddText(id_hash);
  SR_ASSIGN_OR_RETURN(PgResult updated,
                      connection_->Query("UPDATE sessions SET last_seen_at = $1, expires_at = $2"
                                         " WHERE id_hash = $3",
                                         params, "update a session"));
  return updated.affected_rows() == 0 ? Status(NoSession()) : OkStatus();
}

Status PgStore::DeleteSession(std::string_view id_hash, const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    PgParams params;
    params.AddText(id_hash);
    SR_ASSIGN_OR_RETURN(PgResult removed,
                        connection_->Query("DELETE FROM sessions WHERE id_hash = $1"
                                           " RETURNING user_id",
                                           params, "delete a session"));
    if (removed.rows() == 0) {
      return NoSession();
    }

    AuditEvent event{"delete", "session", std::to_string(removed.Int(0, 0)), std::nullopt,
                     std::nullopt};
    SR_ASSIGN_OR_RETURN(int64_t audit_id, WriteAuditRow(event, audit));
    (void)audit_id;
    return OkStatus();
  });
}

Result<int64_t> PgStore::DeleteExpiredSessions(Timestamp now) {
  return WithTransaction([&]() -> Result<int64_t> {
    PgParams params;
    params.AddInt(ToUnixMicros(now));
    SR_ASSIGN_OR_RETURN(PgResult deleted,
                        connection_->Query("DELETE FROM sessions WHERE expires_at <= $1", params,
                                           "delete expired sessions"));
    int64_t removed = deleted.affected_rows();
    if (removed == 0) {
      return removed;
    }

    nlohmann::json after{{"expired_sessions", removed}};
    AuditEvent event{"expire", "session", "*", std::nullopt, after.dump()};
    SR_ASSIGN_OR_RETURN(int64_t audit_id, WriteAuditRow(event, AuditContext::System()));
    logger_->info("sessions: {} expired sessions deleted (audit row {})", removed, audit_id);
    return removed;
  });
}

}  // namespace salesradar::store::postgres
