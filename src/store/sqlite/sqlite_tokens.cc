// API tokens. Only the token's SHA-256 is stored; no token or hash reaches a log line.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_store.h"

namespace salesradar::store::sqlite {
namespace {

constexpr const char* kSelectToken =
    "SELECT id, token_hash, name, user_id, scopes, created_at, last_used_at, revoked_at"
    " FROM api_tokens";

std::vector<std::string> ParseScopes(const std::string& text) {
  nlohmann::json parsed = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  std::vector<std::string> scopes;
  if (!parsed.is_array()) {
    return scopes;
  }
  for (const nlohmann::json& scope : parsed) {
    if (scope.is_string()) {
      scopes.push_back(scope.get<std::string>());
    }
  }
  return scopes;
}

ApiToken ReadToken(const Statement& row) {
  ApiToken token;
  token.id = row.Int(0);
  token.token_hash = row.Text(1);
  token.name = row.Text(2);
  token.user_id = row.Int(3);
  token.scopes = ParseScopes(row.Text(4));
  token.created_at = FromUnixMicros(row.Int(5));
  if (!row.IsNull(6)) {
    token.last_used_at = FromUnixMicros(row.Int(6));
  }
  if (!row.IsNull(7)) {
    token.revoked_at = FromUnixMicros(row.Int(7));
  }
  return token;
}

Error NoToken(int64_t id) {
  return NotFound(fmt::format("找不到 id 为 {} 的 API 令牌", id),
                  fmt::format("no API token with id {}", id));
}

}  // namespace

Result<int64_t> SqliteStore::CreateApiToken(const NewApiToken& token, const AuditContext& audit) {
  return WithTransaction([&]() -> Result<int64_t> {
    SR_RETURN_IF_ERROR(CheckUserExists(token.user_id));
    SR_ASSIGN_OR_RETURN(std::optional<ApiToken> existing, FindApiTokenByHash(token.token_hash));
    if (existing) {
      return Error(ErrorCode::kAlreadyExists, "API 令牌重复；请重新生成令牌",
                   "the API token is already stored; generate a new one");
    }

    nlohmann::json scopes = token.scopes;
    SR_ASSIGN_OR_RETURN(StatementLease insert,
                        connection_->Cached("INSERT INTO api_tokens (token_hash, name, user_id,"
                                            " scopes, created_at) VALUES (?, ?, ?, ?, ?)"));
    insert->BindText(1, token.token_hash);
    insert->BindText(2, token.name);
    insert->BindInt(3, token.user_id);
    insert->BindText(4, scopes.dump());
    insert->BindInt(5, ToUnixMicros(Now()));
    SR_RETURN_IF_ERROR(insert->Run());
    auto id = static_cast<int64_t>(sqlite3_last_insert_rowid(connection_->handle()));

    nlohmann::json after{{"name", token.name}, {"user_id", token.user_id}, {"scopes", scopes}};
    AuditEvent event{"create", "api_token", std::to_string(id), std::nullopt, after.dump()};
    SR_RETURN_IF_ERROR(WriteAuditRow(event, audit));
    logger_->info("api token {}: created for user {} as '{}'", id, token.user_id, token.name);
    return id;
  });
}

Result<std::optional<ApiToken>> SqliteStore::FindApiTokenByHash(std::string_view token_hash) {
  SR_ASSIGN_OR_RETURN(StatementLease select,
                      connection_->Cached(std::string(kSelectToken) + " WHERE token_hash = ?"));
  select->BindText(1, token_hash);
  SR_ASSIGN_OR_RETURN(bool found, select->Step());
  return found ? std::optional<ApiToken>(ReadToken(*select)) : std::nullopt;
}

Result<std::vector<ApiToken>> SqliteStore::ListApiTokens(std::optional<int64_t> user_id) {
  std::string sql = std::string(kSelectToken) +
                    (user_id ? " WHERE user_id = ? ORDER BY id" : " ORDER BY id");
  SR_ASSIGN_OR_RETURN(StatementLease select, connection_->Cached(sql));
  if (user_id) {
    select->BindInt(1, *user_id);
  }
  std::vector<ApiToken> tokens;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) {
      return tokens;
    }
    tokens.push_back(ReadToken(*select));
  }
}

Status SqliteStore::TouchApiToken(int64_t id, Timestamp used_at) {
  return WithTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(StatementLease update,
                        connection_->Cached("UPDATE api_tokens SET last_used_at = ? WHERE id = ?"));
    update->BindInt(1, ToUnixMicros(used_at));
    update->BindInt(2, id);
    SR_RETURN_IF_ERROR(update->Run());
    return sqlite3_changes(connection_->handle()) == 0 ? Status(NoToken(id)) : OkStatus();
  });
}

Status SqliteStore::RevokeApiToken(int64_t id, const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(StatementLease update,
                        connection_->Cached("UPDATE api_tokens SET revoked_at ="
                                            " COALESCE(revoked_at, ?) WHERE id = ?"));
    update->BindInt(1, ToUnixMicros(Now()));
    update->BindInt(2, id);
    SR_RETURN_IF_ERROR(update->Run());
    if (sqlite3_changes(connection_->handle()) == 0) {
      return NoToken(id);
    }

    AuditEvent event{"revoke", "api_token", std::to_string(id), std::nullopt, std::nullopt};
    SR_RETURN_IF_ERROR(WriteAuditRow(event, audit));
    logger_->info("api token {}: revoked", id);
    return OkStatus();
  });
}

}  // namespace salesradar::store::sqlite
