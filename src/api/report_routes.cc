// Reports over HTTP: the pipeline (funnel by stage, win rate, time to close) and behaviour
// health (alerts by level and rule per week, compliance per team, a table of reps, this week's
// top rules per team). Both read only what the signed-in user may see.
#include <set>

#include <cctz/time_zone.h>
#include <fmt/format.h>

#include "api/engine_host.h"
#include "api/principal.h"
#include "api/report_health.h"
#include "api/request_io.h"
#include "api/routes.h"
#include "api/store_pool.h"
#include "auth/visibility.h"
#include "common/error.h"
#include "report/pipeline_arguments.h"
#include "report/pipeline_json.h"
#include "report/pipeline_loader.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

constexpr auto kDefaultHealthPeriod = std::chrono::hours(24 * 28);

Error InvalidParameter(std::string_view name, std::string_view value, std::string_view expected_zh,
                       std::string_view expected_en) {
  return InvalidArgument(fmt::format("查询参数 {} 的值 '{}' 无效；{}", name, value, expected_zh),
                         fmt::format("query parameter {} has the invalid value '{}'; {}", name, value, expected_en))
      .AddDetail("field", std::string(name));
}

Result<std::optional<model::CivilDate>> OptionalDateQuery(const Request& request, std::string_view name) {
  std::optional<std::string_view> text = request.Query(name);
  if (!text || text->empty()) return std::optional<model::CivilDate>();
  Result<model::CivilDate> date = model::ParseIsoDate(*text);
  if (!date.ok()) return InvalidParameter(name, *text, "请写成 YYYY-MM-DD", "write YYYY-MM-DD");
  return std::optional<model::CivilDate>(*date);
}

// The org unit `unit_id` and every unit below it. kInvalidArgument naming `parameter` when there
// is no such unit.
Result<std::vector<int64_t>> UnitSubtree(store::Store& store, std::string_view parameter, int64_t unit_id) {
  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, store.ListOrgUnits());
  for (const model::OrgUnit& unit : units) {
    if (unit.id == unit_id) return auth::SubtreeOf(units, unit_id);
  }
  return InvalidParameter(parameter, std::to_string(unit_id), "没有这个 id 的组织单元", "no org unit has this id");
}

// ---- Pipeline ----

struct PipelineQuery {
  report::PipelineOptions options;
  store::OpportunityFilter filter;
  std::optional<int64_t> team;
  std::optional<int64_t> region;
  std::optional<model::CivilDate> from;
  std::optional<model::CivilDate> to;
};

Result<PipelineQuery> ParsePipelineQuery(const Request& request, const Clock& clock) {
  PipelineQuery query;
  std::string_view zone = report::kReportTimeZone;
  query.options.as_of = report::DateIn(clock.Now(), zone);
  if (std::optional<std::string_view> as_of = request.Query("as_of"); as_of && !as_of->empty()) {
    Result<model::CivilDate> parsed = report::ParseAsOfDate(*as_of);
    if (!parsed.ok()) return InvalidParameter("as_of", *as_of, "请写成 YYYY-MM-DD", "write YYYY-MM-DD");
    query.options.as_of = *parsed;
  }
  query.options.as_of_end = report::EndOfDay(query.options.as_of, zone);

  if (std::optional<std::string_view> by = request.Query("by"); by && !by->empty()) {
    Result<report::GroupBy> group_by = report::ParseGroupBy(*by);
    if (!group_by.ok()) {
      return InvalidParameter("by", *by, "可用的值：none, team, region, rep, product",
                              "accepted values: none, team, region, rep, product");
    }
    query.options.group_by = *group_by;
  }
  if (std::optional<std::string_view> stale = request.Query("stale_days"); stale && !stale->empty()) {
    Result<int64_t> days = report::ParseStaleDays(*stale);
    if (!days.ok()) return InvalidParameter("stale_days", *stale, "请写 0 到 36500 的整数", "write a whole number from 0 to 36500");
    query.options.stale_days = *days;
  }

  SR_ASSIGN_OR_RETURN(query.filter.owner_id, OptionalIntQuery(request, "rep"));
  SR_ASSIGN_OR_RETURN(query.filter.product_id, OptionalIntQuery(request, "product"));
  SR_ASSIGN_OR_RETURN(query.team, OptionalIntQuery(request, "team"));
  SR_ASSIGN_OR_RETURN(query.region, OptionalIntQuery(request, "region"));
  SR_ASSIGN_OR_RETURN(query.from, OptionalDateQuery(request, "from"));
  SR_ASSIGN_OR_RETURN(query.to, OptionalDateQuery(request, "to"));
  if (query.from && query.to && *query.to < *query.from) {
    return InvalidParameter("to", model::FormatIsoDate(*query.to), "不能早于 from", "it must not be before from");
  }
  return query;
}

// Builds the filter on each opportunity that the Store cannot apply: the owner's team or region
// (an org unit subtree) and the engage-date period.
Result<std::function<bool(const model::Opportunity&)>> OpportunityPredicate(store::Store& store,
                                                                            const PipelineQuery& query) {
  std::optional<std::set<int64_t>> units;
  for (auto [name, unit] : {std::pair<std::string_view, std::optional<int64_t>>{"team", query.team}, {"region", query.region}}) {
    if (!unit) continue;
    SR_ASSIGN_OR_RETURN(std::vector<int64_t> subtree, UnitSubtree(store, name, *unit));
    std::set<int64_t> allowed(subtree.begin(), subtree.end());
    if (units) {
      std::set<int64_t> both;
      for (int64_t id : *units) {
        if (allowed.contains(id)) both.insert(id);
      }
      allowed = std::move(both);
    }
    units = std::move(allowed);
  }

  std::map<int64_t, std::optional<int64_t>> unit_of_user;
  if (units) {
    SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store.ListUsers());
    for (const model::User& user : users) unit_of_user[user.id] = user.org_unit_id;
  }

  return std::function<bool(const model::Opportunity&)>(
      [units, unit_of_user = std::move(unit_of_user), from = query.from, to = query.to](const model::Opportunity& deal) {
        if (from && (!deal.engage_date || *deal.engage_date < *from)) return false;
        if (to && (!deal.engage_date || *to < *deal.engage_date)) return false;
        if (!units) return true;
        if (!deal.owner_id) return false;
        auto owner = unit_of_user.find(*deal.owner_id);
        return owner != unit_of_user.end() && owner->second && units->contains(*owner->second);
      });
}

Result<Response> PipelineReport(ApiContext& context, const Request& request) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(PipelineQuery query, ParsePipelineQuery(request, context.clock));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  report::PipelineScope scope;
  scope.viewer = &principal.viewer;
  scope.filter = query.filter;
  SR_ASSIGN_OR_RETURN(scope.keep, OpportunityPredicate(*store, query));
  SR_ASSIGN_OR_RETURN(report::PipelineReport report, report::LoadPipelineReport(*store, query.options, scope));

  json out = json::parse(report::RenderPipelineJson(report, request.locale), nullptr, /*allow_exceptions=*/false);
  auto optional_id = [](std::optional<int64_t> id) { return id ? json(*id) : json(nullptr); };
  auto optional_date = [](std::optional<model::CivilDate> date) {
    return date ? json(model::FormatIsoDate(*date)) : json(nullptr);
  };
  out["filters"] = {{"team", optional_id(query.team)},       {"region", optional_id(query.region)},
                    {"rep", optional_id(query.filter.owner_id)}, {"product", optional_id(query.filter.product_id)},
                    {"from", optional_date(query.from)},     {"to", optional_date(query.to)}};
  return Response::Json(200, out);
}

// ---- Behaviour health ----

// Parses `name` as "YYYY-MM-DD" (the start of that day in Asia/Shanghai, or with `end_of_day` the
// start of the next day) or as an RFC 3339 time.
Result<std::optional<Timestamp>> PeriodBound(const Request& request, std::string_view name, bool end_of_day) {
  std::optional<std::string_view> text = request.Query(name);
  if (!text || text->empty()) return std::optional<Timestamp>();
  if (text->size() == 10) {
    Result<model::CivilDate> date = model::ParseIsoDate(*text);
    if (!date.ok()) return InvalidParameter(name, *text, "请写成 YYYY-MM-DD 或 RFC 3339 时间", "write YYYY-MM-DD or an RFC 3339 time");
    if (end_of_day) return std::optional<Timestamp>(report::EndOfDay(*date, report::kReportTimeZone));
    model::CivilDate previous = std::chrono::sys_days(*date) - std::chrono::days(1);
    return std::optional<Timestamp>(report::EndOfDay(previous, report::kReportTimeZone));
  }
  Result<Timestamp> parsed = ParseTimeParameter(name, *text);
  if (!parsed.ok()) return InvalidParameter(name, *text, "请写成 YYYY-MM-DD 或 RFC 3339 时间", "write YYYY-MM-DD or an RFC 3339 time");
  return std::optional<Timestamp>(*parsed);
}

Result<Response> HealthReport(ApiContext& context, const Request& request) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_ASSIGN_OR_RETURN(std::optional<Timestamp> from, PeriodBound(request, "from", false));
  SR_ASSIGN_OR_RETURN(std::optional<Timestamp> to, PeriodBound(request, "to", true));
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> team, OptionalIntQuery(request, "team"));

  Timestamp now = context.clock.Now();
  HealthReportInput input;
  input.to = to.value_or(now);
  input.from = from.value_or(input.to - kDefaultHealthPeriod);
  input.team_id = team;
  if (input.from >= input.to) {
    return InvalidParameter("from", FormatTime(input.from), "必须早于 to", "it must be before to");
  }

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  store::HealthAlertFilter filter{input.from, input.to, {}};
  if (team) {
    SR_ASSIGN_OR_RETURN(filter.owner_unit_ids, UnitSubtree(*store, "team", *team));
  }
  SR_ASSIGN_OR_RETURN(input.alerts, store->ListHealthAlerts(filter, &principal.viewer));

  input.this_week_start = ShanghaiWeekStart(now);
  input.this_week = ShanghaiIsoWeek(now);
  store::HealthAlertFilter this_week{input.this_week_start, now + std::chrono::microseconds(1), filter.owner_unit_ids};
  SR_ASSIGN_OR_RETURN(input.this_week_alerts, store->ListHealthAlerts(this_week, &principal.viewer));

  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, store->ListOrgUnits());
  for (const model::OrgUnit& unit : units) input.unit_names[unit.id] = unit.name;
  EngineHost& engine = context.engine;
  input.rule_name = [&engine](const std::string& pack_id, const std::string& rule_id) {
    return engine.RuleName(pack_id, rule_id);
  };
  return Response::Json(200, BuildHealthReport(input, request.locale));
}

}  // namespace

void RegisterReportRoutes(server::Router& router, ApiContext& context) {
  auto bind = [&context](Result<Response> (*handler)(ApiContext&, const Request&)) {
    return [&context, handler](const Request& request) { return handler(context, request); };
  };
  router.Add(Method::kGet, "/api/v1/reports/pipeline", bind(PipelineReport));
  router.Add(Method::kGet, "/api/v1/reports/behaviour-health", bind(HealthReport));
}

}  // namespace salesradar::api
