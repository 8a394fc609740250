// The OpenAPI 3 description of /api/v1, served at GET /api/v1/openapi.json. It is written by hand
// as one YAML file per area under src/api/openapi/ (auth.yaml, records.yaml, alerts.yaml ...),
// embedded at build time and merged into one document at startup.
//
// Each file is a partial OpenAPI document: it may contain `paths`, `components` (merged key by
// key) and `tags`. The first file, 00-base.yaml, carries `openapi`, `info` and `servers`.
// A test compares the merged paths with the routes the server registers.
#pragma once

#include <span>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace salesradar::api {

struct OpenApiFile {
  std::string_view name;  // "alerts.yaml"
  std::string_view yaml;
};

// The files under src/api/openapi/, sorted by name. Defined in the generated openapi_files.cc.
std::span<const OpenApiFile> EmbeddedOpenApiFiles();

// Merges `files` into one OpenAPI document. Returns kInvalidArgument naming the file and line for
// YAML that does not parse, and naming the path or component for one defined in two files.
Result<nlohmann::json> MergeOpenApi(std::span<const OpenApiFile> files);

}  // namespace salesradar::api
