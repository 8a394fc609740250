// Internal to the config loader: reading the TOML configuration file into flat key/value entries.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "server/config.h"

namespace salesradar::server {

// One value from the file.
struct FileValue {
  std::string key;   // the dotted path: "server.listen" for `listen` under [server]
  std::string text;  // a string without quotes or an integer in decimal; empty for other types
  std::string type;  // the TOML type: "string", "integer", "boolean", "float", "array", "date", ...
  int line = 0;
};

// Parses `file` and returns its values sorted by line. Returns kInvalidArgument with name:line:column
// for a TOML syntax error.
Result<std::vector<FileValue>> ReadTomlValues(const ConfigFileText& file);

}  // namespace salesradar::server
