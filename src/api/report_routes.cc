#include "api/routes.h"

namespace salesradar::api {

// PLACEHOLDER: registers nothing yet; the owner of this file replaces it.
void RegisterReportRoutes(server::Router& /*router*/, ApiContext& /*context*/) {}

}  // namespace salesradar::api
