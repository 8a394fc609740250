#include "cli/event_mapping.h"

#include <yaml-cpp/yaml.h>

namespace salesradar::cli {
namespace {

Error MissingKey(const std::string& file_name, const std::string& key) {
  return InvalidArgument("事件映射文件 '" + file_name + "' 缺少 " + key + "；请参照 examples/mappings/bpi2012/events.yaml 补上",
                         "event mapping '" + file_name + "': " + key + " is missing; add it as "
                         "examples/mappings/bpi2012/events.yaml shows");
}

std::map<std::string, std::string> ReadStringMap(const YAML::Node& node) {
  std::map<std::string, std::string> values;
  if (!node) return values;
  for (const auto& entry : node) values[entry.first.as<std::string>()] = entry.second.as<std::string>();
  return values;
}

}  // namespace

Result<EventMapping> ParseEventMapping(const std::string& text, const std::string& file_name) {
  EventMapping mapping;
  try {
    YAML::Node root = YAML::Load(text);
    if (!root["subject_type"]) return MissingKey(file_name, "subject_type");
    mapping.subject_type = root["subject_type"].as<std::string>();

    std::map<std::string, std::string> columns = ReadStringMap(root["columns"]);
    for (const char* key : {"subject_id", "type", "occurred_at"}) {
      if (!columns.contains(key)) return MissingKey(file_name, std::string("columns.") + key);
    }
    mapping.subject_id_column = columns["subject_id"];
    mapping.type_column = columns["type"];
    mapping.occurred_at_column = columns["occurred_at"];
    mapping.actor_column = columns.contains("actor") ? columns["actor"] : "";

    if (YAML::Node suffix = root["type_suffix"]) {
      if (!suffix["column"]) return MissingKey(file_name, "type_suffix.column");
      mapping.type_suffix_column = suffix["column"].as<std::string>();
      if (suffix["for_type_prefixes"]) {
        mapping.type_suffix_prefixes = suffix["for_type_prefixes"].as<std::vector<std::string>>();
      }
    }

    mapping.payload = ReadStringMap(root["payload"]);
    mapping.numeric_payload = ReadStringMap(root["numeric_payload"]);
    if (!root["id_prefix"]) return MissingKey(file_name, "id_prefix");
    mapping.id_prefix = root["id_prefix"].as<std::string>();
  } catch (const YAML::Exception& e) {
    return InvalidArgument("事件映射文件 '" + file_name + "' 无效：" + e.what(),
                           "event mapping '" + file_name + "' is invalid: " + e.what());
  }
  return mapping;
}

}  // namespace salesradar::cli
