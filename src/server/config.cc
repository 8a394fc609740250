#include "server/config.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "server/config_file.h"
#include "server/config_settings.h"

extern char** environ;

namespace salesradar::server {
namespace {

// The origin of a value in error messages: "salesradar.toml:3", "environment variable
// SALESRADAR_THREADS" or "flag --threads".
struct ValueSource {
  std::string zh;
  std::string en;
};

Status ApplyValue(const SettingSpec& spec, std::string_view text, const ValueSource& source,
                  ServerConfig& config) {
  Status status = spec.apply(text, config);
  if (status.ok()) {
    return status;
  }

  Error error = std::move(status).error();
  error.Wrap(fmt::format("配置项 {} 的值无效（{}）", spec.names.key, source.zh),
             fmt::format("invalid value for {} ({})", spec.names.key, source.en));
  error.AddDetail("key", std::string(spec.names.key))
      .AddDetail("source", source.en)
      .AddDetail("value", std::string(text));
  return error;
}

// Returns the setting keys in the same section as `key` ("server.threads" for "server.thread"),
// or every key when the section is unknown, as a comma-separated list.
std::string KnownKeysNear(std::string_view key) {
  std::string_view section = key.substr(0, key.find('.') + 1);
  std::string same_section;
  std::string all;
  for (const SettingSpec& spec : SettingSpecs()) {
    std::string_view candidate = spec.names.key;
    all += (all.empty() ? "" : ", ") + std::string(candidate);
    if (!section.empty() && candidate.substr(0, section.size()) == section) {
      same_section += (same_section.empty() ? "" : ", ") + std::string(candidate);
    }
  }
  return same_section.empty() ? all : same_section;
}

Error UnknownFileKey(const FileValue& value, const std::string& location) {
  std::string known = KnownKeysNear(value.key);
  return InvalidArgument(
             fmt::format("配置文件 {} 中有未知的配置项 {}；可用的配置项有：{}", location,
                         value.key, known),
             fmt::format("unknown setting {} in {}; known settings are {}", value.key, location,
                         known))
      .AddDetail("key", value.key)
      .AddDetail("source", location);
}

bool TypeFits(SettingType type, const std::string& toml_type) {
  switch (type) {
    case SettingType::kInteger: return toml_type == "integer";
    case SettingType::kBoolean: return toml_type == "boolean";
    case SettingType::kByteSize: return toml_type == "integer" || toml_type == "string";
    case SettingType::kString:
    case SettingType::kDuration:
    case SettingType::kListenAddress:
    case SettingType::kLogLevel: return toml_type == "string";
  }
  return false;
}

Status ApplyFile(const ConfigFileText& file, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(std::vector<FileValue> values, ReadTomlValues(file));

  for (const FileValue& value : values) {
    std::string location = fmt::format("{}:{}", file.path, value.line);
    const SettingSpec* spec = FindSettingByKey(value.key);
    if (spec == nullptr) {
      return UnknownFileKey(value, location);
    }

    if (!TypeFits(spec->type, value.type)) {
      LocalizedText expected = ExpectedValueText(spec->type);
      return InvalidArgument(
                 fmt::format("配置项 {} 的值无效（{}）：{}，实际是 TOML {} 类型", value.key, location,
                             expected.zh, value.type),
                 fmt::format("invalid value for {} ({}): {}, got a TOML {}", value.key, location,
                             expected.en, value.type))
          .AddDetail("key", value.key)
          .AddDetail("source", location);
    }
    SR_RETURN_IF_ERROR(ApplyValue(*spec, value.text, {location, location}, config));
  }
  return OkStatus();
}

Status ApplyEnvironment(const std::map<std::string, std::string>& environment,
                        ServerConfig& config) {
  for (const SettingSpec& spec : SettingSpecs()) {
    auto it = environment.find(std::string(spec.names.env));
    if (it == environment.end() || it->second.empty()) {
      continue;
    }
    ValueSource source{fmt::format("环境变量 {}", spec.names.env),
                       fmt::format("environment variable {}", spec.names.env)};
    SR_RETURN_IF_ERROR(ApplyValue(spec, it->second, source, config));
  }
  return OkStatus();
}

Status ApplyFlags(const std::map<std::string, std::string>& flags, ServerConfig& config) {
  for (const auto& [name, text] : flags) {
    if (name == "config") {
      continue;  // names the file, which GatherConfigSources() has read
    }
    const SettingSpec* spec = FindSettingByFlag(name);
    if (spec == nullptr) {
      return InvalidArgument(fmt::format("未知的命令行参数 --{}；运行 salesradar serve --help 查看可用参数", name),
                             fmt::format("unknown flag --{}; run salesradar serve --help for the "
                                         "flags",
                                         name))
          .AddDetail("source", "flag --" + name);
    }
    ValueSource source{fmt::format("命令行参数 --{}", name), fmt::format("flag --{}", name)};
    SR_RETURN_IF_ERROR(ApplyValue(*spec, text, source, config));
  }
  return OkStatus();
}

}  // namespace

std::string ListenAddress::ToString() const {
  if (host.find(':') != std::string::npos) {
    return fmt::format("[{}]:{}", host, port);
  }
  return fmt::format("{}:{}", host, port);
}

std::string DefaultDatabasePath(const std::string& data_dir) {
  if (!data_dir.empty() && data_dir.back() == '/') {
    return data_dir + "salesradar.db";
  }
  return data_dir + "/salesradar.db";
}

const std::vector<ConfigSetting>& ConfigSettings() {
  static const std::vector<ConfigSetting> settings = [] {
    std::vector<ConfigSetting> names;
    for (const SettingSpec& spec : SettingSpecs()) {
      names.push_back(spec.names);
    }
    return names;
  }();
  return settings;
}

Result<ServerConfig> LoadServerConfig(const ConfigSources& sources) {
  ServerConfig config;

  if (sources.file) {
    SR_RETURN_IF_ERROR(ApplyFile(*sources.file, config));
  }
  SR_RETURN_IF_ERROR(ApplyEnvironment(sources.environment, config));
  SR_RETURN_IF_ERROR(ApplyFlags(sources.flags, config));

  if (config.database.empty()) {
    config.database = DefaultDatabasePath(config.data_dir);
  }
  return config;
}

std::map<std::string, std::string> ReadProcessEnvironment() {
  std::map<std::string, std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    size_t equals = text.find('=');
    if (equals == std::string_view::npos || text.substr(0, 11) != "SALESRADAR_") {
      continue;
    }
    environment.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return environment;
}

Result<ConfigFileText> ReadConfigFile(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    return InvalidArgument(
               fmt::format("配置文件 {} 是一个目录；请给出 TOML 文件的路径", path),
               fmt::format("config file {} is a directory; give the path of a TOML file", path))
        .AddDetail("path", path);
  }

  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int error_number = errno;
    std::string reason = std::strerror(error_number);
    std::string fix_zh = "请检查 --config 或 SALESRADAR_CONFIG 给出的路径";
    std::string fix_en = "check the path given by --config or SALESRADAR_CONFIG";
    Error error(error_number == ENOENT ? ErrorCode::kNotFound : ErrorCode::kUnavailable,
                fmt::format("无法打开配置文件 {}（{}）；{}", path, reason, fix_zh),
                fmt::format("cannot open config file {} ({}); {}", path, reason, fix_en));
    error.AddDetail("path", path);
    return error;
  }

  std::ostringstream content;
  content << in.rdbuf();
  return ConfigFileText{path, content.str()};
}

Result<ConfigSources> GatherConfigSources(std::map<std::string, std::string> flags) {
  ConfigSources sources;
  sources.environment = ReadProcessEnvironment();

  std::string path;
  if (auto it = flags.find("config"); it != flags.end()) {
    path = it->second;
    flags.erase(it);
  } else if (auto env = sources.environment.find("SALESRADAR_CONFIG");
             env != sources.environment.end()) {
    path = env->second;
  }
  sources.flags = std::move(flags);

  if (!path.empty()) {
    SR_ASSIGN_OR_RETURN(sources.file, ReadConfigFile(path));
  }
  return sources;
}

}  // namespace salesradar::server
