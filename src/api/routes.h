// The route files of /api/v1. Each registers its routes on the router and keeps a reference to
// the context. Every route is described in src/api/openapi/<area>.yaml.
#pragma once

#include "api/api_context.h"
#include "server/router.h"

namespace salesradar::api {

// auth_routes.cc: sign-in, sign-out, me, API tokens.
void RegisterAuthRoutes(server::Router& router, ApiContext& context);
// people_routes.cc: users and org units.
void RegisterPeopleRoutes(server::Router& router, ApiContext& context);
// record_routes.cc: accounts, contacts, leads, opportunities, activities.
void RegisterRecordRoutes(server::Router& router, ApiContext& context);
// alert_routes.cc: alerts, their history and actions, tickets, the live stream.
void RegisterAlertRoutes(server::Router& router, ApiContext& context);
// event_routes.cc: POST /api/v1/events.
void RegisterEventRoutes(server::Router& router, ApiContext& context);
// rule_routes.cc: rule packs, versions, check, publish, backtest.
void RegisterRuleRoutes(server::Router& router, ApiContext& context);
// import_routes.cc: uploads and import jobs.
void RegisterImportRoutes(server::Router& router, ApiContext& context);
// report_routes.cc: pipeline and behaviour health.
void RegisterReportRoutes(server::Router& router, ApiContext& context);
// audit_routes.cc: the audit log for admins.
void RegisterAuditRoutes(server::Router& router, ApiContext& context);
// cluster_routes.cc: GET /api/v1/cluster.
void RegisterClusterRoutes(server::Router& router, ApiContext& context);
// notify_routes.cc: notification channels, addresses and messages (admin).
void RegisterNotifyRoutes(server::Router& router, ApiContext& context);
// openapi_routes.cc: GET /api/v1/openapi.json.
void RegisterOpenApiRoutes(server::Router& router, ApiContext& context);
// static_routes.cc: the built web UI with cache headers and the index.html fallback.
void RegisterStaticRoutes(server::Router& router, ApiContext& context);

// Calls every Register*Routes above.
void RegisterAllRoutes(server::Router& router, ApiContext& context);

}  // namespace salesradar::api
