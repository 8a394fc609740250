// POST /api/v1/events: validates every event of the request, commits them through the intake
// (group commit) and answers after the commit with how many were new and how many repeated.
#include <fmt/format.h>

#include "api/event_body.h"
#include "api/event_intake.h"
#include "api/principal.h"
#include "api/routes.h"
#include "common/logging.h"
#include "server/error_mapping.h"

namespace salesradar::api {
namespace {

// Seconds a client should wait after 429, when the intake queue is full. A full queue drains
// within a few group commits, so one second is enough for a retry.
constexpr int kRetryAfterSeconds = 1;

Result<EventBodyFormat> FormatOf(const server::Request& request) {
  std::string_view type = request.Header("Content-Type").value_or("");
  std::string_view media = type.substr(0, type.find(';'));
  while (!media.empty() && media.back() == ' ') media.remove_suffix(1);
  if (media == "application/json") return EventBodyFormat::kJson;
  if (media == "application/x-ndjson") return EventBodyFormat::kNdjson;
  return InvalidArgument(fmt::format("Content-Type '{}' 不受支持；请使用 application/json 或 application/x-ndjson", type),
                         fmt::format("unsupported Content-Type '{}'; use application/json or application/x-ndjson",
                                     type));
}

server::Response QueueFull(const Error& error, const server::Request& request) {
  server::Response response = server::ErrorResponse(server::ApiErrorFrom(error), request.locale, request.request_id);
  response.headers.Set("Retry-After", std::to_string(kRetryAfterSeconds));
  return response;
}

Result<server::Response> PostEvents(const server::Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  SR_ASSIGN_OR_RETURN(EventBodyFormat format, FormatOf(request));
  SR_ASSIGN_OR_RETURN(std::vector<rules::Event> events,
                      ParseEventBody(request.body, format, context.clock.Now(), request.locale));

  size_t count = events.size();
  Result<store::AppendEventsResult> committed = context.intake.Submit(std::move(events));
  if (!committed.ok()) {
    if (committed.error().code() == ErrorCode::kResourceExhausted) return QueueFull(committed.error(), request);
    return committed.error();
  }

  Logger("intake")->debug("request {} by user {}: {} events, {} new, {} duplicates", request.request_id,
                          principal.user_id, count, committed->inserted, committed->duplicates);
  return server::Response::Json(200, {{"accepted", committed->inserted}, {"duplicates", committed->duplicates}});
}

}  // namespace

void RegisterEventRoutes(server::Router& router, ApiContext& context) {
  router.Add(server::Method::kPost, "/api/v1/events",
             [&context](const server::Request& request) { return PostEvents(request, context); });
}

}  // namespace salesradar::api
