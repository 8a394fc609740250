#include "api/routes.h"

namespace salesradar::api {

// PLACEHOLDER: registers nothing yet; the owner of this file replaces it.
void RegisterRuleRoutes(server::Router& /*router*/, ApiContext& /*context*/) {}

}  // namespace salesradar::api
