// Credentials and sessions. Secrets never reach a log line, an error or an audit row.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_store.h"

namespace salesradar::store::sqlite {
namespace {

constexpr const char* kSelectCredentials =
    "SELECT user_id, login, password_hash, disabled, created_at, updated_at FROM credentials";
constexpr const char* kSelectSession =
    "SELECT id_hash, user_id, created_at, expires_at, last_seen_at, csrf_secret FROM sessions";

Credentials ReadCredentials(const Statement& row) {
  Credentials credentials;
  credentials.user_id = row.Int(0);
  credentials.login = row.Text(1);
  credentials.password_hash = row.Text(2);
  credentials.disabled = row.Int(3) != 0;
  credentials.created_at = FromUnixMicros(row.Int(4));
  credentials.updated_at = FromUnixMicros(row.Int(5));
  return credentials;
}

Session ReadSession(const Statement& row) {
  Session session;
  session.id_hash = row.Text(0);
  session.user_id = row.Int(1);
  session.created_at = FromUnixMicros(row.Int(2));
  session.expires_at = FromUnixMicros(row.Int(3));
  session.last_seen_at = FromUnixMicros(row.Int(4));
  session.csrf_secret = row.Text(5);
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

Status SqliteStore::CheckUserExists(int64_t user_id) {
  SR_ASSIGN_OR_RETURN(StatementLease exists,
                      connection_->Cached("SELECT 1 FROM users WHERE id = ?"));
  exists->BindInt(1, user_id);
  SR_ASSIGN_OR_RETURN(bool found, exists->Step());
  if (!found) {
    return NotFound(fmt::format("找不到 id 为 {} 的用户；请先导入或创建该用户", user_id),
                    fmt::format("no user with id {}; import or create the user first", user_id));
  }
  return OkStatus();
}

Status SqliteStore::CreateCredentials(const Credentials& credentials, const AuditContext& audit) {
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

    SR_ASSIGN_OR_RETURN(StatementLease insert,
                        connection_->Cached("INSERT INTO credentials (user_id, login,"
                                            " password_hash, disabled, created_at, updated_at)"
                                            " VALUES (?, ?, ?, ?, ?, ?)"));
    int64_t now = ToUnixMicros(Now());
    insert->BindInt(1, credentials.user_id);
    insert->BindText(2, credentials.login);
    insert->BindText(3, credentials.password_hash);
    insert->BindInt(4, credentials.disabled ? 1 : 0);
    insert->BindInt(5, now);
    insert->BindInt(6, now);
    SR_RETURN_IF_ERROR(insert->Run());

    nlohmann::json after{{"login", credentials.login}, {"disabled", credentials.disabled}};
    AuditEvent event{"create", "credentials", std::to_string(credentials.user_id), std::nullopt,
                     after.dump()};
    SR_RETURN_IF_ERROR(WriteAuditRow(event, audit));
    logger_->info("user {}: credentials created for login '{}'", credentials.user_id,
                  credentials.login);
    return OkStatus();
  });
}

Result<std::optional<Credentials>> SqliteStore::FindCredentialsByLogin(std::string_view login) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached(std::string(kSelectCredentials) + " WHERE login = ?"));
  select->BindText(1, login);
  SR_ASSIGN_OR_RETURN(bool found, select->Step());
  return found ? std::optional<Credentials>(ReadCredentials(*select)) : std::nullopt;
}

Result<std::optional<Credentials>> SqliteStore::FindCredentialsByUser(int64_t user_id) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached(std::string(kSelectCredentials) + " WHERE user_id = ?"));
  select->BindInt(1, user_id);
  SR_ASSIGN_OR_RETURN(bool found, select->Step());
  return found ? std::optional<Credentials>(ReadCredentials(*select)) : std::nullopt;
}

Status SqliteStore::UpdateCredentials(int64_t user_id, const std::string& sql,
                                      const std::function<void(Statement&)>& bind) {
  SR_ASSIGN_OR_RETURN(StatementLease update, connection_->Cached(sql));
  bind(*update);
  SR_RETURN_IF_ERROR(update->Run());
  if (sqlite3_changes(connection_->handle()) == 0) {
    return NoCredentials(user_id);
  }
  return OkStatus();
}

Status SqliteStore::SetPasswordHash(int64_t user_id, std::string_view password_hash,
                                    const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    SR_RETURN_IF_ERROR(UpdateCredentials(
        user_id, "UPDATE credentials SET password_hash = ?, updated_at = ? WHERE user_id = ?",
        [&](Statement& update) {
          update.BindText(1, password_hash);
          update.BindInt(2, ToUnixMicros(Now()));
          update.BindInt(3, user_id);
        }));
    AuditEvent event{"set_password", "credentials", std::to_string(user_id), std::nullopt,
                     std::nullopt};
    return WriteAuditRow(event, audit);
  });
}

Status SqliteStore::SetCredentialsDisabled(int64_t user_id, bool disabled,
                                           const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    SR_RETURN_IF_ERROR(UpdateCredentials(
        user_id, "UPDATE credentials SET disabled = ?, updated_at = ? WHERE user_id = ?",
        [&](Statement& update) {
          update.BindInt(1, disabled ? 1 : 0);
          update.BindInt(2, ToUnixMicros(Now()));
          update.BindInt(3, user_id);
        }));
    AuditEvent event{disabled ? "disable" : "enable", "credentials", std::to_string(user_id),
                     std::nullopt, std::nullopt};
    SR_ASSIGN_OR_RETURN(int64_t audit_id,
                        WriteAuditRows(std::span<const AuditEvent>(&event, 1), audit));
    logger_->info("user {}: sign-in {} (audit row {})", user_id,
                  disabled ? "disabled" : "enabled", audit_id);
    return OkStatus();
  });
}

Status SqliteStore::CreateSession(const Session& session, const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    SR_RETURN_IF_ERROR(CheckUserExists(session.user_id));
    SR_ASSIGN_OR_RETURN(std::optional<Session> existing, FindSession(session.id_hash));
    if (existing) {
      return AlreadyExists("会话 id 重复；请重新生成会话 id",
                           "the session id is already in use; generate a new one");
    }

    SR_ASSIGN_OR_RETURN(StatementLease insert,
                        connection_->Cached("INSERT INTO sessions (id_hash, user_id, created_at,"
                                            " expires_at, last_seen_at, csrf_secret)"
                                            " VALUES (?, ?, ?, ?, ?, ?)"));
    insert->BindText(1, session.id_hash);
    insert->BindInt(2, session.user_id);
    insert->BindInt(3, ToUnixMicros(session.created_at));
    insert->BindInt(4, ToUnixMicros(session.expires_at));
    insert->BindInt(5, ToUnixMicros(session.last_seen_at));
    insert->BindText(6, session.csrf_secret);
    SR_RETURN_IF_ERROR(insert->Run());

    nlohmann::json after{{"expires_at", ToUnixMicros(session.expires_at)}};
    AuditEvent event{"create", "session", std::to_string(session.user_id), std::nullopt,
                     after.dump()};
    return WriteAuditRow(event, audit);
  });
}

Result<std::optional<Session>> SqliteStore::FindSession(std::string_view id_hash) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached(std::string(kSelectSession) + " WHERE id_hash = ?"));
  select->BindText(1, id_hash);
  SR_ASSIGN_OR_RETURN(bool found, select->Step());
  return found ? std::optional<Session>(ReadSession(*select)) : std::nullopt;
}

Status SqliteStore::TouchSession(std::string_view id_hash, Timestamp last_seen_at,
                                 Timestamp expires_at) {
  return WithTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(StatementLease update,
                        connection_->Cached("UPDATE sessions SET last_seen_at = ?, expires_at = ?"
                                            " WHERE id_hash = ?"));
    update->BindInt(1, ToUnixMicros(last_seen_at));
    update->BindInt(2, ToUnixMicros(expires_at));
    update->BindText(3, id_hash);
    SR_RETURN_IF_ERROR(update->Run());
    return sqlite3_changes(connection_->handle()) == 0 ? Status(NoSession()) : OkStatus();
  });
}

Status SqliteStore::DeleteSession(std::string_view id_hash, const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(std::optional<Session> session, FindSession(id_hash));
    if (!session) {
      return NoSession();
    }
    SR_ASSIGN_OR_RETURN(StatementLease remove,
                        connection_->Cached("DELETE FROM sessions WHERE id_hash = ?"));
    remove->BindText(1, id_hash);
    SR_RETURN_IF_ERROR(remove->Run());

    AuditEvent event{"delete", "session", std::to_string(session->user_id), std::nullopt,
                     std::nullopt};
    return WriteAuditRow(event, audit);
  });
}

Result<int64_t> SqliteStore::DeleteExpiredSessions(Timestamp now) {
  return WithTransaction([&]() -> Result<int64_t> {
    SR_ASSIGN_OR_RETURN(StatementLease remove,
                        connection_->Cached("DELETE FROM sessions WHERE expires_at <= ?"));
    remove->BindInt(1, ToUnixMicros(now));
    SR_RETURN_IF_ERROR(remove->Run());
    int64_t removed = sqlite3_changes(connection_->handle());
    if (removed == 0) {
      return removed;
    }

    nlohmann::json after{{"expired_sessions", removed}};
    AuditEvent event{"expire", "session", "*", std::nullopt, after.dump()};
    SR_ASSIGN_OR_RETURN(int64_t audit_id,
                        WriteAuditRows(std::span<const AuditEvent>(&event, 1),
                                       AuditContext::System()));
    logger_->info("sessions: {} expired sessions deleted (audit row {})", removed, audit_id);
    return removed;
  });
}

}  // namespace salesradar::store::sqlite
