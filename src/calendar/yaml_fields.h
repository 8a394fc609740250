// Reading calendar YAML documents field by field, with errors that name the file and line.
// Internal to the calendar loader. yaml-cpp exceptions never leave these functions.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

#include <cctz/civil_time.h>
#include <yaml-cpp/yaml.h>

#include "calendar/calendar_spec.h"
#include "common/result.h"

namespace salesradar::calendar {

// Returns the location of `node` in `file` (line 0 when yaml-cpp has no mark for it).
SourceLocation LocationOf(const std::string& file, const YAML::Node& node);

// Parses `text` as one YAML document whose root is a mapping.
Result<YAML::Node> ParseYamlMapping(const std::string& file, const std::string& text);

// Fails when `node` has a key outside `known`, listing the accepted keys.
Status CheckKnownKeys(const std::string& file, const YAML::Node& node,
                      std::initializer_list<std::string_view> known);

// Reads the scalar under `key`. A missing key returns an empty string when `required` is false.
Result<std::string> ReadScalar(const std::string& file, const YAML::Node& parent, std::string_view key,
                               bool required);

// Reads the date "YYYY-MM-DD" under `key` (required).
Result<cctz::civil_day> ReadDate(const std::string& file, const YAML::Node& parent, std::string_view key);

// Reads {zh: ..., en: ...} under `key`; both names are required.
Result<LocalizedName> ReadName(const std::string& file, const YAML::Node& parent, std::string_view key);

// Reads the sequence under `key`; a missing key gives an empty sequence.
Result<YAML::Node> ReadSequence(const std::string& file, const YAML::Node& parent, std::string_view key);

}  // namespace salesradar::calendar
