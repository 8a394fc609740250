// Sign-in, sign-out, the signed-in user, and password changes. API tokens are in
// auth_token_routes.cc.
#include <algorithm>
#include <chrono>
#include <mutex>

#include <fmt/format.h>

#include "api/auth_session.h"
#include "api/auth_token_routes.h"
#include "api/people_json.h"
#include "api/principal.h"
#include "api/request_io.h"
#include "api/routes.h"
#include "api/store_pool.h"
#include "auth/csrf.h"
#include "auth/password.h"
#include "auth/secret_token.h"
#include "common/error.h"
#include "common/logging.h"
#include "server/error_mapping.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

// The one error of every failed sign-in, so that it does not reveal which logins exist.
Error WrongLoginOrPassword() {
  return Error(ErrorCode::kUnauthenticated, "登录名或密码错误", "wrong login or password");
}

// A hash of a random password, verified against when the login does not exist, so that an
// unknown login takes as long as a wrong password.
const std::string& DecoyPasswordHash() {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [] {
    Result<std::string> made = auth::HashPassword(auth::GeneratePassword());
    hash = made.ok() ? *made : std::string();
  });
  return hash;
}

// The 429 response of the sign-in rate limiter, with Retry-After in whole seconds.
Response TooManyAttempts(const Request& request, Microseconds retry_after) {
  int64_t seconds = std::max<int64_t>(
      1, std::chrono::ceil<std::chrono::seconds>(retry_after).count());
  Error error(ErrorCode::kResourceExhausted,
              fmt::format("登录尝试次数过多，请在 {} 秒后重试", seconds),
              fmt::format("too many sign-in attempts; retry in {} s", seconds));
  Response response =
      server::ErrorResponse(server::ApiErrorFrom(error), request.locale, request.request_id);
  response.headers.Set("Retry-After", std::to_string(seconds));
  return response;
}

// Writes the audit row of a failed sign-in. A failure to write it is logged, not returned,
// because the response must stay the same.
void AuditFailedSignIn(store::Store& store, const Request& request, std::string_view login,
                       std::optional<int64_t> user_id) {
  store::AuditEvent event;
  event.action = "sign_in_failed";
  event.entity_kind = "credentials";
  event.entity_id = user_id ? std::to_string(*user_id) : "";
  event.after_json = json{{"login", std::string(login.substr(0, 64))},
                          {"remote_address", request.remote_address}}
                         .dump();
  store::AuditContext audit{"anonymous", request.request_id};
  Result<int64_t> written = store.AppendAudit(event, audit);
  if (!written.ok()) {
    Logger("auth")->error("request {}: audit of a failed sign-in failed: {}", request.request_id,
                          written.error().ToLogString());
  }
}

Result<model::User> FindUser(store::Store& store, int64_t user_id) {
  SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store.ListUsers());
  for (model::User& user : users) {
    if (user.id == user_id) {
      return std::move(user);
    }
  }
  return NotFound(fmt::format("用户 {} 不存在", user_id),
                  fmt::format("user {} not found", user_id));
}

// Verifies the password of `login`; returns its credentials or the generic sign-in error.
Result<store::Credentials> CheckPassword(store::Store& store, const Request& request,
                                         const std::string& login, const std::string& password) {
  SR_ASSIGN_OR_RETURN(std::optional<store::Credentials> credentials,
                      store.FindCredentialsByLogin(login));
  if (!credentials) {
    (void)auth::VerifyPassword(password, DecoyPasswordHash());
    AuditFailedSignIn(store, request, login, std::nullopt);
    Logger("auth")->info("request {}: sign-in failed, unknown login", request.request_id);
    return WrongLoginOrPassword();
  }
  if (!auth::VerifyPassword(password, credentials->password_hash)) {
    AuditFailedSignIn(store, request, login, credentials->user_id);
    Logger("auth")->info("request {}: user {}: sign-in failed, wrong password",
                         request.request_id, credentials->user_id);
    return WrongLoginOrPassword();
  }
  if (credentials->disabled) {
    AuditFailedSignIn(store, request, login, credentials->user_id);
    Logger("auth")->info("request {}: user {}: sign-in rejected, user disabled",
                         request.request_id, credentials->user_id);
    return WrongLoginOrPassword();
  }
  return std::move(*credentials);
}

void RehashIfOutdated(store::Store& store, const Request& request,
                      const store::Credentials& credentials, const std::string& password) {
  if (!auth::PasswordNeedsRehash(credentials.password_hash)) {
    return;
  }
  Result<std::string> hash = auth::HashPassword(password);
  Status stored = hash.ok() ? store.SetPasswordHash(credentials.user_id, *hash,
                                                    store::AuditContext::User(
                                                        credentials.user_id, request.request_id))
                            : Status(hash.error());
  if (!stored.ok()) {
    Logger("auth")->warn("request {}: user {}: rehashing the password failed: {}",
                         request.request_id, credentials.user_id, stored.error().ToLogString());
  }
}

Result<Response> SignIn(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_ASSIGN_OR_RETURN(std::string login, RequiredString(body, "login"));
  SR_ASSIGN_OR_RETURN(std::string password, RequiredString(body, "password"));
  if (login.empty() || password.empty() || password.size() > auth::kMaxPasswordBytes) {
    return WrongLoginOrPassword();
  }

  auth::RateDecision decision = context.sign_in_limiter.TryAcquire(login, request.remote_address);
  if (!decision.allowed) {
    Logger("auth")->warn("request {}: sign-in rate limited for address {}", request.request_id,
                         request.remote_address);
    return TooManyAttempts(request, decision.retry_after);
  }

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(store::Credentials credentials,
                      CheckPassword(*store, request, login, password));
  context.sign_in_limiter.RecordSuccess(login);
  RehashIfOutdated(*store, request, credentials, password);
  SR_ASSIGN_OR_RETURN(model::User user, FindUser(*store, credentials.user_id));

  std::string session_id = auth::GenerateSessionId();
  Timestamp now = context.clock.Now();
  store::Session session;
  session.id_hash = auth::HashSecret(session_id);
  session.user_id = credentials.user_id;
  session.created_at = now;
  session.last_seen_at = now;
  session.expires_at = SessionExpiry(now, now);
  session.csrf_secret = auth::GenerateCsrfSecret();
  SR_RETURN_IF_ERROR(store->CreateSession(
      session, store::AuditContext::User(credentials.user_id, request.request_id)));
  Logger("auth")->info("request {}: user {}: signed in from {}", request.request_id,
                       credentials.user_id, request.remote_address);

  std::string csrf_token = auth::CsrfTokenFor(session.csrf_secret, session.id_hash);
  Response response = Response::Json(
      200, json{{"user", UserJson(user, credentials)}, {"csrf_token", csrf_token}});
  SetSessionCookies(response, session_id, csrf_token, context.config.secure_cookies);
  return response;
}

Result<Response> SignOut(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  if (principal.via != Principal::Via::kSession) {
    return Error(ErrorCode::kFailedPrecondition,
                 "API 令牌无需退出登录；要停用令牌请调用 DELETE /api/v1/tokens/{id}",
                 "an API token has no session to sign out of; revoke it with DELETE "
                 "/api/v1/tokens/{id}");
  }

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  Status deleted = store->DeleteSession(
      principal.session_id_hash, store::AuditContext::User(principal.user_id, request.request_id));
  if (!deleted.ok() && deleted.error().code() != ErrorCode::kNotFound) {
    return std::move(deleted).error();
  }
  Logger("auth")->info("request {}: user {}: signed out", request.request_id, principal.user_id);

  Response response = Response::NoContent();
  ClearSessionCookies(response, context.config.secure_cookies);
  return response;
}

Result<Response> Me(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(model::User user, FindUser(*store, principal.user_id));
  SR_ASSIGN_OR_RETURN(std::optional<store::Credentials> credentials,
                      store->FindCredentialsByUser(principal.user_id));

  json body = {{"user", UserJson(user, credentials)},
               {"via", principal.via == Principal::Via::kSession ? "session" : "api_token"}};
  if (principal.via == Principal::Via::kSession) {
    body["csrf_token"] = auth::CsrfTokenFor(principal.csrf_secret, principal.session_id_hash);
  }
  return Response::Json(200, body);
}

Result<Response> ChangePassword(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_ASSIGN_OR_RETURN(std::string old_password, RequiredString(body, "old_password"));
  SR_ASSIGN_OR_RETURN(std::string new_password, RequiredString(body, "new_password"));

  // The old password is a guessable secret too, so its checks share the sign-in limits.
  auth::RateDecision decision =
      context.sign_in_limiter.TryAcquire(principal.login, request.remote_address);
  if (!decision.allowed) {
    return TooManyAttempts(request, decision.retry_after);
  }

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(std::optional<store::Credentials> credentials,
                      store->FindCredentialsByUser(principal.user_id));
  if (!credentials || !auth::VerifyPassword(old_password, credentials->password_hash)) {
    Logger("auth")->info("request {}: user {}: password change rejected, wrong old password",
                         request.request_id, principal.user_id);
    return InvalidArgument("字段 old_password：当前密码不正确", "field old_password: the current "
                                                               "password is wrong")
        .AddDetail("field", "old_password");
  }
  context.sign_in_limiter.RecordSuccess(principal.login);

  Status policy = auth::CheckPasswordPolicy(new_password, principal.login);
  if (!policy.ok()) {
    Error error = std::move(policy).error();
    error.Wrap("字段 new_password", "field new_password");
    return std::move(error.AddDetail("field", "new_password"));
  }
  SR_ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(new_password));
  SR_RETURN_IF_ERROR(store->SetPasswordHash(
      principal.user_id, hash, store::AuditContext::User(principal.user_id, request.request_id)));
  // NOTE: other sessions of the user stay valid; the store has no call to end them all.
  Logger("auth")->info("request {}: user {}: password changed", request.request_id,
                       principal.user_id);
  return Response::NoContent();
}

}  // namespace

void RegisterAuthRoutes(server::Router& router, ApiContext& context) {
  router.Add(Method::kPost, "/api/v1/auth/sign-in",
             [&context](const Request& request) { return SignIn(request, context); });
  router.Add(Method::kPost, "/api/v1/auth/sign-out",
             [&context](const Request& request) { return SignOut(request, context); });
  router.Add(Method::kGet, "/api/v1/auth/me",
             [&context](const Request& request) { return Me(request, context); });
  router.Add(Method::kPost, "/api/v1/auth/password",
             [&context](const Request& request) { return ChangePassword(request, context); });
  RegisterTokenRoutes(router, context);
}

}  // namespace salesradar::api
