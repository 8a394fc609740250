// The query parameters of GET /api/v1/alerts and its cursors.
#pragma once

#include <string>

#include "common/result.h"
#include "server/http_types.h"
#include "store/alert_query.h"

namespace salesradar::api {

// Reads status (default "unresolved"; also "resolved", "all" or status names, comma-separated),
// level, pack_id, rule_id, subject_type, subject_id, owner_id (a user id), from and to (on
// raised_at), sort (raised_at, -raised_at (default), level, -level), limit and cursor. Returns
// kInvalidArgument naming the parameter and the accepted values.
Result<store::AlertFilter> ParseAlertListQuery(const server::Request& request);

std::string EncodeAlertCursor(const store::AlertPosition& position);

}  // namespace salesradar::api
