#include "ingest/mapping.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "ingest/mapping_yaml.h"
#include "ingest/suggest.h"

namespace salesradar::ingest {
namespace {

using mapping_yaml::CheckKeys;
using mapping_yaml::Context;
using mapping_yaml::LineOf;
using mapping_yaml::NormalizeSettings;
using mapping_yaml::ReadBool;
using mapping_yaml::ReadNormalize;
using mapping_yaml::ReadString;

Result<model::EntityKind> ReadEntity(const Context& context, const YAML::Node& node) {
  SR_ASSIGN_OR_RETURN(std::string name, ReadString(context, node, "entity"));
  Result<model::EntityKind> kind = model::ParseEntityKind(name);
  if (kind.ok()) {
    return *kind;
  }
  std::vector<std::string> names;
  for (model::EntityKind candidate : model::AllEntityKinds()) {
    names.emplace_back(model::EntityKindName(candidate));
  }
  std::string nearest = NearestName(name, names);
  std::string hint_zh = nearest.empty() ? "" : fmt::format("，是否想写 '{}'", nearest);
  std::string hint_en = nearest.empty() ? "" : fmt::format("; did you mean '{}'?", nearest);
  return context.At(
      node, fmt::format("未知的实体 '{}'{}；可用：{}", name, hint_zh, JoinNames(names)),
      fmt::format("unknown entity '{}'{} (known entities: {})", name, hint_en, JoinNames(names)));
}

// Reads `external_id:`: a column name, or {column | columns | template, normalize}.
Status ReadExternalId(const Context& context, const YAML::Node& node,
                      const NormalizeSettings& defaults, TargetMapping& target) {
  target.external_id_normalize = defaults.Resolve(/*free_text=*/false);
  if (node.IsScalar()) {
    SR_ASSIGN_OR_RETURN(target.external_id,
                        mapping_yaml::ParseValueSource(context, node, ValueSource::Kind::kColumn));
    return OkStatus();
  }

  SR_RETURN_IF_ERROR(
      CheckKeys(context, node, {"column", "columns", "template", "normalize"}, "external_id"));
  int source_count =
      (node["column"] ? 1 : 0) + (node["columns"] ? 1 : 0) + (node["template"] ? 1 : 0);
  if (source_count != 1) {
    return context.At(node, "external_id 需要 column、columns、template 三者之一",
                      "external_id needs exactly one of column, columns and template");
  }
  if (node["normalize"]) {
    SR_ASSIGN_OR_RETURN(NormalizeSettings settings,
                        ReadNormalize(context, node["normalize"], defaults));
    target.external_id_normalize = settings.Resolve(/*free_text=*/false);
  }

  if (node["columns"]) {
    // Several columns form one key, joined with ':' ("2017:A17").
    SR_ASSIGN_OR_RETURN(auto columns,
                        mapping_yaml::ReadStringList(context, node["columns"], "columns"));
    std::string template_text;
    for (const std::string& column : columns) {
      template_text += (template_text.empty() ? "{" : ":{") + column + "}";
    }
    target.external_id.kind = ValueSource::Kind::kTemplate;
    target.external_id.text = template_text;
    target.external_id.columns = columns;
    return OkStatus();
  }
  bool is_template = static_cast<bool>(node["template"]);
  SR_ASSIGN_OR_RETURN(target.external_id,
                      mapping_yaml::ParseValueSource(
                          context, is_template ? node["template"] : node["column"],
                          is_template ? ValueSource::Kind::kTemplate : ValueSource::Kind::kColumn));
  return OkStatus();
}

Status ReadFields(const Context& context, const YAML::Node& node, const NormalizeSettings& defaults,
                  bool custom, TargetMapping& target, std::set<std::string>& seen) {
  std::string_view key = custom ? "custom_fields" : "fields";
  if (!node.IsMap()) {
    return context.At(node, fmt::format("{} 应为“字段名: 设置”的映射", key),
                      fmt::format("'{}' must map field names to their settings", key));
  }
  for (auto it = node.begin(); it != node.end(); ++it) {
    SR_ASSIGN_OR_RETURN(std::string name, ReadString(context, it->first, key));
    if (!seen.insert(name).second) {
      return context.At(it->first, fmt::format("字段 '{}' 映射了两次", name),
                        fmt::format("field '{}' is mapped twice", name));
    }
    model::CustomFieldDefinition definition;
    SR_ASSIGN_OR_RETURN(FieldMapping field,
                        mapping_yaml::ParseFieldMapping(context, target.entity, name, it->second,
                                                        defaults, custom, &definition));
    target.fields.push_back(std::move(field));
    if (custom) {
      target.custom_fields.push_back(std::move(definition));
    }
  }
  return OkStatus();
}

Status CheckRequiredFieldsMapped(const Context& context, const YAML::Node& node,
                                 const TargetMapping& target) {
  for (const model::FieldSpec& spec : model::BuiltInFields(target.entity)) {
    if (!spec.required) {
      continue;
    }
    bool mapped = false;
    for (const FieldMapping& field : target.fields) {
      mapped = mapped || (!field.custom && field.field == spec.name);
    }
    if (!mapped) {
      std::string_view kind = model::EntityKindName(target.entity);
      return context.At(
          node, fmt::format("{} 的必填字段 '{}' 没有映射；请在 fields 下加上它", kind, spec.name),
          fmt::format("required field '{}' of {} is not mapped; add it under "
                      "fields",
                      spec.name, kind));
    }
  }
  return OkStatus();
}

Result<TargetMapping> ReadTarget(const Context& context, const YAML::Node& node,
                                 NormalizeSettings defaults) {
  TargetMapping target;
  target.line = LineOf(node);
  if (!node["entity"]) {
    return context.At(node, "缺少 entity（目标实体，如 opportunity）",
                      "missing 'entity' (the target entity, such as opportunity)");
  }
  SR_ASSIGN_OR_RETURN(target.entity, ReadEntity(context, node["entity"]));
  if (node["description"]) {
    SR_ASSIGN_OR_RETURN(target.description,
                        ReadString(context, node["description"], "description"));
  }

  if (node["normalize"]) {
    SR_ASSIGN_OR_RETURN(defaults, ReadNormalize(context, node["normalize"], defaults));
  }
  if (!node["external_id"]) {
    return context.At(node, "缺少 external_id（作为外部 id 的列）",
                      "missing 'external_id' (the column that identifies a row)");
  }
  SR_RETURN_IF_ERROR(ReadExternalId(context, node["external_id"], defaults, target));
  if (node["distinct"]) {
    SR_ASSIGN_OR_RETURN(target.distinct, ReadBool(context, node["distinct"], "distinct"));
  }

  if (!node["fields"]) {
    return context.At(node, "缺少 fields（列到字段的映射）",
                      "missing 'fields' (which column fills which field)");
  }
  std::set<std::string> seen;
  SR_RETURN_IF_ERROR(ReadFields(context, node["fields"], defaults, false, target, seen));
  if (node["custom_fields"]) {
    SR_RETURN_IF_ERROR(ReadFields(context, node["custom_fields"], defaults, true, target, seen));
  }
  SR_RETURN_IF_ERROR(CheckRequiredFieldsMapped(context, node, target));
  return target;
}

Status ReadCsvOptions(const Context& context, const YAML::Node& node, Mapping& mapping) {
  SR_RETURN_IF_ERROR(CheckKeys(context, node, {"encoding", "delimiter"}, "csv"));
  if (node["encoding"]) {
    SR_ASSIGN_OR_RETURN(std::string name, ReadString(context, node["encoding"], "encoding"));
    Result<EncodingChoice> choice = ParseEncodingChoice(name);
    if (!choice.ok()) {
      return context.At(node["encoding"], choice.error().message_zh(), choice.error().message_en());
    }
    mapping.encoding = *choice;
  }
  if (node["delimiter"]) {
    SR_ASSIGN_OR_RETURN(std::string delimiter, ReadString(context, node["delimiter"], "delimiter"));
    if (delimiter == "tab") {
      delimiter = "\t";
    }
    bool valid = delimiter.size() == 1 && delimiter[0] != '"' && delimiter[0] != '\n' &&
                 delimiter[0] != '\r' && static_cast<unsigned char>(delimiter[0]) < 0x80;
    if (!valid) {
      return context.At(
          node["delimiter"],
          fmt::format("分隔符 '{}' 无效；请写一个 ASCII 字符，如 \",\" 或 \";\"，或 tab",
                      delimiter),
          fmt::format("invalid delimiter '{}'; write one ASCII character such as "
                      "\",\" or \";\", or tab",
                      delimiter));
    }
    mapping.delimiter = delimiter[0];
  }
  return OkStatus();
}

constexpr std::array<std::string_view, 5> kSingleTargetKeys = {"entity", "external_id", "distinct",
                                                               "fields", "custom_fields"};

Result<Mapping> ReadMapping(const Context& context, const YAML::Node& root) {
  SR_RETURN_IF_ERROR(CheckKeys(context, root,
                               {"description", "source", "csv", "normalize", "entity",
                                "external_id", "distinct", "fields", "custom_fields", "targets"},
                               "the mapping"));
  Mapping mapping;
  mapping.path = context.path;

  if (root["source"]) {
    SR_ASSIGN_OR_RETURN(std::string source, ReadString(context, root["source"], "source"));
    std::filesystem::path source_path(source);
    if (source_path.is_relative()) {
      source_path = std::filesystem::path(context.path).parent_path() / source_path;
    }
    mapping.source_file = source_path.lexically_normal().string();
  }
  if (root["csv"]) {
    SR_RETURN_IF_ERROR(ReadCsvOptions(context, root["csv"], mapping));
  }
  NormalizeSettings defaults;
  if (root["normalize"]) {
    SR_ASSIGN_OR_RETURN(defaults, ReadNormalize(context, root["normalize"], defaults));
  }

  if (!root["targets"]) {
    SR_ASSIGN_OR_RETURN(TargetMapping target, ReadTarget(context, root, defaults));
    mapping.targets.push_back(std::move(target));
    return mapping;
  }

  for (std::string_view key : kSingleTargetKeys) {
    if (root[std::string(key)]) {
      return context.At(root[std::string(key)],
                        fmt::format("有 targets 时，'{}' 应写在每个目标里", key),
                        fmt::format("with 'targets', '{}' belongs inside each target", key));
    }
  }
  const YAML::Node& targets = root["targets"];
  if (!targets.IsSequence() || targets.size() == 0) {
    return context.At(targets, "targets 应为非空的目标列表",
                      "'targets' must be a non-empty list of targets");
  }
  for (const YAML::Node& node : targets) {
    SR_RETURN_IF_ERROR(CheckKeys(context, node,
                                 {"description", "entity", "external_id", "distinct", "normalize",
                                  "fields", "custom_fields"},
                                 "a target"));
    SR_ASSIGN_OR_RETURN(TargetMapping target, ReadTarget(context, node, defaults));
    mapping.targets.push_back(std::move(target));
  }
  return mapping;
}

}  // namespace

Result<Mapping> ParseMapping(std::string_view yaml_text, const std::string& path) {
  Context context{path};
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    return InvalidArgument(fmt::format("{}:{}: YAML 语法错误：{}", path, line, e.msg),
                           fmt::format("{}:{}: YAML syntax error: {}", path, line, e.msg));
  }
  if (!root.IsMap()) {
    return InvalidArgument(
        fmt::format("{}:1: 映射文件应为 YAML 映射，至少包含 entity、external_id 和 fields", path),
        fmt::format("{}:1: a mapping file must be a YAML map with at least entity, external_id "
                    "and fields",
                    path));
  }
  try {
    return ReadMapping(context, root);
  } catch (const YAML::Exception& e) {
    // Only a bug in the reading code above gets here, for example a wrong node type access.
    int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    return InvalidArgument(fmt::format("{}:{}: 无法读取映射：{}", path, line, e.msg),
                           fmt::format("{}:{}: cannot read the mapping: {}", path, line, e.msg));
  }
}

Result<Mapping> LoadMapping(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return NotFound(fmt::format("无法读取映射文件 '{}'；请检查路径", path),
                    fmt::format("cannot read mapping file '{}'; check the path", path));
  }
  std::ostringstream text;
  text << file.rdbuf();
  return ParseMapping(text.str(), path);
}

}  // namespace salesradar::ingest
