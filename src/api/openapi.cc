#include "api/openapi.h"

#include <cmath>
#include <string>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "common/error.h"

namespace salesradar::api {
namespace {

using nlohmann::json;

bool IsInteger(const std::string& text) {
  size_t start = (!text.empty() && (text[0] == '-' || text[0] == '+')) ? 1 : 0;
  if (start == text.size()) {
    return false;
  }
  for (size_t i = start; i < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') {
      return false;
    }
  }
  return true;
}

std::optional<double> ParseFloat(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789+-.eE") != std::string::npos) {
    return std::nullopt;
  }
  try {
    size_t used = 0;
    double value = std::stod(text, &used);
    if (used == text.size() && std::isfinite(value)) {
      return value;
    }
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// Converts a YAML 1.2 core-schema scalar: a plain scalar may be null, a boolean or a number; a
// quoted one is always a string.
json ScalarToJson(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() != "?") {
    return text;
  }
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") {
    return true;
  }
  if (text == "false" || text == "False" || text == "FALSE") {
    return false;
  }
  if (IsInteger(text)) {
    try {
      return std::stoll(text);
    } catch (const std::exception&) {
      return text;
    }
  }
  if (std::optional<double> number = ParseFloat(text)) {
    return *number;
  }
  return text;
}

json YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    case YAML::NodeType::Sequence: {
      json array = json::array();
      for (const YAML::Node& item : node) {
        array.push_back(YamlToJson(item));
      }
      return array;
    }
    case YAML::NodeType::Map: {
      json object = json::object();
      for (const auto& entry : node) {
        object[entry.first.as<std::string>()] = YamlToJson(entry.second);
      }
      return object;
    }
  }
  return nullptr;
}

Error DefinedTwice(std::string_view name, std::string_view file) {
  return InvalidArgument(
      fmt::format("OpenAPI 文件 {} 重复定义了 {}；每项只能在一个文件中定义", file, name),
      fmt::format("OpenAPI file {} defines {} again; define each in one file only", file, name));
}

// Merges one parsed file into `merged`.
Status MergeFile(const json& document, std::string_view file, json& merged) {
  for (const auto& [key, value] : document.items()) {
    if (key == "paths") {
      if (value.is_null()) {
        continue;
      }
      for (const auto& [path, item] : value.items()) {
        if (merged["paths"].contains(path)) {
          return DefinedTwice("paths." + path, file);
        }
        merged["paths"][path] = item;
      }
    } else if (key == "components") {
      for (const auto& [section, entries] : value.items()) {
        for (const auto& [name, entry] : entries.items()) {
          if (merged["components"][section].contains(name)) {
            return DefinedTwice("components." + section + "." + name, file);
          }
          merged["components"][section][name] = entry;
        }
      }
    } else if (key == "tags") {
      for (const json& tag : value) {
        merged["tags"].push_back(tag);
      }
    } else {
      if (merged.contains(key)) {
        return DefinedTwice(key, file);
      }
      merged[key] = value;
    }
  }
  return OkStatus();
}

}  // namespace

Result<json> MergeOpenApi(std::span<const OpenApiFile> files) {
  json merged = json::object();
  merged["paths"] = json::object();
  merged["components"] = json::object();
  merged["tags"] = json::array();

  for (const OpenApiFile& file : files) {
    YAML::Node root;
    try {
      root = YAML::Load(std::string(file.yaml));
    } catch (const YAML::Exception& error) {
      int line = error.mark.line + 1;
      return InvalidArgument(
          fmt::format("OpenAPI 文件 {} 第 {} 行不是有效的 YAML：{}", file.name, line, error.msg),
          fmt::format("OpenAPI file {} line {} is not valid YAML: {}", file.name, line, error.msg));
    }
    if (root.IsNull()) {
      continue;
    }
    if (!root.IsMap()) {
      return InvalidArgument(fmt::format("OpenAPI 文件 {} 的顶层必须是映射", file.name),
                             fmt::format("OpenAPI file {} must be a mapping at the top level",
                                         file.name));
    }
    SR_RETURN_IF_ERROR(MergeFile(YamlToJson(root), file.name, merged));
  }

  if (merged["tags"].empty()) {
    merged.erase("tags");
  }
  return merged;
}

}  // namespace salesradar::api
