// Subcommands of the `salesradar` binary. Each Add*Command registers one subcommand on the
// root app. When that subcommand is chosen, its callback runs the command and stores the
// process exit code in `*exit_code`: 0 success, 1 failure, 2 bad usage or bad input.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "common/locale.h"

namespace salesradar::cli {

// Options shared by every subcommand, filled in before any subcommand callback runs.
struct GlobalOptions {
  std::string database = "salesradar.db";  // SQLite file path or postgresql:// URL
  std::string log_level = "warn";
  std::string lang;                        // "zh-CN" or "en"; empty means from the environment
  Locale locale = Locale::kChinese;        // resolved from `lang` before callbacks run
};

void AddAdminCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddAuditCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddImportCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddReportCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddRulesCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddEventsCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddBacktestCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddServeCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddMigrateCommand(CLI::App& app, GlobalOptions& global, int* exit_code);

}  // namespace salesradar::cli
