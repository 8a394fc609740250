// Helpers shared by the mapping parser files: reading typed YAML values with "PATH:LINE: "
// errors. Internal to the ingest library.
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/result.h"
#include "ingest/mapping.h"

namespace salesradar::ingest::mapping_yaml {

// The mapping file being parsed, for messages.
struct Context {
  std::string path;

  // Returns kInvalidArgument with both messages prefixed by "PATH:LINE: " of `node`.
  Error At(const YAML::Node& node, std::string_view zh, std::string_view en) const;
};

// Returns an error naming the first key of the map `node` that is not in `allowed`, with the
// nearest allowed key suggested.
Status CheckKeys(const Context& context, const YAML::Node& node,
                 std::initializer_list<std::string_view> allowed, std::string_view where);

Result<std::string> ReadString(const Context& context, const YAML::Node& node,
                               std::string_view key);
Result<bool> ReadBool(const Context& context, const YAML::Node& node, std::string_view key);
// Accepts a sequence of scalars, or one scalar as a list of one.
Result<std::vector<std::string>> ReadStringList(const Context& context, const YAML::Node& node,
                                                std::string_view key);

// A `normalize:` map as written, before the field type decides the default of half_width.
struct NormalizeSettings {
  bool trim = true;
  std::optional<bool> half_width;
  LetterCase letter_case = LetterCase::kKeep;

  // Returns the options for a value. Unless the mapping sets half_width, it is on for values
  // that are parsed or compared (numbers, dates, enums, ids). It is off for free text (string
  // fields and names of references), because full-width punctuation such as （） belongs to
  // Chinese text.
  NormalizeOptions Resolve(bool free_text) const {
    return NormalizeOptions{trim, half_width.value_or(!free_text), letter_case};
  }
};

// Reads a `normalize:` map over `defaults`.
Result<NormalizeSettings> ReadNormalize(const Context& context, const YAML::Node& node,
                                        NormalizeSettings defaults);

// Parses a column name (`kind` kColumn) or a template with {column} placeholders.
Result<ValueSource> ParseValueSource(const Context& context, const YAML::Node& node,
                                     ValueSource::Kind kind);

// Parses one entry of `fields:` (custom == false) or `custom_fields:` (custom == true) of a
// target. For a custom field it also fills `definition`.
Result<FieldMapping> ParseFieldMapping(const Context& context, model::EntityKind entity,
                                       const std::string& name, const YAML::Node& node,
                                       const NormalizeSettings& defaults, bool custom,
                                       model::CustomFieldDefinition* definition);

int LineOf(const YAML::Node& node);

}  // namespace salesradar::ingest::mapping_yaml
