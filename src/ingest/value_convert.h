// Parsing of one normalised cell text into a typed model value, by the field's mapping.
#pragma once

#include <string_view>

#include <cctz/time_zone.h>

#include "common/result.h"
#include "ingest/mapping.h"
#include "model/value.h"

namespace salesradar::ingest {

// Parses `text` as the type of `field`: strings as they are, enums matched to an allowed
// value ignoring ASCII case, ints, money in the field's unit and currency, dates and
// timestamps with the field's formats (timestamps in `zone`), and booleans. A date field
// keeps only the date of a text that also has a time.
// REQUIRES: text is not empty and the field is not a reference.
// Errors carry the reason only, for the caller to add the column and value.
Result<model::Value> ParseFieldValue(const FieldMapping& field, const cctz::time_zone& zone,
                                     std::string_view text);

}  // namespace salesradar::ingest
