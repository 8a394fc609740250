// The only file that wires the subcommands together.
#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "common/locale.h"
#include "common/logging.h"

int main(int argc, char** argv) {
  using salesradar::Locale;

  CLI::App app("SalesRadar (销售雷达): watches a B2B sales process and raises alerts early");
  app.require_subcommand(1);
  app.set_version_flag("--version", "salesradar 0.1.0");

  salesradar::cli::GlobalOptions global;
  if (const char* database = std::getenv("SALESRADAR_DATABASE")) {
    global.database = database;
  }
  app.add_option("--database,-d", global.database,
                 "SQLite file path or postgresql:// URL (env SALESRADAR_DATABASE)")
      ->capture_default_str();
  app.add_option("--log-level", global.log_level, "trace, debug, info, warn, error or off")
      ->capture_default_str();
  app.add_option("--lang", global.lang, "Output language: zh-CN (default) or en")
      ->check(CLI::IsMember({"zh-CN", "zh", "en"}));

  // Resolve shared options once, before the chosen subcommand's callback runs.
  app.parse_complete_callback([&global] {
    if (global.lang.empty()) {
      global.locale = salesradar::LocaleFromEnvironment();
    } else {
      global.locale = global.lang == "en" ? Locale::kEnglish : Locale::kChinese;
    }
    salesradar::InitLogging(global.log_level);
  });

  int exit_code = 0;
  salesradar::cli::AddAdminCommand(app, global, &exit_code);
  salesradar::cli::AddAuditCommand(app, global, &exit_code);
  salesradar::cli::AddImportCommand(app, global, &exit_code);
  salesradar::cli::AddReportCommand(app, global, &exit_code);
  salesradar::cli::AddRulesCommand(app, global, &exit_code);
  salesradar::cli::AddEventsCommand(app, global, &exit_code);
  salesradar::cli::AddBacktestCommand(app, global, &exit_code);
  salesradar::cli::AddServeCommand(app, global, &exit_code);
  salesradar::cli::AddMigrateCommand(app, global, &exit_code);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message; --help and --version end with 0, every usage error with 2,
    // the exit code the subcommands use for bad input.
    int cli_code = app.exit(e);
    return cli_code == 0 ? 0 : 2;
  }
  return exit_code;
}
