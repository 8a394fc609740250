#include "server/config_file.h"

#include <algorithm>

#include <fmt/format.h>
#include <toml++/toml.h>

namespace salesradar::server {
namespace {

std::string TypeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::array: return "array";
    case toml::node_type::table: return "table";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    case toml::node_type::none: return "none";
  }
  return "none";
}

// Appends the values of `table` to `out`. Nested tables are flattened too, so that an unknown
// nested key is reported by its full dotted path.
void Flatten(const toml::table& table, const std::string& prefix, std::vector<FileValue>& out) {
  for (auto&& [key, node] : table) {
    std::string path = prefix.empty() ? std::string(key.str()) : prefix + "." + std::string(key.str());
    if (const toml::table* child = node.as_table()) {
      Flatten(*child, path, out);
      continue;
    }

    FileValue value{path, "", TypeName(node), static_cast<int>(key.source().begin.line)};
    if (auto text = node.value_exact<std::string>()) {
      value.text = *text;
    } else if (auto number = node.value_exact<int64_t>()) {
      value.text = std::to_string(*number);
    } else if (auto flag = node.value_exact<bool>()) {
      value.text = *flag ? "true" : "false";
    }
    out.push_back(std::move(value));
  }
}

}  // namespace

Result<std::vector<FileValue>> ReadTomlValues(const ConfigFileText& file) {
  toml::table root;
  try {
    root = toml::parse(file.content, file.path);
  } catch (const toml::parse_error& error) {
    const toml::source_position& where = error.source().begin;
    std::string location = fmt::format("{}:{}:{}", file.path, where.line, where.column);
    std::string description(error.description());
    return InvalidArgument(
               fmt::format("无法解析配置文件 {}：{}；请修正该处的 TOML 语法", location, description),
               fmt::format("cannot parse config file {}: {}; fix the TOML syntax there", location,
                           description))
        .AddDetail("source", location);
  }

  std::vector<FileValue> values;
  Flatten(root, "", values);
  std::stable_sort(values.begin(), values.end(),
                   [](const FileValue& a, const FileValue& b) { return a.line < b.line; });
  return values;
}

}  // namespace salesradar::server
