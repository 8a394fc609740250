// Column mappings of import jobs: the JSON form the API takes, and suggestions of a field for
// each column that a mapping leaves unmapped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "ingest/mapping.h"

namespace salesradar::api {

// Parses the JSON form of a mapping (the keys of a mapping file). `entity` is used when the
// mapping names neither `entity` nor `targets`; `source` is ignored, because the upload is the
// file. Returns kInvalidArgument naming the field `mapping` when it is no object, and the mapping
// parser's error (unknown key, field or entity, with the nearest name) otherwise; its line numbers
// refer to the mapping as JSON indented by two spaces.
Result<ingest::Mapping> MappingFromJson(const nlohmann::json& mapping, std::string_view entity);

// Returns {column: field or null} for each header column that `mapping` reads nowhere: the
// built-in field of `entity` whose name or usual Chinese column name is closest, or "external_id".
// Columns the mapping reads are left out. `mapping` may be null when the mapping did not parse.
nlohmann::json SuggestMapping(const std::vector<std::string>& header, std::string_view entity,
                              const ingest::Mapping* mapping);

}  // namespace salesradar::api
