#include "api/routes.h"

namespace salesradar::api {

void RegisterAllRoutes(server::Router& router, ApiContext& context) {
  RegisterAuthRoutes(router, context);
  RegisterPeopleRoutes(router, context);
  RegisterRecordRoutes(router, context);
  RegisterAlertRoutes(router, context);
  RegisterEventRoutes(router, context);
  RegisterRuleRoutes(router, context);
  RegisterImportRoutes(router, context);
  RegisterReportRoutes(router, context);
  RegisterAuditRoutes(router, context);
  RegisterClusterRoutes(router, context);
  RegisterNotifyRoutes(router, context);
  RegisterOpenApiRoutes(router, context);
  // Last, because its fallback must not hide an API route.
  RegisterStaticRoutes(router, context);
}

}  // namespace salesradar::api
