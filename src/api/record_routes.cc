// GET /api/v1/{accounts,contacts,leads,opportunities,activities} and /{id}, the opportunity
// timeline, PATCH /api/v1/opportunities/{id} and POST /api/v1/activities. Every read passes the
// signed-in user's viewer to the store, so an invisible record is absent: 404, never 403.
#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/principal.h"
#include "api/record_filters.h"
#include "api/record_json.h"
#include "api/record_writes.h"
#include "api/request_io.h"
#include "api/routes.h"
#include "api/store_pool.h"

namespace salesradar::api {
namespace {

using model::EntityKind;
using nlohmann::json;

// The newest activities that a timeline shows; older ones are left out and flagged.
constexpr int kTimelineActivities = 500;

struct RecordRoute {
  EntityKind kind;
  std::string_view path;  // "/api/v1/accounts"
};

constexpr RecordRoute kRecordRoutes[] = {
    {EntityKind::kAccount, "/api/v1/accounts"},
    {EntityKind::kContact, "/api/v1/contacts"},
    {EntityKind::kLead, "/api/v1/leads"},
    {EntityKind::kOpportunity, "/api/v1/opportunities"},
    {EntityKind::kActivity, "/api/v1/activities"},
};

server::Handler ListHandler(ApiContext& context, EntityKind kind) {
  return [&context, kind](const server::Request& request) -> Result<server::Response> {
    SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
    SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
    SR_ASSIGN_OR_RETURN(std::vector<model::CustomFieldDefinition> definitions,
                        store->CustomFieldDefinitions(kind));
    SR_ASSIGN_OR_RETURN(store::RecordQuery query,
                        ParseRecordListQuery(request, kind, definitions));
    SR_ASSIGN_OR_RETURN(store::RecordPage page, store->ListRecords(query, &principal.viewer));

    json items = json::array();
    for (const store::RecordRow& row : page.rows) {
      items.push_back(RecordJson(row));
    }
    std::optional<std::string> next;
    if (page.next) {
      next = EncodeRecordCursor(query.sort, *page.next);
    }
    return ListPage(std::move(items), std::move(next));
  };
}

server::Handler GetHandler(ApiContext& context, EntityKind kind) {
  return [&context, kind](const server::Request& request) -> Result<server::Response> {
    SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
    SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
    SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
    SR_ASSIGN_OR_RETURN(store::RecordRow row, FindVisibleRecord(*store, kind, id, principal));
    return server::Response::Json(200, RecordJson(row));
  };
}

// Returns the activities of an opportunity, newest first, at most kTimelineActivities + 1.
Result<std::vector<store::RecordRow>> TimelineActivities(store::Store& store, int64_t id,
                                                         const auth::Viewer& viewer) {
  store::RecordQuery query;
  query.kind = EntityKind::kActivity;
  query.filter.subject = store::SubjectFilter{EntityKind::kOpportunity, id};
  query.sort = {"occurred_at", store::SortDirection::kDescending};
  query.limit = kTimelineActivities + 1;
  SR_ASSIGN_OR_RETURN(store::RecordPage page, store.ListRecords(query, &viewer));
  return std::move(page.rows);
}

Result<std::vector<model::StageChange>> StageHistory(store::Store& store, int64_t id) {
  SR_ASSIGN_OR_RETURN(auto cursor, store.OpenStageHistoryCursor(id));
  std::vector<model::StageChange> changes;
  model::StageChange change;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool more, cursor->Next(&change));
    if (!more) {
      return changes;
    }
    changes.push_back(change);
  }
}

server::Handler TimelineHandler(ApiContext& context) {
  return [&context](const server::Request& request) -> Result<server::Response> {
    SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
    SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
    SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
    SR_ASSIGN_OR_RETURN(store::RecordRow opportunity,
                        FindVisibleRecord(*store, EntityKind::kOpportunity, id, principal));

    SR_ASSIGN_OR_RETURN(std::vector<store::RecordRow> activities,
                        TimelineActivities(*store, opportunity.id, principal.viewer));
    bool truncated = activities.size() > static_cast<size_t>(kTimelineActivities);
    if (truncated) {
      activities.pop_back();
    }
    SR_ASSIGN_OR_RETURN(std::vector<model::StageChange> changes,
                        StageHistory(*store, opportunity.id));

    // Each entry with its time in microseconds, merged in time order; a stage change sorts
    // before an activity of the same instant.
    std::vector<std::tuple<int64_t, int, json>> entries;
    for (const model::StageChange& change : changes) {
      entries.emplace_back(ToUnixMicros(change.changed_at), 0, StageChangeJson(change));
    }
    for (const store::RecordRow& row : activities) {
      const auto* at = std::get_if<Timestamp>(&row.record.fields.at("occurred_at"));
      int64_t micros = at != nullptr ? ToUnixMicros(*at) : 0;
      json entry = {{"kind", "activity"}, {"at", FormatTime(FromUnixMicros(micros))},
                    {"activity", RecordJson(row)}};
      entries.emplace_back(micros, 1, std::move(entry));
    }
    std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return std::tie(std::get<0>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<1>(b));
    });

    json items = json::array();
    for (auto& entry : entries) {
      items.push_back(std::move(std::get<2>(entry)));
    }
    json body = {{"opportunity_id", opportunity.id},
                 {"items", std::move(items)},
                 {"activities_truncated", truncated}};
    return server::Response::Json(200, body);
  };
}

}  // namespace

Result<store::RecordRow> FindVisibleRecord(store::Store& store, EntityKind kind, int64_t id,
                                           const Principal& principal) {
  SR_ASSIGN_OR_RETURN(std::optional<store::RecordRow> row,
                      store.GetRecordById(kind, id, &principal.viewer));
  if (!row) {
    LocalizedText label = model::EntityKindLabel(kind);
    return NotFound(fmt::format("找不到 id 为 {} 的{}", id, label.zh),
                    fmt::format("no {} with id {}", label.en, id));
  }
  return std::move(*row);
}

void RegisterRecordRoutes(server::Router& router, ApiContext& context) {
  for (const RecordRoute& route : kRecordRoutes) {
    router.Add(server::Method::kGet, route.path, ListHandler(context, route.kind));
    router.Add(server::Method::kGet, fmt::format("{}/{{id}}", route.path),
               GetHandler(context, route.kind));
  }
  router.Add(server::Method::kGet, "/api/v1/opportunities/{id}/timeline",
             TimelineHandler(context));
  RegisterRecordWriteRoutes(router, context);
}

}  // namespace salesradar::api
