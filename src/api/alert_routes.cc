// Alerts (list, one, history, acknowledge, snooze, resolve), tickets, and the live stream of
// alert changes. Reads go to the store with the signed-in user's viewer; actions go through the
// engine host, after checking that the user may see the alert.
#include <fmt/format.h>

#include "api/alert_json.h"
#include "api/alert_list_query.h"
#include "api/engine_host.h"
#include "api/principal.h"
#include "api/principal_audit.h"
#include "api/request_io.h"
#include "api/routes.h"
#include "api/store_pool.h"
#include "common/logging.h"
#include "rules/state_json.h"

namespace salesradar::api {
namespace {

Error AlertNotFound(std::string_view id) {
  return NotFound(fmt::format("告警 '{}' 不存在或你无权查看", id),
                  fmt::format("alert '{}' does not exist or you may not see it", id));
}

Error TicketNotFound(std::string_view id) {
  return NotFound(fmt::format("工单 '{}' 不存在或你无权查看", id),
                  fmt::format("ticket '{}' does not exist or you may not see it", id));
}

std::string PathId(const server::Request& request) { return std::string(request.Param("id").value_or("")); }

Result<store::AlertRow> VisibleAlert(store::Store& store, const std::string& id, const Principal& principal) {
  SR_ASSIGN_OR_RETURN(std::optional<store::AlertRow> row, store.GetAlert(id, &principal.viewer));
  if (!row) return AlertNotFound(id);
  return std::move(*row);
}

Result<server::Response> ListAlerts(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(store::AlertFilter filter, ParseAlertListQuery(request));
  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(store::AlertPage page, store->ListAlerts(filter, &principal.viewer));

  nlohmann::json items = nlohmann::json::array();
  for (const store::AlertRow& row : page.rows) {
    items.push_back(AlertJson(row, context.engine.RuleName(row.alert.key.pack_id, row.alert.key.rule_id)));
  }
  std::optional<std::string> next;
  if (page.next) next = EncodeAlertCursor(*page.next);
  return ListPage(std::move(items), next);
}

Result<server::Response> GetAlert(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(store::AlertRow row, VisibleAlert(*store, PathId(request), principal));
  return server::Response::Json(200, AlertJson(row, context.engine.RuleName(row.alert.key.pack_id, row.alert.key.rule_id)));
}

Result<server::Response> GetAlertHistory(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  std::string id = PathId(request);
  SR_RETURN_IF_ERROR(VisibleAlert(*store, id, principal));
  SR_ASSIGN_OR_RETURN(std::vector<rules::AlertHistoryEntry> history, store->ListAlertHistory(id));

  nlohmann::json items = nlohmann::json::array();
  for (const rules::AlertHistoryEntry& entry : history) items.push_back(AlertHistoryEntryJson(entry));
  return server::Response::Json(200, {{"items", std::move(items)}});
}

enum class AlertAction { kAcknowledge, kSnooze, kResolve };

std::string_view ActionName(AlertAction action) {
  switch (action) {
    case AlertAction::kAcknowledge:
      return "acknowledge";
    case AlertAction::kSnooze:
      return "snooze";
    case AlertAction::kResolve:
      return "resolve";
  }
  return "";
}

Result<std::vector<rules::AlertChange>> RunAction(AlertAction action, const std::string& id,
                                                  const Principal& principal, const nlohmann::json& body,
                                                  ApiContext& context) {
  SR_ASSIGN_OR_RETURN(std::optional<std::string> note, OptionalString(body, "note"));
  switch (action) {
    case AlertAction::kAcknowledge:
      return context.engine.Acknowledge(id, principal.Actor(), note.value_or(""));
    case AlertAction::kSnooze: {
      SR_ASSIGN_OR_RETURN(std::string until_text, RequiredString(body, "until"));
      SR_ASSIGN_OR_RETURN(Timestamp until, ParseTimeParameter("until", until_text));
      return context.engine.Snooze(id, principal.Actor(), until, note.value_or(""));
    }
    case AlertAction::kResolve:
      return context.engine.Resolve(id, principal.Actor(), note.value_or(""));
  }
  return InvalidArgument("未知操作", "unknown action");
}

Result<server::Response> PostAlertAction(const server::Request& request, ApiContext& context, AlertAction action) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  nlohmann::json body = nlohmann::json::object();
  if (!request.body.empty()) {
    SR_ASSIGN_OR_RETURN(body, ParseJsonObject(request));
  }

  std::string id = PathId(request);
  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(store::AlertRow before, VisibleAlert(*store, id, principal));
  if (rules::IsResolved(before.alert.status)) {
    return Error(ErrorCode::kFailedPrecondition, fmt::format("告警 '{}' 已解决，不能再操作", id),
                 fmt::format("alert '{}' is resolved already; it takes no more actions", id));
  }

  SR_RETURN_IF_ERROR(RunAction(action, id, principal, body, context));

  SR_ASSIGN_OR_RETURN(store::AlertRow after, VisibleAlert(*store, id, principal));
  store::AuditEvent audit{std::string(ActionName(action)), "alert", id,
                          std::string(rules::AlertStatusName(before.alert.status)),
                          std::string(rules::AlertStatusName(after.alert.status))};
  if (Result<int64_t> audited = store->AppendAudit(audit, AuditFor(principal, request)); !audited.ok()) {
    Logger("api")->error("request {}: auditing {} of alert {} failed: {}", request.request_id, ActionName(action), id,
                         audited.error().ToLogString());
    return audited.error();
  }
  return server::Response::Json(200,
                                AlertJson(after, context.engine.RuleName(after.alert.key.pack_id, after.alert.key.rule_id)));
}

Result<server::Response> ListTickets(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));

  store::TicketFilter filter;
  filter.limit = page.limit + 1;
  if (std::optional<std::string_view> status = request.Query("status")) {
    if (!rules::ParseTicketStatus(*status)) {
      return InvalidArgument(fmt::format("status '{}' 无效；请用 open 或 closed", *status),
                             fmt::format("invalid status '{}'; use open or closed", *status));
    }
    filter.status = std::string(*status);
  }
  if (page.cursor) {
    SR_ASSIGN_OR_RETURN(nlohmann::json position, DecodeCursor(*page.cursor));
    if (!position.is_string()) return InvalidArgument("cursor 无效", "invalid cursor");
    filter.after_id = position.get<std::string>();
  }

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(std::vector<rules::Ticket> tickets, store->ListTickets(filter, &principal.viewer));
  std::optional<std::string> next;
  if (tickets.size() > static_cast<size_t>(page.limit)) {
    tickets.resize(page.limit);
    next = EncodeCursor(tickets.back().id);
  }

  nlohmann::json items = nlohmann::json::array();
  for (const rules::Ticket& ticket : tickets) items.push_back(TicketJson(ticket));
  return ListPage(std::move(items), next);
}

Result<server::Response> GetTicket(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  std::string id = PathId(request);
  SR_ASSIGN_OR_RETURN(std::optional<rules::Ticket> ticket, store->GetTicket(id, &principal.viewer));
  if (!ticket) return TicketNotFound(id);
  return server::Response::Json(200, TicketJson(*ticket));
}

Result<server::Response> OpenStream(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  std::shared_ptr<server::SseSubscription> subscription =
      context.stream.Subscribe(AlertStreamFilter(principal.viewer), request.request_id);
  Logger("api")->debug("request {}: user {} opened the live stream", request.request_id, principal.user_id);
  return server::Response::EventStream(std::move(subscription));
}

}  // namespace

void RegisterAlertRoutes(server::Router& router, ApiContext& context) {
  using server::Method;
  auto route = [&context](auto handler) {
    return [&context, handler](const server::Request& request) { return handler(request, context); };
  };
  auto action = [&context](AlertAction kind) {
    return [&context, kind](const server::Request& request) { return PostAlertAction(request, context, kind); };
  };

  router.Add(Method::kGet, "/api/v1/alerts", route(ListAlerts));
  router.Add(Method::kGet, "/api/v1/alerts/{id}", route(GetAlert));
  router.Add(Method::kGet, "/api/v1/alerts/{id}/history", route(GetAlertHistory));
  router.Add(Method::kPost, "/api/v1/alerts/{id}/acknowledge", action(AlertAction::kAcknowledge));
  router.Add(Method::kPost, "/api/v1/alerts/{id}/snooze", action(AlertAction::kSnooze));
  router.Add(Method::kPost, "/api/v1/alerts/{id}/resolve", action(AlertAction::kResolve));
  router.Add(Method::kGet, "/api/v1/tickets", route(ListTickets));
  router.Add(Method::kGet, "/api/v1/tickets/{id}", route(GetTicket));
  router.Add(Method::kGet, "/api/v1/stream", route(OpenStream));
}

}  // namespace salesradar::api
