// Rule packs over HTTP: the stored packs and their versions, checking a pack or one expression
// while an admin edits it, publishing through the engine host, and backtests of a draft pack on
// the stored event log.
//
// Reading packs needs any sign-in; checking, publishing and backtests need the admin role,
// because rule packs are the configuration of sales operations.
#include <algorithm>
#include <atomic>
#include <map>

#include <cctz/time_zone.h>

#include "api/backtest_run.h"
#include "api/engine_host.h"
#include "api/principal.h"
#include "api/request_io.h"
#include "api/routes.h"
#include "api/rule_compile.h"
#include "api/rule_json.h"
#include "api/store_pool.h"
#include "common/error.h"
#include "common/logging.h"
#include "rules/rule_pack_yaml.h"
#include "server/error_mapping.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

constexpr std::string_view kDraftFileName = "pack.yaml";
constexpr std::string_view kDefaultZone = "Asia/Shanghai";

// State shared by the handlers: the compile context's calendars and the backtest slot.
struct RuleRoutes {
  ApiContext& context;
  RuleCompiler compiler;
  // One backtest at a time, because a replay reads the whole event log into memory and keeps an
  // I/O thread busy. A second request gets 429.
  std::atomic<bool> backtest_running{false};
};

store::AuditContext AuditFor(const Principal& principal, const Request& request) {
  if (principal.api_token_id) return store::AuditContext::Token(*principal.api_token_id, request.request_id);
  return store::AuditContext::User(principal.user_id, request.request_id);
}

Error PackNotFound(std::string_view pack_id) {
  return NotFound("规则包 '" + std::string(pack_id) + "' 不存在", "rule pack '" + std::string(pack_id) + "' not found");
}

// The versions of each pack, by pack id, in version order.
Result<std::map<std::string, std::vector<store::RulePackVersion>>> VersionsByPack(ApiContext& context) {
  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(std::vector<store::RulePackVersion> versions, store->ListRulePackVersions());
  std::map<std::string, std::vector<store::RulePackVersion>> packs;
  for (store::RulePackVersion& version : versions) packs[version.pack_id].push_back(std::move(version));
  return packs;
}

// The active version, else the newest.
const store::RulePackVersion& CurrentVersion(const std::vector<store::RulePackVersion>& versions) {
  for (const store::RulePackVersion& version : versions) {
    if (version.active) return version;
  }
  return versions.back();
}

json PackSummary(const std::vector<store::RulePackVersion>& versions) {
  const store::RulePackVersion& current = CurrentVersion(versions);
  rules::RulePackLoad loaded = rules::LoadRulePack(current.yaml, kDraftFileName);
  json name = loaded.ok() ? json{{"zh", loaded.pack->name.zh}, {"en", loaded.pack->name.en}} : json(nullptr);
  return {{"id", current.pack_id},
          {"name", name},
          {"active_version", current.active ? json(current.version) : json(nullptr)},
          {"latest_version", versions.back().version},
          {"published_at", FormatTime(current.published_at)},
          {"published_by", current.published_by},
          {"rule_count", loaded.ok() ? json(loaded.pack->rules.size()) : json(nullptr)},
          {"version_count", versions.size()}};
}

// A stored version with its YAML and its rules as JSON.
json VersionDetail(const store::RulePackVersion& version) {
  json out = RulePackVersionJson(version, /*with_yaml=*/true);
  rules::RulePackLoad loaded = rules::LoadRulePack(version.yaml, kDraftFileName);
  json rules_json = json::array();
  if (loaded.ok()) {
    for (const rules::Rule& rule : loaded.pack->rules) rules_json.push_back(RuleJson(rule));
    out["name"] = {{"zh", loaded.pack->name.zh}, {"en", loaded.pack->name.en}};
    out["calendar"] = loaded.pack->calendar_id.empty() ? json(nullptr) : json(loaded.pack->calendar_id);
  }
  out["rules"] = std::move(rules_json);
  return out;
}

Result<Response> ListPacks(RuleRoutes& routes, const Request& request) {
  SR_RETURN_IF_ERROR(Authenticate(request, routes.context));
  SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  std::string after;
  if (page.cursor) {
    SR_ASSIGN_OR_RETURN(json position, DecodeCursor(*page.cursor));
    if (position.is_string()) after = position.get<std::string>();
  }

  SR_ASSIGN_OR_RETURN(auto packs, VersionsByPack(routes.context));
  json items = json::array();
  std::optional<std::string> next_cursor;
  for (auto it = packs.upper_bound(after); it != packs.end(); ++it) {
    if (items.size() == static_cast<size_t>(page.limit)) {
      next_cursor = EncodeCursor(items.back()["id"]);
      break;
    }
    items.push_back(PackSummary(it->second));
  }
  return ListPage(std::move(items), next_cursor);
}

Result<std::vector<store::RulePackVersion>> VersionsOf(RuleRoutes& routes, const Request& request) {
  std::string pack_id(request.Param("id").value_or(""));
  SR_ASSIGN_OR_RETURN(auto packs, VersionsByPack(routes.context));
  auto found = packs.find(pack_id);
  if (found == packs.end()) return PackNotFound(pack_id);
  return std::move(found->second);
}

Result<Response> GetPack(RuleRoutes& routes, const Request& request) {
  SR_RETURN_IF_ERROR(Authenticate(request, routes.context));
  SR_ASSIGN_OR_RETURN(std::vector<store::RulePackVersion> versions, VersionsOf(routes, request));
  json out = VersionDetail(CurrentVersion(versions));
  out["id"] = versions.front().pack_id;
  return Response::Json(200, out);
}

Result<Response> ListVersions(RuleRoutes& routes, const Request& request) {
  SR_RETURN_IF_ERROR(Authenticate(request, routes.context));
  SR_ASSIGN_OR_RETURN(std::vector<store::RulePackVersion> versions, VersionsOf(routes, request));
  json items = json::array();
  for (auto it = versions.rbegin(); it != versions.rend(); ++it) items.push_back(RulePackVersionJson(*it, false));
  return ListPage(std::move(items), std::nullopt);
}

Result<Response> GetVersion(RuleRoutes& routes, const Request& request) {
  SR_RETURN_IF_ERROR(Authenticate(request, routes.context));
  SR_ASSIGN_OR_RETURN(int64_t number, IntParam(request, "version"));
  SR_ASSIGN_OR_RETURN(std::vector<store::RulePackVersion> versions, VersionsOf(routes, request));
  for (const store::RulePackVersion& version : versions) {
    if (version.version == number) return Response::Json(200, VersionDetail(version));
  }
  std::string name = versions.front().pack_id + "@" + std::to_string(number);
  return NotFound("规则包版本 '" + name + "' 不存在", "rule pack version '" + name + "' not found");
}

Result<rules::CompileResult> CheckDraft(RuleRoutes& routes, const std::string& yaml) {
  SR_ASSIGN_OR_RETURN(StoreLease store, routes.context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(rules::CompileContext context, routes.compiler.Context(*store));
  return rules::CheckRulePack(yaml, kDraftFileName, context);
}

Result<Response> CheckPack(RuleRoutes& routes, const Request& request) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, routes.context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_ASSIGN_OR_RETURN(std::string yaml, RequiredString(body, "yaml"));

  SR_ASSIGN_OR_RETURN(rules::CompileResult compiled, CheckDraft(routes, yaml));
  json out = {{"ok", compiled.ok()}, {"problems", ProblemsJson(compiled.problems, request.locale)}};
  if (compiled.ok()) {
    out["pack_id"] = compiled.pack->id();
    out["version"] = compiled.pack->version();
    json rule_ids = json::array();
    for (const rules::CompiledRule& rule : compiled.pack->rules()) rule_ids.push_back(rule.rule->id);
    out["rule_ids"] = std::move(rule_ids);
  }
  return Response::Json(200, out);
}

Result<Response> CheckExpressionRoute(RuleRoutes& routes, const Request& request) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, routes.context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_ASSIGN_OR_RETURN(std::string subject_type, RequiredString(body, "subject_type"));
  SR_ASSIGN_OR_RETURN(std::string expression, RequiredString(body, "expression"));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> part_name, OptionalString(body, "part"));
  SR_ASSIGN_OR_RETURN(std::optional<std::string> event_type, OptionalString(body, "event_type"));
  SR_ASSIGN_OR_RETURN(ExpressionPart part, ParseExpressionPart(part_name.value_or("trigger")));

  SR_ASSIGN_OR_RETURN(StoreLease store, routes.context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(rules::CompileContext context, routes.compiler.Context(*store));
  SR_ASSIGN_OR_RETURN(ExpressionCheck check, CheckExpression(context, subject_type, part, expression));

  json problems = json::array();
  for (const ExpressionCheck::Problem& problem : check.problems) {
    problems.push_back({{"line", problem.line > 0 ? json(problem.line) : json(nullptr)},
                        {"column", problem.column > 0 ? json(problem.column) : json(nullptr)},
                        {"message", problem.message.in(request.locale)}});
  }
  return Response::Json(200, {{"ok", check.ok},
                              {"type", check.type.empty() ? json(nullptr) : json(check.type)},
                              {"event_type", event_type ? json(*event_type) : json(nullptr)},
                              {"problems", std::move(problems)}});
}

// A 400 response for a pack with problems: the usual error body plus the problems as a list.
Response ProblemsResponse(const std::vector<rules::Problem>& problems, const Request& request) {
  server::ApiError error = server::ApiErrorFrom(rules::ProblemsToError(problems));
  Response response = server::ErrorResponse(error, request.locale, request.request_id);
  json body = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_object()) {
    body["problems"] = ProblemsJson(problems, request.locale);
    response.body = body.dump();
  }
  return response;
}

Result<Response> PublishPack(RuleRoutes& routes, const Request& request) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, routes.context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_ASSIGN_OR_RETURN(std::string yaml, RequiredString(body, "yaml"));

  SR_ASSIGN_OR_RETURN(rules::CompileResult compiled, CheckDraft(routes, yaml));
  if (!compiled.ok()) return ProblemsResponse(compiled.problems, request);

  SR_ASSIGN_OR_RETURN(store::RulePackVersion published, routes.context.engine.PublishPack(yaml, principal.Actor()));

  json audited = {{"pack_id", published.pack_id}, {"version", published.version}};
  SR_ASSIGN_OR_RETURN(StoreLease store, routes.context.stores.Acquire());
  Result<int64_t> audit = store->AppendAudit(
      {"publish", "rule_pack", published.pack_id + "@" + std::to_string(published.version), std::nullopt,
       audited.dump()},
      AuditFor(principal, request));
  if (!audit.ok()) {
    Logger("api")->error("rule pack {}@{}: published, but the audit row failed: {}", published.pack_id,
                         published.version, audit.error().ToLogString());
  }
  Logger("api")->info("rule pack {}@{}: published by user {}", published.pack_id, published.version,
                      principal.user_id);
  return Response::Json(201, VersionDetail(published));
}

// Parses a backtest bound: "YYYY-MM-DD" as the start of that day in `zone`, or RFC 3339.
Result<std::optional<Timestamp>> BacktestBound(const json& body, std::string_view field, const std::string& zone) {
  SR_ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(body, field));
  if (!text || text->empty()) return std::optional<Timestamp>();
  if (text->size() == 10) {
    cctz::time_zone time_zone;
    if (!cctz::load_time_zone(zone, &time_zone)) time_zone = cctz::utc_time_zone();
    Timestamp parsed;
    if (cctz::parse("%Y-%m-%d", *text, time_zone, &parsed)) return std::optional<Timestamp>(parsed);
  }
  SR_ASSIGN_OR_RETURN(Timestamp parsed, ParseTimeParameter(field, *text));
  return std::optional<Timestamp>(parsed);
}

Result<std::vector<OutcomeLabel>> BacktestOutcomes(const json& body) {
  std::vector<std::string> texts = kDefaultOutcomes;
  auto it = body.find("outcomes");
  if (it != body.end() && !it->is_null()) {
    if (!it->is_array() || it->empty()) {
      Error error = InvalidArgument("字段 outcomes 必须是非空字符串数组，例如 [\"won=opportunity_won\"]",
                                    "field outcomes must be a non-empty array of strings, for example "
                                    "[\"won=opportunity_won\"]");
      error.AddDetail("field", "outcomes");
      return error;
    }
    texts.clear();
    for (const json& item : *it) texts.push_back(item.is_string() ? item.get<std::string>() : item.dump());
  }
  std::vector<OutcomeLabel> outcomes;
  for (const std::string& text : texts) {
    SR_ASSIGN_OR_RETURN(OutcomeLabel outcome, ParseOutcome(text));
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

Result<json> RunDraftBacktest(RuleRoutes& routes, const json& body) {
  SR_ASSIGN_OR_RETURN(std::string yaml, RequiredString(body, "yaml"));
  SR_ASSIGN_OR_RETURN(StoreLease store, routes.context.stores.Acquire());
  SR_ASSIGN_OR_RETURN(rules::CompileContext context, routes.compiler.Context(*store));
  rules::CompileResult compiled = rules::CheckRulePack(yaml, kDraftFileName, context);
  if (!compiled.ok()) return rules::ProblemsToError(compiled.problems);

  std::string zone(kDefaultZone);
  if (auto calendar = context.calendars->Find(compiled.pack->source().calendar_id); calendar.ok()) {
    zone = (*calendar)->zone().name();
  }
  BacktestOptions options;
  options.time_zone = zone;
  SR_ASSIGN_OR_RETURN(options.from, BacktestBound(body, "from", zone));
  SR_ASSIGN_OR_RETURN(options.to, BacktestBound(body, "to", zone));
  SR_ASSIGN_OR_RETURN(options.outcomes, BacktestOutcomes(body));

  SR_ASSIGN_OR_RETURN(BacktestResult result, RunBacktest(*store, compiled.pack, options));
  json out = BacktestToJson(result);
  out["time_zone"] = zone;
  out["first_event"] = result.first_event ? json(FormatTime(*result.first_event)) : json(nullptr);
  out["last_event"] = result.last_event ? json(FormatTime(*result.last_event)) : json(nullptr);
  return out;
}

Result<Response> Backtest(RuleRoutes& routes, const Request& request) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, routes.context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));

  bool expected = false;
  if (!routes.backtest_running.compare_exchange_strong(expected, true)) {
    Response busy = server::ErrorResponse(
        server::ApiErrorFrom(Error(ErrorCode::kResourceExhausted, "另一个回测正在运行；请稍后重试",
                                   "another backtest is running; retry in a few seconds")),
        request.locale, request.request_id);
    busy.headers.Set("Retry-After", "5");
    return busy;
  }
  Result<json> result = RunDraftBacktest(routes, body);
  routes.backtest_running = false;

  if (!result.ok()) return std::move(result).error();
  Logger("api")->info("backtest of pack {}: {} events replayed for user {}", (*result)["pack"].get<std::string>(),
                      (*result)["events"].get<int64_t>(), principal.user_id);
  return Response::Json(200, *result);
}

}  // namespace

void RegisterRuleRoutes(server::Router& router, ApiContext& context) {
  // The router's handlers outlive this call; the state lives as long as they do.
  auto routes = std::shared_ptr<RuleRoutes>(new RuleRoutes{context, {}, {}});
  auto bind = [routes](Result<Response> (*handler)(RuleRoutes&, const Request&)) {
    return [routes, handler](const Request& request) { return handler(*routes, request); };
  };

  router.Add(Method::kGet, "/api/v1/rule-packs", bind(ListPacks));
  router.Add(Method::kGet, "/api/v1/rule-packs/{id}", bind(GetPack));
  router.Add(Method::kGet, "/api/v1/rule-packs/{id}/versions", bind(ListVersions));
  router.Add(Method::kGet, "/api/v1/rule-packs/{id}/versions/{version}", bind(GetVersion));
  router.Add(Method::kPost, "/api/v1/rule-packs/check", bind(CheckPack));
  router.Add(Method::kPost, "/api/v1/rule-packs/check-expression", bind(CheckExpressionRoute));
  router.Add(Method::kPost, "/api/v1/rule-packs/publish", bind(PublishPack));
  router.Add(Method::kPost, "/api/v1/rule-packs/backtest", bind(Backtest));
}

}  // namespace salesradar::api
