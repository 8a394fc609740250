// Internal to the config loader: the table of settings with their value types and how each
// value is stored in ServerConfig.
#pragma once

#include <string_view>
#include <vector>

#include "common/result.h"
#include "server/config.h"

namespace salesradar::server {

enum class SettingType { kString, kInteger, kByteSize, kDuration, kListenAddress, kLogLevel, kBoolean };

struct SettingSpec {
  ConfigSetting names;
  SettingType type;
  // Parses `text` and stores the value in `config`. The error describes what is wrong with `text`.
  Status (*apply)(std::string_view text, ServerConfig& config);
};

// Every setting, in documentation order.
const std::vector<SettingSpec>& SettingSpecs();

// Each returns the setting with that key, environment variable or flag name, or nullptr.
const SettingSpec* FindSettingByKey(std::string_view key);
const SettingSpec* FindSettingByFlag(std::string_view flag);

// Describes the value a setting of `type` expects, for type errors: {zh, en}.
LocalizedText ExpectedValueText(SettingType type);

}  // namespace salesradar::server
