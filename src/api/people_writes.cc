#include "api/people_writes.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

#include "api/people_json.h"
#include "api/principal.h"
#include "api/principal_audit.h"
#include "api/request_io.h"
#include "api/store_pool.h"
#include "auth/password.h"
#include "auth/secret_token.h"
#include "common/error.h"
#include "common/logging.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

constexpr size_t kMaxNameBytes = 200;

Error FieldError(std::string_view field, std::string zh, std::string en) {
  return InvalidArgument(fmt::format("字段 {}：{}", field, zh), fmt::format("field {}: {}", field, en))
      .AddDetail("field", std::string(field));
}

// Rejects fields the route does not know, so that a typo is not silently ignored.
Status CheckKnownFields(const json& body, std::initializer_list<std::string_view> known) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      std::string list;
      for (std::string_view name : known) {
        list += (list.empty() ? "" : ", ") + std::string(name);
      }
      return InvalidArgument(fmt::format("未知字段 {}；可用字段：{}", key, list),
                             fmt::format("unknown field {}; known fields are {}", key, list))
          .AddDetail("field", key);
    }
  }
  return OkStatus();
}

// A login is 1 to 64 characters from A-Z, a-z, 0-9 and ". _ @ -" (the rule of `admin create`).
Status CheckLogin(const std::string& login) {
  bool valid = !login.empty() && login.size() <= 64;
  for (char c : login) {
    bool allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                   c == '.' || c == '_' || c == '@' || c == '-';
    valid = valid && allowed;
  }
  if (!valid) {
    return FieldError("login", fmt::format("'{}' 无效；请使用 1 到 64 个字母、数字或 . _ @ -", login),
                      fmt::format("'{}' is invalid; use 1 to 64 letters, digits or . _ @ -", login));
  }
  return OkStatus();
}

Status CheckName(std::string_view field, const std::string& name) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    return FieldError(field, fmt::format("不能为空，且不超过 {} 字节", kMaxNameBytes),
                      fmt::format("must be 1 to {} bytes", kMaxNameBytes));
  }
  return OkStatus();
}

Result<std::string> CheckRole(const std::string& role) {
  Result<auth::Role> parsed = auth::ParseRole(role);
  if (!parsed.ok()) {
    return FieldError("role", fmt::format("'{}' 无效；请用 rep、manager、director、cs 或 admin", role),
                      fmt::format("'{}' is invalid; use rep, manager, director, cs or admin", role));
  }
  return std::string(auth::RoleName(*parsed));
}

Result<model::Reference> CheckOrgUnit(store::Store& store, int64_t unit_id, std::string_view field) {
  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, store.ListOrgUnits());
  bool found = std::any_of(units.begin(), units.end(),
                           [unit_id](const model::OrgUnit& unit) { return unit.id == unit_id; });
  if (!found) {
    return FieldError(field, fmt::format("组织单元 {} 不存在；请先创建或选择已有的组织单元", unit_id),
                      fmt::format("org unit {} not found; create it first or pick an existing one",
                                  unit_id));
  }
  return model::Reference{unit_id, ""};
}

// Checks that `manager_id` names a user and that making it the manager of `user_id` (0 for a new
// user) does not close a loop in the reporting lines.
Result<model::Reference> CheckManager(const std::vector<model::User>& users, int64_t manager_id,
                                      int64_t user_id) {
  std::set<int64_t> seen;
  int64_t current = manager_id;
  while (true) {
    if (user_id != 0 && current == user_id) {
      return FieldError("manager_id", "会形成汇报关系的循环；请选择不向该用户汇报的人",
                        "would make a reporting loop; pick someone who does not report to this "
                        "user");
    }
    auto user = std::find_if(users.begin(), users.end(),
                             [current](const model::User& u) { return u.id == current; });
    if (user == users.end()) {
      if (current == manager_id) {
        return FieldError("manager_id", fmt::format("用户 {} 不存在", manager_id),
                          fmt::format("user {} not found", manager_id));
      }
      break;
    }
    if (!user->manager_id || !seen.insert(current).second) {
      break;
    }
    current = *user->manager_id;
  }
  return model::Reference{manager_id, ""};
}

Result<int64_t> UpsertOne(store::Store& store, const model::Record& record,
                          const store::AuditContext& audit) {
  SR_ASSIGN_OR_RETURN(std::vector<store::UpsertResult> results,
                      store.Upsert(std::span<const model::Record>(&record, 1), audit));
  if (results.front().outcome == store::UpsertOutcome::kRejected) {
    return *results.front().error;
  }
  return results.front().id;
}

Result<model::User> FindUser(store::Store& store, int64_t user_id) {
  SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store.ListUsers());
  for (model::User& user : users) {
    if (user.id == user_id) {
      return std::move(user);
    }
  }
  return NotFound(fmt::format("用户 {} 不存在", user_id), fmt::format("user {} not found", user_id));
}

// The fields of POST /api/v1/users after validation.
struct NewUser {
  std::string login;
  std::string display_name;
  std::string role;
  std::optional<int64_t> org_unit_id;
  std::optional<int64_t> manager_id;
  std::optional<std::string> email;
  std::optional<std::string> password;  // nullopt: generate one
  std::string external_id;
};

Result<NewUser> ParseNewUser(const json& body) {
  SR_RETURN_IF_ERROR(CheckKnownFields(body, {"login", "display_name", "role", "org_unit_id",
                                             "manager_id", "email", "password", "external_id"}));
  NewUser user;
  SR_ASSIGN_OR_RETURN(user.login, RequiredString(body, "login"));
  SR_RETURN_IF_ERROR(CheckLogin(user.login));
  SR_ASSIGN_OR_RETURN(user.display_name, RequiredString(body, "display_name"));
  SR_RETURN_IF_ERROR(CheckName("display_name", user.display_name));
  SR_ASSIGN_OR_RETURN(std::string role, RequiredString(body, "role"));
  SR_ASSIGN_OR_RETURN(user.role, CheckRole(role));
  SR_ASSIGN_OR_RETURN(user.org_unit_id, OptionalInt(body, "org_unit_id"));
  SR_ASSIGN_OR_RETURN(user.manager_id, OptionalInt(body, "manager_id"));
  SR_ASSIGN_OR_RETURN(user.email, OptionalString(body, "email"));
  SR_ASSIGN_OR_RETURN(user.password, OptionalString(body, "password"));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> external_id, OptionalString(body, "external_id"));
  if (external_id && external_id->empty()) {
    return FieldError("external_id", "不能为空；不需要时请省略此字段",
                      "must not be empty; leave the field out when not needed");
  }
  user.external_id = external_id.value_or("local:" + user.login);

  if (user.password) {
    Status policy = auth::CheckPasswordPolicy(*user.password, user.login);
    if (!policy.ok()) {
      Error error = std::move(policy).error();
      error.Wrap("字段 password", "field password");
      return std::move(error.AddDetail("field", "password"));
    }
  }
  return user;
}

Result<int64_t> StoreNewUser(store::Store& store, const NewUser& user,
                             const std::string& password_hash, const store::AuditContext& audit) {
  store::Transaction transaction(store);
  SR_RETURN_IF_ERROR(transaction.Begin());

  SR_ASSIGN_OR_RETURN(std::optional<store::Credentials> taken, store.FindCredentialsByLogin(user.login));
  if (taken) {
    return Error(ErrorCode::kAlreadyExists, fmt::format("字段 login：登录名 '{}' 已被使用", user.login),
                 fmt::format("field login: login '{}' is taken", user.login))
        .AddDetail("field", "login");
  }
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> existing,
                      store.FindIdByExternalId(model::EntityKind::kUser, user.external_id));
  if (existing) {
    return Error(ErrorCode::kAlreadyExists,
                 fmt::format("字段 external_id：'{}' 已属于用户 {}", user.external_id, *existing),
                 fmt::format("field external_id: '{}' belongs to user {} already", user.external_id,
                             *existing))
        .AddDetail("field", "external_id");
  }

  model::Record record{model::EntityKind::kUser, user.external_id, {}, {}};
  record.fields["name"] = user.display_name;
  record.fields["role"] = user.role;
  if (user.org_unit_id) {
    SR_ASSIGN_OR_RETURN(record.fields["org_unit"], CheckOrgUnit(store, *user.org_unit_id, "org_unit_id"));
  }
  if (user.manager_id) {
    SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store.ListUsers());
    SR_ASSIGN_OR_RETURN(record.fields["manager"], CheckManager(users, *user.manager_id, 0));
  }
  if (user.email) {
    record.fields["email"] = *user.email;
  }
  SR_ASSIGN_OR_RETURN(int64_t user_id, UpsertOne(store, record, audit));

  store::Credentials credentials;
  credentials.user_id = user_id;
  credentials.login = user.login;
  credentials.password_hash = password_hash;
  SR_RETURN_IF_ERROR(store.CreateCredentials(credentials, audit));
  SR_RETURN_IF_ERROR(transaction.Commit());
  return user_id;
}

Result<Response> CreateUser(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_ASSIGN_OR_RETURN(NewUser user, ParseNewUser(body));

  bool generated = !user.password;
  std::string password = generated ? auth::GeneratePassword() : *user.password;
  SR_ASSIGN_OR_RETURN(std::string hash, auth::HashPassword(password));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(int64_t user_id,
                      StoreNewUser(*store, user, hash, AuditFor(principal, request)));
  Logger("api")->info("request {}: user {}: created user {} ({})", request.request_id,
                      principal.user_id, user_id, user.role);

  SR_ASSIGN_OR_RETURN(model::User stored, FindUser(*store, user_id));
  SR_ASSIGN_OR_RETURN(std::optional<store::Credentials> credentials,
                      store->FindCredentialsByUser(user_id));
  json response = UserJson(stored, credentials);
  if (generated) {
    response["initial_password"] = password;
  }
  return Response::Json(201, response);
}

// The changes of PATCH /api/v1/users/{id}. A field given as null clears it.
struct UserChanges {
  model::FieldMap fields;
  std::optional<bool> disabled;
};

Result<UserChanges> ParseUserChanges(store::Store& store, const json& body,
                                     const model::User& user, const Principal& principal) {
  SR_RETURN_IF_ERROR(CheckKnownFields(
      body, {"display_name", "role", "org_unit_id", "manager_id", "email", "disabled"}));
  UserChanges changes;

  SR_ASSIGN_OR_RETURN(std::optional<std::string> name, OptionalString(body, "display_name"));
  if (name) {
    SR_RETURN_IF_ERROR(CheckName("display_name", *name));
    changes.fields["name"] = *name;
  }
  SR_ASSIGN_OR_RETURN(std::optional<std::string> role, OptionalString(body, "role"));
  if (role) {
    SR_ASSIGN_OR_RETURN(std::string canonical, CheckRole(*role));
    if (user.id == principal.user_id && canonical != "admin") {
      return Error(ErrorCode::kFailedPrecondition, "不能取消自己的管理员角色；请让另一位管理员操作",
                   "you cannot remove your own admin role; ask another admin");
    }
    changes.fields["role"] = canonical;
  }
  if (body.contains("org_unit_id")) {
    SR_ASSIGN_OR_RETURN(std::optional<int64_t> unit_id, OptionalInt(body, "org_unit_id"));
    if (unit_id) {
      SR_ASSIGN_OR_RETURN(changes.fields["org_unit"], CheckOrgUnit(store, *unit_id, "org_unit_id"));
    } else {
      changes.fields["org_unit"] = model::Null{};
    }
  }
  if (body.contains("manager_id")) {
    SR_ASSIGN_OR_RETURN(std::optional<int64_t> manager_id, OptionalInt(body, "manager_id"));
    if (manager_id) {
      SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store.ListUsers());
      SR_ASSIGN_OR_RETURN(changes.fields["manager"], CheckManager(users, *manager_id, user.id));
    } else {
      changes.fields["manager"] = model::Null{};
    }
  }
  if (body.contains("email")) {
    SR_ASSIGN_OR_RETURN(std::optional<std::string> email, OptionalString(body, "email"));
    changes.fields["email"] = email ? model::Value(*email) : model::Value(model::Null{});
  }
  SR_ASSIGN_OR_RETURN(changes.disabled, OptionalBool(body, "disabled"));
  if (changes.disabled == true && user.id == principal.user_id) {
    return Error(ErrorCode::kFailedPrecondition, "不能停用自己的账号；请让另一位管理员操作",
                 "you cannot disable your own account; ask another admin");
  }
  return changes;
}

Result<Response> PatchUser(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  SR_ASSIGN_OR_RETURN(int64_t user_id, IntParam(request, "id"));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  store::Transaction transaction(*store);
  SR_RETURN_IF_ERROR(transaction.Begin());
  SR_ASSIGN_OR_RETURN(model::User user, FindUser(*store, user_id));
  SR_ASSIGN_OR_RETURN(UserChanges changes, ParseUserChanges(*store, body, user, principal));
  store::AuditContext audit = AuditFor(principal, request);

  if (!changes.fields.empty()) {
    model::Record record{model::EntityKind::kUser, user.external_id, std::move(changes.fields), {}};
    SR_ASSIGN_OR_RETURN(int64_t id, UpsertOne(*store, record, audit));
    (void)id;
  }
  if (changes.disabled) {
    SR_ASSIGN_OR_RETURN(std::optional<store::Credentials> credentials,
                        store->FindCredentialsByUser(user_id));
    if (!credentials) {
      return FieldError("disabled", "该用户没有登录账号，无需停用或启用",
                        "this user has no sign-in to disable or enable");
    }
    if (credentials->disabled != *changes.disabled) {
      SR_RETURN_IF_ERROR(store->SetCredentialsDisabled(user_id, *changes.disabled, audit));
    }
  }
  SR_RETURN_IF_ERROR(transaction.Commit());
  Logger("api")->info("request {}: user {}: updated user {}", request.request_id,
                      principal.user_id, user_id);

  SR_ASSIGN_OR_RETURN(model::User stored, FindUser(*store, user_id));
  SR_ASSIGN_OR_RETURN(std::optional<store::Credentials> credentials,
                      store->FindCredentialsByUser(user_id));
  return Response::Json(200, UserJson(stored, credentials));
}

Result<Response> CreateOrgUnit(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_RETURN_IF_ERROR(CheckKnownFields(body, {"name", "type", "parent_id", "external_id"}));

  SR_ASSIGN_OR_RETURN(std::string name, RequiredString(body, "name"));
  SR_RETURN_IF_ERROR(CheckName("name", name));
  SR_ASSIGN_OR_RETURN(std::string type, RequiredString(body, "type"));
  if (type != "company" && type != "region" && type != "team") {
    return FieldError("type", fmt::format("'{}' 无效；请用 company、region 或 team", type),
                      fmt::format("'{}' is invalid; use company, region or team", type));
  }
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> parent_id, OptionalInt(body, "parent_id"));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> external_id, OptionalString(body, "external_id"));
  if (external_id && external_id->empty()) {
    return FieldError("external_id", "不能为空；不需要时请省略此字段",
                      "must not be empty; leave the field out when not needed");
  }
  std::string key = external_id.value_or("local:org_unit:" + auth::RandomBase64Url(12));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  store::Transaction transaction(*store);
  SR_RETURN_IF_ERROR(transaction.Begin());
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> existing,
                      store->FindIdByExternalId(model::EntityKind::kOrgUnit, key));
  if (existing) {
    return Error(ErrorCode::kAlreadyExists,
                 fmt::format("字段 external_id：'{}' 已属于组织单元 {}", key, *existing),
                 fmt::format("field external_id: '{}' belongs to org unit {} already", key, *existing))
        .AddDetail("field", "external_id");
  }

  model::Record record{model::EntityKind::kOrgUnit, key, {}, {}};
  record.fields["name"] = name;
  record.fields["type"] = type;
  if (parent_id) {
    SR_ASSIGN_OR_RETURN(record.fields["parent"], CheckOrgUnit(*store, *parent_id, "parent_id"));
  }
  SR_ASSIGN_OR_RETURN(int64_t unit_id, UpsertOne(*store, record, AuditFor(principal, request)));
  SR_RETURN_IF_ERROR(transaction.Commit());
  Logger("api")->info("request {}: user {}: created org unit {}", request.request_id,
                      principal.user_id, unit_id);

  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, store->ListOrgUnits());
  auto unit = std::find_if(units.begin(), units.end(),
                           [unit_id](const model::OrgUnit& u) { return u.id == unit_id; });
  if (unit == units.end()) {
    return Internal("新建的组织单元未能读回", "the new org unit could not be read back");
  }
  return Response::Json(201, OrgUnitJson(*unit));
}

}  // namespace

void RegisterPeopleWriteRoutes(server::Router& router, ApiContext& context) {
  router.Add(Method::kPost, "/api/v1/users",
             [&context](const Request& request) { return CreateUser(request, context); });
  router.Add(Method::kPatch, "/api/v1/users/{id}",
             [&context](const Request& request) { return PatchUser(request, context); });
  router.Add(Method::kPost, "/api/v1/org-units",
             [&context](const Request& request) { return CreateOrgUnit(request, context); });
}

}  // namespace salesradar::api
