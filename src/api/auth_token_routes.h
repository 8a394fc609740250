// API token routes: GET and POST /api/v1/tokens, DELETE /api/v1/tokens/{id}.
#pragma once

#include "api/api_context.h"
#include "server/router.h"

namespace salesradar::api {

// Called by RegisterAuthRoutes.
void RegisterTokenRoutes(server::Router& router, ApiContext& context);

}  // namespace salesradar::api
