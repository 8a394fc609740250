// `salesradar migrate --from data.db --to postgresql://...`: copies an SQLite installation into
// an empty PostgreSQL database (cli/migrate_copy.h). Progress per table goes to standard error,
// the summary to standard output. Exit status 0 on success, 1 when the copy failed (the target
// is then left empty), 2 for bad usage.
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/migrate_copy.h"
#include "store/postgres/pg_url.h"

namespace salesradar::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct MigrateArguments {
  std::string from;
  std::string to;
  bool migrate_source = false;
};

double RowsPerSecond(int64_t rows, double seconds) {
  return seconds > 0 ? static_cast<double>(rows) / seconds : 0.0;
}

void PrintTableCopied(const migrate::TableCopied& table, bool english) {
  double rate = RowsPerSecond(table.rows, table.seconds);
  if (english) {
    std::cerr << fmt::format("{:<26} {:>10} rows  {:>8.2f} s  {:>10.0f} rows/s\n", table.table,
                             table.rows, table.seconds, rate);
  } else {
    std::cerr << fmt::format("{:<26} {:>10} 行  {:>8.2f} 秒  {:>10.0f} 行/秒\n", table.table,
                             table.rows, table.seconds, rate);
  }
}

int RunMigrate(const GlobalOptions& global, const MigrateArguments& arguments) {
  Locale locale = global.locale;
  bool english = locale == Locale::kEnglish;

  if (!store::postgres::IsPostgresUrl(arguments.to)) {
    std::cerr << (english ? "error: --to must be a postgresql:// URL\n"
                          : "错误：--to 必须是 postgresql:// 地址\n");
    return kExitUsage;
  }

  migrate::MigrateOptions options;
  options.source_path = arguments.from;
  options.target_url = arguments.to;
  options.migrate_source = arguments.migrate_source;
  options.on_table_copied = [english](const migrate::TableCopied& table) {
    PrintTableCopied(table, english);
  };

  Result<migrate::MigrateSummary> summary = migrate::CopySqliteToPostgres(options);
  if (!summary.ok()) {
    std::cerr << (english ? "error: " : "错误：") << summary.error().message(locale) << "\n";
    std::cerr << (english ? "nothing was written to the target\n" : "目标数据库未写入任何数据\n");
    return kExitFailure;
  }

  double rate = RowsPerSecond(summary->rows, summary->seconds);
  if (english) {
    std::cout << fmt::format(
        "copied {} rows in {} tables in {:.1f} s ({:.0f} rows/s), schema version {}\n"
        "check the copy with: salesradar --database <the --to URL> audit verify\n",
        summary->rows, summary->tables.size(), summary->seconds, rate, summary->schema_version);
  } else {
    std::cout << fmt::format(
        "已复制 {} 张表共 {} 行，用时 {:.1f} 秒（{:.0f} 行/秒），结构版本 {}\n"
        "可用以下命令检查副本：salesradar --database <--to 的地址> audit verify\n",
        summary->tables.size(), summary->rows, summary->seconds, rate, summary->schema_version);
  }
  return 0;
}

}  // namespace

void AddMigrateCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto arguments = std::make_shared<MigrateArguments>();
  CLI::App* migrate = app.add_subcommand(
      "migrate", "Copy an SQLite database into an empty PostgreSQL database (迁移到 PostgreSQL)");
  migrate->add_option("--from", arguments->from, "SQLite database file to copy")->required();
  migrate->add_option("--to", arguments->to, "postgresql:// URL of an empty target database")
      ->required();
  migrate->add_flag("--migrate-source", arguments->migrate_source,
                    "Upgrade an older source file in place to this binary's schema first");
  migrate->callback([&global, exit_code, arguments] {
    *exit_code = RunMigrate(global, *arguments);
  });
}

}  // namespace salesradar::cli
