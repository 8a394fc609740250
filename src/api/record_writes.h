// The record writes of the API: PATCH /api/v1/opportunities/{id} and POST /api/v1/activities,
// and the visibility check that reads and writes share.
#pragma once

#include "api/api_context.h"
#include "api/principal.h"
#include "server/router.h"
#include "store/store.h"

namespace salesradar::api {

// Returns the row `id` of `kind` when the principal may see it. Returns kNotFound ("no
// opportunity with id 7") both when it does not exist and when it is hidden from the principal.
Result<store::RecordRow> FindVisibleRecord(store::Store& store, model::EntityKind kind, int64_t id,
                                           const Principal& principal);

// Registers PATCH /api/v1/opportunities/{id} and POST /api/v1/activities.
void RegisterRecordWriteRoutes(server::Router& router, ApiContext& context);

}  // namespace salesradar::api
