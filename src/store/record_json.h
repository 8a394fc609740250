// The JSON text of a record's state in audit rows.
#pragma once

#include <string>
#include <string_view>

#include "model/entity.h"

namespace salesradar::store {

// Returns a compact JSON object with the keys in sorted order:
//   {"custom_fields": {...}, "external_id": "...", "fields": {...}}
// "external_id" only when `external_id` is not empty, each map only when not empty. Values:
// a string as a string, an int as a number, money as {"currency": "CNY", "fen": 123}, a date
// as "YYYY-MM-DD", a timestamp as microseconds since the Unix epoch, a bool, a reference as its
// row id (or {"external_id": ...} while unresolved), and Null as null.
std::string RecordStateJson(std::string_view external_id, const model::FieldMap& fields,
                            const model::FieldMap& custom_fields);

}  // namespace salesradar::store
