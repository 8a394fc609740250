// The JSON form of accounts, contacts, leads, opportunities and activities in the API.
#pragma once

#include <nlohmann/json.hpp>

#include "model/entities.h"
#include "store/record_query.h"

namespace salesradar::api {

// Returns a record as the API shows it:
//   {"id", "external_id", "created_at", "updated_at", <built-in fields>, "custom_fields": {...}}
// A reference field `owner` becomes "owner_id" and, when known, "owner_name" (likewise account,
// product, actor, and an activity's "subject_name"). Money is {"amount_fen", "currency"}, dates
// "YYYY-MM-DD", times RFC 3339 UTC; an activity's payload is parsed JSON when it is valid. Unset
// fields are null. Custom references are their row id.
nlohmann::json RecordJson(const store::RecordRow& row);

// Returns a field value in the API's form; references as their row id.
nlohmann::json ValueJson(const model::Value& value);

// Returns one stage change of an opportunity's timeline:
// {"kind": "stage_change", "at", "from_stage", "to_stage"}.
nlohmann::json StageChangeJson(const model::StageChange& change);

}  // namespace salesradar::api
