// API tokens. Only the token's SHA-256 is stored; no token or hash reaches a log line.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/postgres/pg_store.h"

namespace salesradar::store::postgres {
namespace {

constexpr const char* kSelectToken =
    "SELECT id, token_hash, name, user_id, scopes, created_at, last_used_at, revoked_at"
    " FROM api_tokens";

std::vector<std::string> ParseScopes(std::string_view text) {
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

ApiToken ReadToken(const PgResult& result, int row) {
  ApiToken token;
  token.id = result.Int(row, 0);
  token.token_hash = std::string(result.Text(row, 1));
  token.name = std::string(result.Text(row, 2));
  token.user_id = result.Int(row, 3);
  token.scopes = ParseScopes(result.Text(row, 4));
  token.created_at = FromUnixMicros(result.Int(row, 5));
  if (!result.IsNull(row, 6)) {
    token.last_used_at = FromUnixMicros(result.Int(row, 6));
  }
  if (!result.IsNull(row, 7)) {
    token.revoked_at = FromUnixMicros(result.Int(row, 7));
  }
  return token;
}

Error NoToken(int64_t id) {
  return NotFound(fmt::format("找不到 id 为 {} 的 API 令牌", id),
                  fmt::format("no API token with id {}", id));
}

}  // namespace

Result<int64_t> PgStore::CreateApiToken(const NewApiToken& token, const AuditContext& audit) {
  return WithTransaction([&]() -> Result<int64_t> {
    SR_RETURN_IF_ERROR(CheckUserExists(token.user_id));
    SR_ASSIGN_OR_RETURN(std::optional<ApiToken> existing, FindApiTokenByHash(token.token_hash));
    if (existing) {
      return Error(ErrorCode::kAlreadyExists, "API 令牌重复；请重新生成令牌",
                   "the API token is already stored; generate a new one");
    }

    nlohmann::json scopes = token.scopes;
    PgParams params;
    params.AddText(token.token_hash);
    params.AddText(token.name);
    params.AddInt(token.user_id);
    params.AddText(scopes.dump());
    params.AddInt(ToUnixMicros(clock_->Now()));
    SR_ASSIGN_OR_RETURN(PgResult inserted,
                        connection_->Query("INSERT INTO api_tokens (token_hash, name, user_id,"
                                           " scopes, created_at) VALUES ($1, $2, $3, $4, $5)"
                                           " RETURNING id",
                                           params, "store an API token"));
    int64_t id = inserted.Int(0, 0);

    nlohmann::json after{{"name", token.name}, {"user_id", token.user_id}, {"scopes", scopes}};
    AuditEvent event{"create", "api_token", std::to_string(id), std::nullopt, after.dump()};
    SR_ASSIGN_OR_RETURN(int64_t audit_id, WriteAuditRow(event, audit));
    logger_->info("api token {}: created for user {} as '{}' (audit row {})", id, token.user_id,
                  token.name, audit_id);
    return id;
  });
}

Result<std::optional<ApiToken>> PgStore::FindApiTokenByHash(std::string_view token_hash) {
  PgParams params;
  params.AddText(token_hash);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_->Query(std::string(kSelectToken) + " WHERE token_hash = $1",
                                         params, "read API tokens"));
  if (result.rows() == 0) {
    return std::optional<ApiToken>();
  }
  return std::optional<ApiToken>(ReadToken(result, 0));
}

Result<std::vector<ApiToken>> PgStore::ListApiTokens(std::optional<int64_t> user_id) {
  PgParams params;
  std::string sql = std::string(kSelectToken) + " ORDER BY id";
  if (user_id) {
    sql = std::string(kSelectToken) + " WHERE user_id = $1 ORDER BY id";
    params.AddInt(*user_id);
  }
  SR_ASSIGN_OR_RETURN(PgResult result, connection_->Query(sql, params, "read API tokens"));

  std::vector<ApiToken> tokens;
  for (int row = 0; row < result.rows(); ++row) {
    tokens.push_back(ReadToken(result, row));
  }
  return tokens;
}

Status PgStore::TouchApiToken(int64_t id, Timestamp used_at) {
  PgParams params;
  params.AddInt(ToUnixMicros(used_at));
  params.AddInt(id);
  SR_ASSIGN_OR_RETURN(PgResult updated,
                      connection_->Query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2",
                                         params, "update an API token"));
  return updated.affected_rows() == 0 ? Status(NoToken(id)) : OkStatus();
}

Status PgStore::RevokeApiToken(int64_t id, const AuditContext& audit) {
  return WithTransaction([&]() -> Status {
    PgParams params;
    params.AddInt(ToUnixMicros(clock_->Now()));
    params.AddInt(id);
    SR_ASSIGN_OR_RETURN(PgResult updated,
                        connection_->Query("UPDATE api_tokens SET revoked_at ="
                                           " COALESCE(revoked_at, $1) WHERE id = $2",
                                           params, "revoke an API token"));
    if (updated.affected_rows() == 0) {
      return NoToken(id);
    }

    AuditEvent event{"revoke", "api_token", std::to_string(id), std::nullopt, std::nullopt};
    SR_ASSIGN_OR_RETURN(int64_t audit_id, WriteAuditRow(event, audit));
    logger_->info("api token {}: revoked (audit row {})", id, audit_id);
    return OkStatus();
  });
}

}  // namespace salesradar::store::postgres
