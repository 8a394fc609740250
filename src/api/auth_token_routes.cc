// API tokens for integrations. A user lists, creates and revokes their own tokens; an admin
// those of any user. The secret (srt_...) is returned once, by the POST that creates it; only
// its digest is stored.
#include "api/auth_token_routes.h"

#include <algorithm>

#include <fmt/format.h>

#include "api/principal.h"
#include "api/principal_audit.h"
#include "api/request_io.h"
#include "api/store_pool.h"
#include "auth/secret_token.h"
#include "common/error.h"
#include "common/logging.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

// The scopes a token may carry: "read" for GET routes, "write" for the routes that change data.
// A token without scopes (made by `salesradar` tools) has both.
constexpr std::string_view kTokenScopes[] = {"read", "write"};
constexpr size_t kMaxTokenNameLength = 100;

json TokenJson(const store::ApiToken& token) {
  json scopes = token.scopes.empty() ? json{"read", "write"} : json(token.scopes);
  return {
      {"id", token.id},
      {"name", token.name},
      {"user_id", token.user_id},
      {"scopes", scopes},
      {"created_at", FormatTime(token.created_at)},
      {"last_used_at", token.last_used_at ? json(FormatTime(*token.last_used_at)) : json(nullptr)},
      {"revoked_at", token.revoked_at ? json(FormatTime(*token.revoked_at)) : json(nullptr)},
  };
}

// Returns the user whose tokens the request is about: `requested`, or the principal when not
// given. Only an admin may name another user.
Result<int64_t> TokenOwner(const Principal& principal, std::optional<int64_t> requested) {
  if (!requested || *requested == principal.user_id) {
    return principal.user_id;
  }
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  return *requested;
}

Result<std::vector<std::string>> ParseScopes(const json& body) {
  auto it = body.find("scopes");
  if (it == body.end() || it->is_null()) {
    return std::vector<std::string>(std::begin(kTokenScopes), std::end(kTokenScopes));
  }
  Error invalid = InvalidArgument("字段 scopes 必须是由 \"read\"、\"write\" 组成的非空数组",
                                  "field scopes must be a non-empty array of \"read\" and "
                                  "\"write\"");
  invalid.AddDetail("field", "scopes");
  if (!it->is_array() || it->empty()) {
    return invalid;
  }
  std::vector<std::string> scopes;
  for (const json& scope : *it) {
    if (!scope.is_string() ||
        std::find(std::begin(kTokenScopes), std::end(kTokenScopes), scope.get<std::string>()) ==
            std::end(kTokenScopes)) {
      return invalid;
    }
    if (std::find(scopes.begin(), scopes.end(), scope.get<std::string>()) == scopes.end()) {
      scopes.push_back(scope.get<std::string>());
    }
  }
  return scopes;
}

Result<Response> ListTokens(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> user_id, OptionalIntQuery(request, "user_id"));
  SR_ASSIGN_OR_RETURN(int64_t owner, TokenOwner(principal, user_id));

  int64_t after_id = 0;
  if (page.cursor) {
    SR_ASSIGN_OR_RETURN(json position, DecodeCursor(*page.cursor));
    if (!position.is_number_integer()) {
      return InvalidArgument("查询参数 cursor 无效；请去掉 cursor 从第一页重新开始",
                             "query parameter cursor is invalid; start again from the first page "
                             "without cursor");
    }
    after_id = position.get<int64_t>();
  }

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(std::vector<store::ApiToken> tokens, store->ListApiTokens(owner));

  json items = json::array();
  std::optional<std::string> next_cursor;
  for (const store::ApiToken& token : tokens) {
    if (token.id <= after_id) {
      continue;
    }
    if (static_cast<int>(items.size()) == page.limit) {
      next_cursor = EncodeCursor(items.back()["id"]);
      break;
    }
    items.push_back(TokenJson(token));
  }
  return ListPage(std::move(items), std::move(next_cursor));
}

Result<Response> CreateToken(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_ASSIGN_OR_RETURN(std::string name, RequiredString(body, "name"));
  if (name.empty() || name.size() > kMaxTokenNameLength) {
    return InvalidArgument(
               fmt::format("字段 name 必须是 1 到 {} 字节的文字，例如 erp-sync", kMaxTokenNameLength),
               fmt::format("field name must be 1 to {} bytes of text, such as erp-sync",
                           kMaxTokenNameLength))
        .AddDetail("field", "name");
  }
  SR_ASSIGN_OR_RETURN(std::vector<std::string> scopes, ParseScopes(body));
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> user_id, OptionalInt(body, "user_id"));
  SR_ASSIGN_OR_RETURN(int64_t owner, TokenOwner(principal, user_id));

  std::string secret = auth::GenerateApiToken();
  store::NewApiToken token;
  token.token_hash = auth::HashSecret(secret);
  token.name = name;
  token.user_id = owner;
  token.scopes = scopes;

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  Result<int64_t> created = store->CreateApiToken(token, AuditFor(principal, request));
  if (!created.ok() && created.error().code() == ErrorCode::kNotFound) {
    return NotFound(fmt::format("字段 user_id：用户 {} 不存在", owner),
                    fmt::format("field user_id: user {} not found", owner))
        .AddDetail("field", "user_id");
  }
  SR_ASSIGN_OR_RETURN(int64_t token_id, std::move(created));
  Logger("auth")->info("request {}: user {}: created API token {} for user {}", request.request_id,
                       principal.user_id, token_id, owner);

  SR_ASSIGN_OR_RETURN(std::vector<store::ApiToken> tokens, store->ListApiTokens(owner));
  auto stored = std::find_if(tokens.begin(), tokens.end(),
                             [token_id](const store::ApiToken& t) { return t.id == token_id; });
  if (stored == tokens.end()) {
    return Internal("新建的 API 令牌未能读回", "the new API token could not be read back");
  }
  json response = TokenJson(*stored);
  response["secret"] = secret;
  return Response::Json(201, response);
}

Result<Response> RevokeToken(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  SR_ASSIGN_OR_RETURN(int64_t token_id, IntParam(request, "id"));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  bool is_admin = principal.role == auth::Role::kAdmin;
  SR_ASSIGN_OR_RETURN(std::vector<store::ApiToken> tokens,
                      store->ListApiTokens(is_admin ? std::nullopt
                                                    : std::optional<int64_t>(principal.user_id)));
  auto token = std::find_if(tokens.begin(), tokens.end(),
                            [token_id](const store::ApiToken& t) { return t.id == token_id; });
  // Another user's token is reported as missing, so that ids do not reveal other users' tokens.
  if (token == tokens.end()) {
    return NotFound(fmt::format("API 令牌 {} 不存在", token_id),
                    fmt::format("API token {} not found", token_id));
  }

  if (!token->revoked_at) {
    SR_RETURN_IF_ERROR(store->RevokeApiToken(token_id, AuditFor(principal, request)));
    Logger("auth")->info("request {}: user {}: revoked API token {}", request.request_id,
                         principal.user_id, token_id);
  }
  return Response::NoContent();
}

}  // namespace

void RegisterTokenRoutes(server::Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v1/tokens",
             [&context](const Request& request) { return ListTokens(request, context); });
  router.Add(Method::kPost, "/api/v1/tokens",
             [&context](const Request& request) { return CreateToken(request, context); });
  router.Add(Method::kDelete, "/api/v1/tokens/{id}",
             [&context](const Request& request) { return RevokeToken(request, context); });
}

}  // namespace salesradar::api
