#include "api/principal.h"

#include <algorithm>

#include <fmt/format.h>

#include "api/api_context.h"
#include "api/auth_session.h"
#include "api/store_pool.h"
#include "auth/csrf.h"
#include "auth/secret_token.h"
#include "common/error.h"
#include "common/logging.h"

namespace salesradar::api {
namespace {

Error SignInFirst() {
  return Error(ErrorCode::kUnauthenticated, "请先登录", "sign in first");
}

// The scopes that let an API token write; a token without scopes carries all of its user's
// rights.
bool TokenMayWrite(const store::ApiToken& token) {
  return token.scopes.empty() ||
         std::find(token.scopes.begin(), token.scopes.end(), "write") != token.scopes.end();
}

// Fills the user's part of `principal`, or returns kUnauthenticated when the user is gone or
// disabled.
Status LoadUser(store::Store& store, int64_t user_id, Principal& principal) {
  SR_ASSIGN_OR_RETURN(std::optional<store::Credentials> credentials,
                      store.FindCredentialsByUser(user_id));
  if (!credentials || credentials->disabled) {
    return SignInFirst();
  }

  SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store.ListUsers());
  auto user = std::find_if(users.begin(), users.end(),
                           [user_id](const model::User& u) { return u.id == user_id; });
  if (user == users.end()) {
    return SignInFirst();
  }
  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, store.ListOrgUnits());
  SR_ASSIGN_OR_RETURN(principal.viewer, auth::ViewerFor(*user, units));

  principal.user_id = user_id;
  principal.login = credentials->login;
  principal.display_name = user->name;
  principal.role = principal.viewer.role;
  return OkStatus();
}

Result<std::optional<std::string_view>> BearerToken(const server::Request& request) {
  std::optional<std::string_view> header = request.Header("Authorization");
  if (!header) {
    return std::optional<std::string_view>();
  }
  constexpr std::string_view kScheme = "Bearer ";
  if (header->size() <= kScheme.size() ||
      !std::equal(kScheme.begin(), kScheme.end(), header->begin(),
                  [](char a, char b) { return (a | 0x20) == (b | 0x20); })) {
    return Error(ErrorCode::kUnauthenticated, "Authorization 头必须是 Bearer srt_... 形式",
                 "the Authorization header must have the form Bearer srt_...");
  }
  return std::optional<std::string_view>(header->substr(kScheme.size()));
}

struct Authenticated {
  Principal principal;
  bool token_may_write = true;
};

Result<Authenticated> AuthenticateByToken(std::string_view secret, store::Store& store,
                                          const ApiContext& context) {
  if (!auth::HasSecretFormat(secret, auth::kApiTokenPrefix)) {
    return SignInFirst();
  }
  SR_ASSIGN_OR_RETURN(std::optional<store::ApiToken> token,
                      store.FindApiTokenByHash(auth::HashSecret(secret)));
  if (!token || token->revoked_at) {
    return SignInFirst();
  }

  Authenticated result;
  SR_RETURN_IF_ERROR(LoadUser(store, token->user_id, result.principal));
  result.principal.via = Principal::Via::kApiToken;
  result.principal.api_token_id = token->id;
  result.token_may_write = TokenMayWrite(*token);

  Timestamp now = context.clock.Now();
  if (!token->last_used_at || now - *token->last_used_at >= kTouchInterval) {
    Status touched = store.TouchApiToken(token->id, now);
    if (!touched.ok()) {
      Logger("api")->warn("token {}: recording last use failed: {}", token->id,
                          touched.error().ToLogString());
    }
  }
  return result;
}

Result<Authenticated> AuthenticateBySession(std::string_view session_id, store::Store& store,
                                            const ApiContext& context) {
  if (!auth::HasSecretFormat(session_id, auth::kSessionIdPrefix)) {
    return SignInFirst();
  }
  std::string id_hash = auth::HashSecret(session_id);
  SR_ASSIGN_OR_RETURN(std::optional<store::Session> session, store.FindSession(id_hash));
  Timestamp now = context.clock.Now();
  if (!session || session->expires_at <= now) {
    return SignInFirst();
  }

  Authenticated result;
  SR_RETURN_IF_ERROR(LoadUser(store, session->user_id, result.principal));
  result.principal.via = Principal::Via::kSession;
  result.principal.session_id_hash = id_hash;
  result.principal.csrf_secret = session->csrf_secret;

  if (now - session->last_seen_at >= kTouchInterval) {
    Status touched = store.TouchSession(id_hash, now, SessionExpiry(session->created_at, now));
    if (!touched.ok()) {
      Logger("api")->warn("user {}: recording session activity failed: {}", session->user_id,
                          touched.error().ToLogString());
    }
  }
  return result;
}

// A bearer token wins over a cookie; a request with a malformed or unknown token is rejected
// even when it also carries a valid cookie.
Result<Authenticated> AuthenticateRequest(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(std::optional<std::string_view> bearer, BearerToken(request));
  std::optional<std::string> session_id;
  if (!bearer) {
    session_id = RequestCookie(request, kSessionCookie);
    if (!session_id) {
      return SignInFirst();
    }
  }

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  if (bearer) {
    return AuthenticateByToken(*bearer, *store, context);
  }
  return AuthenticateBySession(*session_id, *store, context);
}

LocalizedText RoleLabel(auth::Role role) {
  switch (role) {
    case auth::Role::kRep: return {"销售代表", "rep"};
    case auth::Role::kManager: return {"销售经理", "manager"};
    case auth::Role::kDirector: return {"销售总监", "director"};
    case auth::Role::kCs: return {"客户成功经理", "cs"};
    case auth::Role::kAdmin: return {"管理员", "admin"};
  }
  return {"", ""};
}

bool RoleSatisfies(auth::Role held, auth::Role needed) {
  using auth::Role;
  if (held == needed || held == Role::kAdmin) {
    return true;
  }
  switch (needed) {
    case Role::kRep: return true;
    case Role::kManager: return held == Role::kDirector;
    case Role::kDirector:
    case Role::kCs:
    case Role::kAdmin: return false;
  }
  return false;
}

}  // namespace

Result<Principal> Authenticate(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Authenticated result, AuthenticateRequest(request, context));
  return std::move(result.principal);
}

Result<Principal> AuthenticateWrite(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Authenticated result, AuthenticateRequest(request, context));
  const Principal& principal = result.principal;

  if (principal.via == Principal::Via::kApiToken) {
    if (!result.token_may_write) {
      return Error(ErrorCode::kPermissionDenied,
                   "此 API 令牌只能读取；请使用带 write 权限范围的令牌",
                   "this API token is read-only; use a token with the write scope");
    }
    return std::move(result.principal);
  }

  std::optional<std::string_view> csrf = request.Header(kCsrfHeader);
  if (!csrf || !auth::VerifyCsrfToken(*csrf, principal.csrf_secret, principal.session_id_hash)) {
    Logger("api")->warn("request {}: user {}: write rejected, missing or wrong {} header",
                        request.request_id, principal.user_id, kCsrfHeader);
    return Error(ErrorCode::kPermissionDenied,
                 fmt::format("缺少或错误的 {} 请求头；请把 {} Cookie 的值放入该请求头", kCsrfHeader,
                             kCsrfCookie),
                 fmt::format("missing or wrong {} header; send the value of the {} cookie in it",
                             kCsrfHeader, kCsrfCookie));
  }
  return std::move(result.principal);
}

Status RequireRole(const Principal& principal, auth::Role role) {
  if (RoleSatisfies(principal.role, role)) {
    return OkStatus();
  }
  LocalizedText label = RoleLabel(role);
  return Error(ErrorCode::kPermissionDenied,
               fmt::format("权限不足：需要{}或更高的角色", label.zh),
               fmt::format("permission denied: this needs the {} role or above", label.en));
}

}  // namespace salesradar::api
