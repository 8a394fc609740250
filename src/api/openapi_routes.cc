// GET /api/v1/openapi.json: the merged OpenAPI description, readable without signing in so that
// tools can fetch it.
#include "api/openapi.h"
#include "api/routes.h"
#include "common/error.h"
#include "common/logging.h"

namespace salesradar::api {

void RegisterOpenApiRoutes(server::Router& router, ApiContext& /*context*/) {
  Result<nlohmann::json> merged = MergeOpenApi(EmbeddedOpenApiFiles());
  if (!merged.ok()) {
    Logger("api")->error("openapi: merging the embedded description failed: {}",
                         merged.error().ToLogString());
  }
  auto document = std::make_shared<const Result<nlohmann::json>>(std::move(merged));

  router.Add(server::Method::kGet, "/api/v1/openapi.json",
             [document](const server::Request&) -> Result<server::Response> {
               if (!document->ok()) {
                 return Internal("API 描述文档无法生成", "the API description could not be built");
               }
               return server::Response::Json(200, **document);
             });
}

}  // namespace salesradar::api
