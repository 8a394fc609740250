#include "server/operational_routes.h"

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/logging.h"
#include "server/error_mapping.h"

namespace salesradar::server {
namespace {

// Returns the text a /readyz caller sees for a failed check. Internal errors may name files or
// queries, so they are replaced; the server log has the original.
LocalizedText VisibleReason(const Error& error) {
  if (error.code() == ErrorCode::kInternal || error.code() == ErrorCode::kDataLoss) {
    return {"检查失败，详情见服务器日志", "the check failed; the server log has the details"};
  }
  return {error.message_zh(), error.message_en()};
}

// Logs readiness only when it changes, because probes call /readyz every few seconds.
void LogTransition(std::atomic<bool>& was_ready, bool ready,
                   const std::vector<ReadinessOutcome>& outcomes, const std::string& request_id) {
  if (was_ready.exchange(ready) == ready) {
    return;
  }
  auto logger = Logger("server");
  if (ready) {
    logger->info("request {}: server is ready again", request_id);
    return;
  }
  for (const ReadinessOutcome& outcome : outcomes) {
    if (outcome.error) {
      logger->warn("request {}: readiness check '{}' failed: {}", request_id, outcome.name,
                   outcome.error->ToLogString());
    }
  }
}

std::string Join(const std::vector<std::string>& parts, const std::string& separator) {
  std::string out;
  for (const std::string& part : parts) {
    out += (out.empty() ? "" : separator) + part;
  }
  return out;
}

Response ReadinessResponse(const std::vector<ReadinessOutcome>& outcomes, const Request& request) {
  nlohmann::json checks = nlohmann::json::array();
  std::vector<std::string> failures_zh;
  std::vector<std::string> failures_en;
  std::vector<ErrorDetail> details;

  for (const ReadinessOutcome& outcome : outcomes) {
    nlohmann::json check = {{"name", outcome.name}, {"status", outcome.error ? "failed" : "ok"}};
    if (outcome.error) {
      LocalizedText reason = VisibleReason(*outcome.error);
      check["message"] = reason.in(request.locale);
      failures_zh.push_back(outcome.name + "（" + reason.zh + "）");
      failures_en.push_back(outcome.name + " (" + reason.en + ")");
      details.push_back({outcome.name, reason.in(request.locale)});
    }
    checks.push_back(std::move(check));
  }

  if (failures_en.empty()) {
    return Response::Json(200, {{"status", "ready"}, {"checks", std::move(checks)}});
  }
  ApiError not_ready{503,
                     "unavailable",
                     {"服务未就绪：" + Join(failures_zh, "；"), "not ready: " + Join(failures_en, "; ")},
                     std::move(details)};
  return ErrorResponse(not_ready, request.locale, request.request_id);
}

}  // namespace

void AddOperationalRoutes(Router& router, const ReadinessChecks& readiness,
                          const MetricsRegistry& registry, const std::atomic<bool>& stopping) {
  router.Add(Method::kGet, "/healthz", [](const Request&) -> Result<Response> {
    return Response::Json(200, {{"status", "ok"}});
  });

  auto was_ready = std::make_shared<std::atomic<bool>>(true);
  router.Add(Method::kGet, "/readyz",
             [&readiness, &stopping, was_ready](const Request& request) -> Result<Response> {
               if (stopping.load()) {
                 return ErrorResponse(ShuttingDownError(), request.locale, request.request_id);
               }
               std::vector<ReadinessOutcome> outcomes = readiness.RunAll();
               Response response = ReadinessResponse(outcomes, request);
               LogTransition(*was_ready, response.status == 200, outcomes, request.request_id);
               return response;
             });

  router.Add(Method::kGet, "/metrics", [&registry](const Request&) -> Result<Response> {
    return Response::Text(200, registry.RenderText(), kPrometheusTextContentType);
  });
}

}  // namespace salesradar::server
