#include "server/config.h"

#include <fstream>
#include <functional>
#include <sstream>

#include <gtest/gtest.h>

namespace salesradar::server {
namespace {

using std::chrono::milliseconds;

ConfigFileText File(std::string content) { return {"salesradar.toml", std::move(content)}; }

std::string ReadSourceFile(const std::string& relative_path) {
  std::ifstream in(std::string(SALESRADAR_SOURCE_DIR) + "/" + relative_path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ConfigTest, DefaultsWithoutSources) {
  Result<ServerConfig> config = LoadServerConfig({});
  ASSERT_TRUE(config.ok()) << config.error().ToLogString();
  EXPECT_EQ(config->listen.ToString(), "127.0.0.1:8080");
  EXPECT_EQ(config->threads, 2);
  EXPECT_EQ(config->data_dir, "data");
  EXPECT_EQ(config->database, "data/salesradar.db");
  EXPECT_EQ(config->log_level, "info");
  EXPECT_EQ(config->max_body_bytes, 8u << 20);
  EXPECT_EQ(config->stream_heartbeat_interval, std::chrono::seconds(15));
}

// Every combination of the three sources setting the same key: the flag wins over the
// environment, the environment over the file, the file over the default.
TEST(ConfigTest, PrecedenceMatrix) {
  for (int mask = 0; mask < 8; ++mask) {
    bool in_file = (mask & 1) != 0;
    bool in_env = (mask & 2) != 0;
    bool in_flag = (mask & 4) != 0;

    ConfigSources sources;
    if (in_file) {
      sources.file = File("[server]\nlisten = \"127.0.0.1:1001\"\n");
    }
    if (in_env) {
      sources.environment["SALESRADAR_LISTEN"] = "127.0.0.1:1002";
    }
    if (in_flag) {
      sources.flags["listen"] = "127.0.0.1:1003";
    }
    int expected = 8080;
    if (in_flag) {
      expected = 1003;
    } else if (in_env) {
      expected = 1002;
    } else if (in_file) {
      expected = 1001;
    }

    Result<ServerConfig> config = LoadServerConfig(sources);
    ASSERT_TRUE(config.ok()) << config.error().ToLogString();
    EXPECT_EQ(config->listen.port, expected)
        << "file=" << in_file << " env=" << in_env << " flag=" << in_flag;
  }
}

// Keys set by different sources combine; each key takes its own highest-precedence value.
TEST(ConfigTest, SourcesCombinePerKey) {
  ConfigSources sources;
  sources.file = File("[server]\nthreads = 3\nlisten = \"127.0.0.1:1\"\n[log]\nlevel = \"warn\"\n");
  sources.environment["SALESRADAR_THREADS"] = "5";
  sources.flags["log-level"] = "error";

  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_TRUE(config.ok()) << config.error().ToLogString();
  EXPECT_EQ(config->listen.port, 1);
  EXPECT_EQ(config->threads, 5);
  EXPECT_EQ(config->log_level, "error");
}

struct Sample {
  std::string toml_literal;  // as written in the file
  std::string text;          // as given in the environment or a flag
  std::function<bool(const ServerConfig&)> applied;
};

std::map<std::string, Sample> SamplesByKey() {
  return {
      {"server.listen", {"\"127.0.0.1:9000\"", "127.0.0.1:9000", [](auto& c) { return c.listen.port == 9000; }}},
      {"server.threads", {"4", "4", [](auto& c) { return c.threads == 4; }}},
      {"server.max_connections", {"10", "10", [](auto& c) { return c.max_connections == 10; }}},
      {"server.max_body_size", {"\"1MiB\"", "1MiB", [](auto& c) { return c.max_body_bytes == 1u << 20; }}},
      {"server.max_header_size", {"4096", "4KiB", [](auto& c) { return c.max_header_bytes == 4096u; }}},
      {"server.idle_timeout", {"\"5s\"", "5s", [](auto& c) { return c.idle_timeout == milliseconds(5000); }}},
      {"server.request_timeout", {"\"6s\"", "6s", [](auto& c) { return c.request_timeout == milliseconds(6000); }}},
      {"server.response_timeout", {"\"7s\"", "7s", [](auto& c) { return c.response_timeout == milliseconds(7000); }}},
      {"server.shutdown_timeout", {"\"8s\"", "8s", [](auto& c) { return c.shutdown_timeout == milliseconds(8000); }}},
      {"server.secure_cookies", {"true", "true", [](auto& c) { return c.secure_cookies; }}},
      {"storage.data_dir", {"\"/srv/radar\"", "/srv/radar", [](auto& c) { return c.data_dir == "/srv/radar"; }}},
      {"storage.database", {"\"/srv/x.db\"", "/srv/x.db", [](auto& c) { return c.database == "/srv/x.db"; }}},
      {"log.level", {"\"debug\"", "debug", [](auto& c) { return c.log_level == "debug"; }}},
      {"intake.queue_size", {"5", "5", [](auto& c) { return c.intake_queue_size == 5u; }}},
      {"stream.heartbeat_interval", {"\"250ms\"", "250ms", [](auto& c) { return c.stream_heartbeat_interval == milliseconds(250); }}},
      {"stream.queue_size", {"3", "3", [](auto& c) { return c.stream_queue_size == 3u; }}},
      {"cluster.node_id", {"\"n1\"", "n1", [](auto& c) { return c.cluster_node_id == "n1"; }}},
      {"cluster.partitions", {"4", "4", [](auto& c) { return c.cluster_partitions == 4; }}},
      {"cluster.lease_seconds", {"2", "2", [](auto& c) { return c.cluster_lease == std::chrono::seconds(2); }}},
      {"notify.digest_weekday", {"5", "5", [](auto& c) { return c.notify_digest_weekday == 5; }}},
      {"notify.digest_hour", {"17", "17", [](auto& c) { return c.notify_digest_hour == 17; }}},
      {"notify.digest_time_zone", {"\"UTC\"", "UTC", [](auto& c) { return c.notify_digest_time_zone == "UTC"; }}},
  };
}

// Every setting can be set from each of the three sources, under its documented name.
TEST(ConfigTest, EverySettingFromEverySource) {
  std::map<std::string, Sample> samples = SamplesByKey();
  ASSERT_EQ(samples.size(), ConfigSettings().size()) << "a setting has no sample in this test";

  for (const ConfigSetting& setting : ConfigSettings()) {
    const Sample& sample = samples.at(std::string(setting.key));
    std::string key(setting.key);
    std::string section = key.substr(0, key.find('.'));
    std::string name = key.substr(key.find('.') + 1);

    ConfigSources from_file;
    from_file.file = File("[" + section + "]\n" + name + " = " + sample.toml_literal + "\n");
    ConfigSources from_env;
    from_env.environment[std::string(setting.env)] = sample.text;
    ConfigSources from_flag;
    from_flag.flags[std::string(setting.flag)] = sample.text;

    for (const ConfigSources* sources : {&from_file, &from_env, &from_flag}) {
      Result<ServerConfig> config = LoadServerConfig(*sources);
      ASSERT_TRUE(config.ok()) << key << ": " << config.error().ToLogString();
      EXPECT_TRUE(sample.applied(*config)) << key;
    }
  }
}

TEST(ConfigTest, DatabaseDefaultsIntoDataDir) {
  ConfigSources sources;
  sources.environment["SALESRADAR_DATA_DIR"] = "/var/lib/salesradar/";
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->database, "/var/lib/salesradar/salesradar.db");
}

TEST(ConfigTest, EmptyEnvironmentValueCountsAsUnset) {
  ConfigSources sources;
  sources.file = File("[server]\nthreads = 3\n");
  sources.environment["SALESRADAR_THREADS"] = "";
  sources.environment["SALESRADAR_UNRELATED"] = "x";
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->threads, 3);
}

TEST(ConfigErrorTest, FileValueOutOfRange) {
  ConfigSources sources;
  sources.file = File("# comment\n[server]\nthreads = 0\n");
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  const Error& error = config.error();
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(error.message_en(),
            "invalid value for server.threads (salesradar.toml:3): 0 is out of range; write a "
            "number from 1 to 1024");
  EXPECT_EQ(error.message_zh(),
            "配置项 server.threads 的值无效（salesradar.toml:3）：0 超出范围；请写 1 到 1024 之间的整数");
  ASSERT_EQ(error.details().size(), 3u);
  EXPECT_EQ(error.details()[1].value, "salesradar.toml:3");
}

TEST(ConfigErrorTest, FileValueOfWrongType) {
  ConfigSources sources;
  sources.file = File("[server]\nthreads = \"4\"\n");
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message_en(),
            "invalid value for server.threads (salesradar.toml:2): expected a whole number without "
            "quotes, such as 2, got a TOML string");

  sources.file = File("[server]\nidle_timeout = 30\n");
  config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message_en(),
            "invalid value for server.idle_timeout (salesradar.toml:2): expected a quoted duration "
            "with a unit, such as \"30s\", got a TOML integer");
}

TEST(ConfigErrorTest, UnknownFileKeyListsKnownKeys) {
  ConfigSources sources;
  sources.file = File("[server]\nthread = 2\n");
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message_en();
  EXPECT_EQ(message.rfind("unknown setting server.thread in salesradar.toml:2; known settings are "
                          "server.listen, server.threads,",
                          0),
            0u)
      << message;
  EXPECT_EQ(message.find("storage."), std::string::npos) << "only keys of [server] are listed";
}

TEST(ConfigErrorTest, TopLevelKeyIsUnknown) {
  ConfigSources sources;
  sources.file = File("listen = \"127.0.0.1:1\"\n");
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message_en().find("unknown setting listen in salesradar.toml:1"),
            std::string::npos);
  EXPECT_NE(config.error().message_en().find("storage.database"), std::string::npos);
}

TEST(ConfigErrorTest, TomlSyntaxErrorHasLineAndColumn) {
  ConfigSources sources;
  sources.file = File("[server]\nthreads = = 2\n");
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  const std::string& message = config.error().message_en();
  EXPECT_EQ(message.rfind("cannot parse config file salesradar.toml:2:", 0), 0u) << message;
  EXPECT_NE(message.find("fix the TOML syntax there"), std::string::npos);
  EXPECT_EQ(config.error().message_zh().rfind("无法解析配置文件 salesradar.toml:2:", 0), 0u);
}

TEST(ConfigErrorTest, EnvironmentValueNamesVariable) {
  ConfigSources sources;
  sources.environment["SALESRADAR_THREADS"] = "abc";
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message_en(),
            "invalid value for server.threads (environment variable SALESRADAR_THREADS): 'abc' is "
            "not a whole number; write a number from 1 to 1024");
  EXPECT_EQ(config.error().message_zh(),
            "配置项 server.threads 的值无效（环境变量 SALESRADAR_THREADS）：“abc” 不是整数；请写 1 到 "
            "1024 之间的整数");
}

TEST(ConfigErrorTest, FlagValueNamesFlag) {
  ConfigSources sources;
  sources.flags["max-body-size"] = "huge";
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message_en().rfind(
                "invalid value for server.max_body_size (flag --max-body-size): 'huge' is not a size",
                0),
            0u)
      << config.error().message_en();
}

TEST(ConfigErrorTest, UnknownFlag) {
  ConfigSources sources;
  sources.flags["nope"] = "1";
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.error().message_en(),
            "unknown flag --nope; run salesradar serve --help for the flags");
}

// A broken value is reported even when a source with higher precedence overrides it, so that a
// bad file does not lie in wait for the day the flag is removed.
TEST(ConfigErrorTest, OverriddenBadValueStillFails) {
  ConfigSources sources;
  sources.file = File("[log]\nlevel = \"loud\"\n");
  sources.flags["log-level"] = "info";
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message_en().find("'loud' is not a log level"), std::string::npos);
}

TEST(ConfigErrorTest, EmptyDataDir) {
  ConfigSources sources;
  sources.flags["data-dir"] = "";
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.error().message_en().find("the data directory is empty"), std::string::npos);
}

TEST(ConfigFileTest, MissingFileIsNotFound) {
  Result<ConfigFileText> file = ReadConfigFile("/nonexistent/salesradar.toml");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(file.error().message_en().find("/nonexistent/salesradar.toml"), std::string::npos);
}

TEST(ConfigFileTest, DirectoryIsRejected) {
  Result<ConfigFileText> file = ReadConfigFile("/tmp");
  ASSERT_FALSE(file.ok());
  EXPECT_EQ(file.error().code(), ErrorCode::kInvalidArgument);
}

TEST(ConfigFileTest, GatherReadsFileNamedByFlag) {
  std::string path = ::testing::TempDir() + "/gather_test.toml";
  std::ofstream(path) << "[server]\nthreads = 7\n";

  Result<ConfigSources> sources = GatherConfigSources({{"config", path}, {"listen", "127.0.0.1:5"}});
  ASSERT_TRUE(sources.ok()) << sources.error().ToLogString();
  ASSERT_TRUE(sources->file.has_value());
  EXPECT_EQ(sources->file->path, path);
  EXPECT_EQ(sources->flags.count("config"), 0u);

  Result<ServerConfig> config = LoadServerConfig(*sources);
  ASSERT_TRUE(config.ok()) << config.error().ToLogString();
  EXPECT_EQ(config->threads, 7);
  EXPECT_EQ(config->listen.port, 5);
}

// The shipped example must load, so that copying it is a safe start.
TEST(ConfigFileTest, ExampleFileLoads) {
  ConfigSources sources;
  sources.file = ConfigFileText{"examples/salesradar.toml", ReadSourceFile("examples/salesradar.toml")};
  ASSERT_FALSE(sources.file->content.empty());
  Result<ServerConfig> config = LoadServerConfig(sources);
  ASSERT_TRUE(config.ok()) << config.error().ToLogString();
}

// Each setting's key, variable and flag appear in the docs of both languages and in the example.
TEST(ConfigFileTest, EverySettingIsDocumented) {
  std::string english = ReadSourceFile("docs/configuration.md");
  std::string chinese = ReadSourceFile("docs/configuration.zh-CN.md");
  std::string example = ReadSourceFile("examples/salesradar.toml");

  for (const ConfigSetting& setting : ConfigSettings()) {
    std::string key(setting.key);
    std::string name = key.substr(key.find('.') + 1);
    for (const std::string* doc : {&english, &chinese}) {
      EXPECT_NE(doc->find("`" + key + "`"), std::string::npos) << key;
      EXPECT_NE(doc->find(std::string(setting.env)), std::string::npos) << setting.env;
      EXPECT_NE(doc->find("--" + std::string(setting.flag)), std::string::npos) << setting.flag;
    }
    EXPECT_NE(example.find(name + " = "), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace salesradar::server
