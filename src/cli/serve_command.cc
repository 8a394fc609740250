// `salesradar serve`: runs the HTTP API and the web UI until SIGTERM or SIGINT.
//
// Settings come from flags, SALESRADAR_* environment variables and a TOML file, in that order
// of precedence (server/config.h). Only the flags given on the command line are passed on, so
// that a flag's default never hides the environment or the file.
#include <iostream>
#include <map>
#include <string>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "api/api_context.h"
#include "api/app.h"
#include "cli/commands.h"
#include "common/logging.h"
#include "server/config.h"
#include "server/http_server.h"
#include "server/signals.h"

namespace salesradar::cli {
namespace {

constexpr int kExitFailure = 1;

// The serve flags as CLI11 fills them. Each is passed on only when given.
struct ServeFlags {
  std::string listen;
  std::string data_dir;
  std::string database;
  std::string config;
  std::string threads;
  std::string log_level;
  std::string web_root;
  std::string notify_digest_weekday;
  std::string notify_digest_hour;
  std::string notify_digest_time_zone;
  std::string node_id;
  std::string cluster_partitions;
  std::string cluster_lease_seconds;
};

int PrintStartupError(const Error& error, Locale locale) {
  std::cerr << (locale == Locale::kEnglish ? "error: salesradar serve could not start: "
                                           : "错误：salesradar serve 无法启动：")
            << error.message(locale) << "\n";
  return kExitFailure;
}

// Returns `database` with the password of a URL replaced by "***", for logs.
std::string MaskDatabasePassword(const std::string& database) {
  std::string masked = database;
  size_t scheme = masked.find("://");
  if (scheme != std::string::npos) {
    size_t authority = scheme + 3;
    size_t at = masked.find('@', authority);
    size_t slash = masked.find('/', authority);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      size_t colon = masked.find(':', authority);
      if (colon != std::string::npos && colon < at) {
        masked.replace(colon + 1, at - colon - 1, "***");
      }
    }
  }
  size_t parameter = masked.find("password=");
  if (parameter != std::string::npos) {
    size_t value = parameter + std::string_view("password=").size();
    size_t end = masked.find_first_of("& ", value);
    masked.replace(value, (end == std::string::npos ? masked.size() : end) - value, "***");
  }
  return masked;
}

int RunServe(const std::map<std::string, std::string>& flags, const std::string& web_root,
             Locale locale) {
  Result<server::ConfigSources> sources = server::GatherConfigSources(flags);
  if (!sources.ok()) {
    return PrintStartupError(sources.error(), locale);
  }
  Result<server::ServerConfig> config = server::LoadServerConfig(*sources);
  if (!config.ok()) {
    return PrintStartupError(config.error(), locale);
  }
  if (config->database.empty()) {
    config->database = server::DefaultDatabasePath(config->data_dir);
  }
  InitLogging(config->log_level);

  auto log = Logger("serve");
  log->info("starting: listen {}, data dir {}, database {}, {} threads",
            config->listen.ToString(), config->data_dir, MaskDatabasePassword(config->database),
            config->threads);

  api::AppOptions options;
  options.web_root = web_root;
  Result<std::unique_ptr<api::App>> app = api::App::Start(*config, options);
  if (!app.ok()) {
    log->error("startup failed: {}", app.error().ToLogString());
    return PrintStartupError(app.error(), locale);
  }
  log->info("ready on {}", (*app)->context().public_base_url);

  int signal = server::RunUntilStopSignal((*app)->server());
  (*app)->Stop();
  log->info("stopped after signal {}", signal);
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* serve = app.add_subcommand(
      "serve", "Run the HTTP API and web UI until SIGTERM or SIGINT (运行服务)");
  auto flags = std::make_shared<ServeFlags>();

  struct FlagSpec {
    const char* name;  // the setting's flag name, without dashes
    std::string* value;
    const char* help;
  };
  const FlagSpec specs[] = {
      {"listen", &flags->listen, "IP address and port, host:port (default 127.0.0.1:8080)"},
      {"data-dir", &flags->data_dir, "Directory for the database and uploads (default data)"},
      {"database", &flags->database,
       "SQLite file or postgresql:// URL (default <data-dir>/salesradar.db)"},
      {"config", &flags->config, "TOML configuration file (env SALESRADAR_CONFIG)"},
      {"threads", &flags->threads, "I/O threads that run the request handlers (default 2)"},
      {"log-level", &flags->log_level, "trace, debug, info, warn, error or off (default info)"},
      {"notify-digest-weekday", &flags->notify_digest_weekday,
       "Weekday of the weekly digest, 1 Monday to 7 Sunday (default 1)"},
      {"notify-digest-hour", &flags->notify_digest_hour, "Local hour of the weekly digest, 0 to 23 (default 9)"},
      {"notify-digest-time-zone", &flags->notify_digest_time_zone,
       "IANA time zone of the weekly digest (default Asia/Shanghai)"},
      {"node-id", &flags->node_id, "This node's name in a cluster on PostgreSQL (default <hostname>-<pid>)"},
      {"cluster-partitions", &flags->cluster_partitions,
       "Partitions of a new cluster on PostgreSQL, 1 to 1024 (default 8)"},
      {"cluster-lease-seconds", &flags->cluster_lease_seconds,
       "Seconds a node's partition leases last without renewal (default 15)"},
  };
  auto given = std::make_shared<std::vector<std::pair<std::string, CLI::Option*>>>();
  for (const FlagSpec& spec : specs) {
    CLI::Option* option = serve->add_option(std::string("--") + spec.name, *spec.value, spec.help);
    given->emplace_back(spec.name, option);
  }
  serve->add_option("--web-root", flags->web_root,
                    "Directory of the built web UI, such as web/dist; without it only the API "
                    "is served");

  serve->callback([&app, &global, flags, given, exit_code] {
    std::map<std::string, std::string> config_flags;
    // The root options --database and --log-level count as the serve flags of the same name.
    for (const char* root_flag : {"database", "log-level"}) {
      CLI::Option* root_option = app.get_option_no_throw(std::string("--") + root_flag);
      if (root_option != nullptr && root_option->count() > 0) {
        config_flags[root_flag] = root_option->as<std::string>();
      }
    }
    for (const auto& [name, option] : *given) {
      if (option->count() > 0) {
        config_flags[name] = option->as<std::string>();
      }
    }
    *exit_code = RunServe(config_flags, flags->web_root, global.locale);
  });
}

}  // namespace salesradar::cli
