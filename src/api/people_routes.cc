// Users and org units: reads for every signed-in user, limited to the rows their role may see
// (a row the viewer may not see is 404), and admin-only writes in people_writes.cc.
#include <algorithm>

#include <fmt/format.h>

#include "api/people_json.h"
#include "api/people_writes.h"
#include "api/principal.h"
#include "api/request_io.h"
#include "api/routes.h"
#include "api/store_pool.h"
#include "common/error.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

Result<int64_t> CursorId(const PageRequest& page) {
  if (!page.cursor) {
    return int64_t{0};
  }
  SR_ASSIGN_OR_RETURN(json position, DecodeCursor(*page.cursor));
  if (!position.is_number_integer()) {
    return InvalidArgument("查询参数 cursor 无效；请去掉 cursor 从第一页重新开始",
                           "query parameter cursor is invalid; start again from the first page "
                           "without cursor")
        .AddDetail("field", "cursor");
  }
  return position.get<int64_t>();
}

// Pages rows ordered by id: those with id > the cursor's, at most page.limit of them.
template <typename Row, typename ToJson>
Response PageById(const std::vector<Row>& rows, const PageRequest& page, int64_t after_id,
                  ToJson to_json) {
  json items = json::array();
  std::optional<std::string> next_cursor;
  int64_t last_id = 0;
  for (const Row& row : rows) {
    if (row.id <= after_id) {
      continue;
    }
    if (static_cast<int>(items.size()) == page.limit) {
      next_cursor = EncodeCursor(json(last_id));
      break;
    }
    items.push_back(to_json(row));
    last_id = row.id;
  }
  return ListPage(std::move(items), std::move(next_cursor));
}

Result<std::optional<std::string>> RoleQuery(const Request& request) {
  std::optional<std::string_view> role = request.Query("role");
  if (!role) {
    return std::optional<std::string>();
  }
  Result<auth::Role> parsed = auth::ParseRole(*role);
  if (!parsed.ok()) {
    Error error = std::move(parsed).error();
    error.Wrap("查询参数 role", "query parameter role");
    return std::move(error.AddDetail("field", "role"));
  }
  return std::optional<std::string>(std::string(*role));
}

Result<Response> ListUsers(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  SR_ASSIGN_OR_RETURN(int64_t after_id, CursorId(page));
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> unit_filter, OptionalIntQuery(request, "org_unit_id"));
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> manager_filter, OptionalIntQuery(request, "manager_id"));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> role_filter, RoleQuery(request));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store->ListUsers(&principal.viewer));
  std::erase_if(users, [&](const model::User& user) {
    return (unit_filter && user.org_unit_id != unit_filter) ||
           (manager_filter && user.manager_id != manager_filter) ||
           (role_filter && user.role != *role_filter);
  });

  // Credentials are read for the page's rows only.
  Status failure;
  Response response = PageById(users, page, after_id, [&](const model::User& user) {
    Result<std::optional<store::Credentials>> found = store->FindCredentialsByUser(user.id);
    if (!found.ok()) {
      failure = std::move(found).error();
      return json(nullptr);
    }
    return UserJson(user, *found);
  });
  SR_RETURN_IF_ERROR(failure);
  return response;
}

Result<Response> GetUser(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(int64_t user_id, IntParam(request, "id"));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store->ListUsers(&principal.viewer));
  auto user = std::find_if(users.begin(), users.end(),
                           [user_id](const model::User& u) { return u.id == user_id; });
  if (user == users.end()) {
    return NotFound(fmt::format("用户 {} 不存在", user_id),
                    fmt::format("user {} not found", user_id));
  }
  SR_ASSIGN_OR_RETURN(std::optional<store::Credentials> credentials,
                      store->FindCredentialsByUser(user_id));
  return Response::Json(200, UserJson(*user, credentials));
}

Result<Response> ListOrgUnits(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  SR_ASSIGN_OR_RETURN(int64_t after_id, CursorId(page));
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> parent_filter, OptionalIntQuery(request, "parent_id"));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, store->ListOrgUnits(&principal.viewer));
  if (parent_filter) {
    std::erase_if(units, [&](const model::OrgUnit& unit) { return unit.parent_id != parent_filter; });
  }
  return PageById(units, page, after_id, [](const model::OrgUnit& unit) { return OrgUnitJson(unit); });
}

Result<Response> GetOrgUnit(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(int64_t unit_id, IntParam(request, "id"));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, store->ListOrgUnits(&principal.viewer));
  auto unit = std::find_if(units.begin(), units.end(),
                           [unit_id](const model::OrgUnit& u) { return u.id == unit_id; });
  if (unit == units.end()) {
    return NotFound(fmt::format("组织单元 {} 不存在", unit_id),
                    fmt::format("org unit {} not found", unit_id));
  }
  return Response::Json(200, OrgUnitJson(*unit));
}

}  // namespace

void RegisterPeopleRoutes(server::Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v1/users",
             [&context](const Request& request) { return ListUsers(request, context); });
  router.Add(Method::kGet, "/api/v1/users/{id}",
             [&context](const Request& request) { return GetUser(request, context); });
  router.Add(Method::kGet, "/api/v1/org-units",
             [&context](const Request& request) { return ListOrgUnits(request, context); });
  router.Add(Method::kGet, "/api/v1/org-units/{id}",
             [&context](const Request& request) { return GetOrgUnit(request, context); });
  RegisterPeopleWriteRoutes(router, context);
}

}  // namespace salesradar::api
