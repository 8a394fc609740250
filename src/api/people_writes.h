// Admin-only writes of users and org units: POST /api/v1/users, PATCH /api/v1/users/{id},
// POST /api/v1/org-units.
#pragma once

#include "api/api_context.h"
#include "server/router.h"

namespace salesradar::api {

// Called by RegisterPeopleRoutes.
void RegisterPeopleWriteRoutes(server::Router& router, ApiContext& context);

}  // namespace salesradar::api
