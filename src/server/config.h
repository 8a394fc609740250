// Server configuration: the settings, their defaults, and the loader that merges command-line
// flags, environment variables and a TOML file. A flag wins over the environment, the
// environment over the file, and the file over the default. docs/configuration.md lists every
// setting.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace salesradar::server {

// An IP address and TCP port to listen on. With port 0 the system picks a free port.
struct ListenAddress {
  std::string host = "127.0.0.1";  // an IPv4 or IPv6 address literal, without brackets
  uint16_t port = 8080;

  // Returns "127.0.0.1:8080" or "[::1]:8080".
  std::string ToString() const;
};

struct ServerConfig {
  ListenAddress listen;
  int threads = 2;                         // I/O threads; handlers run on them
  int max_connections = 1024;              // open connections; more are closed at once
  uint64_t max_body_bytes = 8 << 20;       // larger request bodies get 413
  uint64_t max_header_bytes = 16 << 10;    // larger request headers get 431
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};      // keep-alive wait
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};   // to read one request
  std::chrono::milliseconds response_timeout{std::chrono::seconds(30)};  // to write one response
  std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(10)};  // grace on stop

  // Sign-in cookies carry the Secure attribute, so browsers send them over HTTPS only. Turn on
  // when the server runs behind an HTTPS proxy.
  bool secure_cookies = false;

  std::string data_dir = "data";
  std::string database;  // SQLite file or postgresql:// URL; the loader fills in the default

  std::string log_level = "info";

  size_t intake_queue_size = 10000;  // events waiting for commit before POST /events gets 429

  std::chrono::milliseconds stream_heartbeat_interval{std::chrono::seconds(15)};
  size_t stream_queue_size = 256;  // events per live-stream client before it is dropped

  // The weekly notification digest, unless an admin has set other values at run time.
  int notify_digest_weekday = 1;  // ISO: 1 Monday ... 7 Sunday
  int notify_digest_hour = 9;     // local hour, 0..23
  std::string notify_digest_time_zone = "Asia/Shanghai";

  // A cluster of nodes on one PostgreSQL database (docs/cluster-design-notes.md).
  std::string cluster_node_id;             // empty: "<hostname>-<pid>"
  int cluster_partitions = 8;              // used by the first node only; later nodes read it back
  std::chrono::seconds cluster_lease{15};  // lease time of a node's partitions
};

// Returns the database used when none is configured: "<data_dir>/salesradar.db".
std::string DefaultDatabasePath(const std::string& data_dir);

// One setting as the three sources name it, for help texts, docs and error messages.
struct ConfigSetting {
  std::string_view key;   // in the TOML file: "server.listen" is `listen` under [server]
  std::string_view env;   // environment variable, for example "SALESRADAR_LISTEN"
  std::string_view flag;  // command-line flag without the dashes, for example "listen"
  std::string_view help;  // English help text with the unit and the default
};

// Returns every setting in documentation order.
const std::vector<ConfigSetting>& ConfigSettings();

// A configuration file's name (used in error messages as name:line) and its text.
struct ConfigFileText {
  std::string path;
  std::string content;
};

// The three sources of settings, as plain data so that tests need no real environment or files.
struct ConfigSources {
  // Flags given on the command line, by name without dashes ("listen" for --listen). Only flags
  // the user gave belong here, or their defaults would hide the environment and the file.
  std::map<std::string, std::string> flags;
  // Environment variables by name; variables that are no setting are ignored, and an empty value
  // counts as unset.
  std::map<std::string, std::string> environment;
  std::optional<ConfigFileText> file;
};

// Builds the configuration from the defaults, then the file, the environment and the flags, each
// overriding the one before. Every value of every source is checked, also one that a later
// source overrides. Returns kInvalidArgument for the first bad value: an unknown key, a value of
// the wrong type or out of range, or a TOML syntax error. The message names the key, the source
// (file:line, environment variable or flag) and the fix.
Result<ServerConfig> LoadServerConfig(const ConfigSources& sources);

// Returns the process's environment variables whose names start with "SALESRADAR_".
std::map<std::string, std::string> ReadProcessEnvironment();

// Reads the configuration file at `path`. Returns kNotFound when it does not exist and
// kUnavailable when it cannot be read.
Result<ConfigFileText> ReadConfigFile(const std::string& path);

// Collects the sources for a server started with `flags`: the SALESRADAR_* environment and the
// file named by the flag "config", else by SALESRADAR_CONFIG; no file when neither is set. The
// "config" flag itself is removed from the returned flags.
Result<ConfigSources> GatherConfigSources(std::map<std::string, std::string> flags);

}  // namespace salesradar::server
