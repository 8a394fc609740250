// The import benchmark: generates opportunity rows, imports them with `salesradar import`, then
// writes the same rows to SQLite with a plain insert loop, and prints both rates and their ratio.
//
//   ingest_bench --salesradar build/src/cli/salesradar --mappings examples/mappings
//                [--rows 1000000] [--work-dir bench/out/ingest] [--check]
//
// With --check, the exit status is 1 unless every generated row arrived in the database, so
// that a small run can serve as a test.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <sqlite3.h>
#include <sys/resource.h>

#include "bench/ingest/pipeline_generator.h"
#include "bench/ingest/raw_insert.h"

namespace fs = std::filesystem;

namespace {

using salesradar::Result;

struct BenchOptions {
  std::string salesradar;
  std::string mappings;
  std::string work_dir = "bench/out/ingest";
  int64_t rows = 1'000'000;
  bool check = false;
};

std::string ShellQuote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Timing {
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // user plus system CPU time
};

// Runs `salesradar --database DB import --mapping MAPPING FILE` with its output in `log` and
// returns its wall-clock and CPU time, or nullopt when it failed.
std::optional<Timing> RunImport(const BenchOptions& options, const fs::path& database,
                                const std::string& mapping, const fs::path& file,
                                const fs::path& log) {
  std::string command = ShellQuote(options.salesradar) + " --database " +
                        ShellQuote(database.string()) + " import --mapping " +
                        ShellQuote((fs::path(options.mappings) / mapping).string()) + " " +
                        ShellQuote(file.string()) + " >>" + ShellQuote(log.string()) + " 2>&1";
  auto start = std::chrono::steady_clock::now();
  double cpu_start = salesradar::bench::CpuSeconds(RUSAGE_CHILDREN);
  int status = std::system(command.c_str());
  Timing timing{SecondsSince(start), salesradar::bench::CpuSeconds(RUSAGE_CHILDREN) - cpu_start};
  if (status != 0) {
    std::cerr << "ingest_bench: `salesradar import` failed for " << file << " (exit status "
              << status << "); see " << log << "\n";
    return std::nullopt;
  }
  return timing;
}

// Returns the number of rows in `table`, or -1 when the query fails.
int64_t CountRows(const fs::path& database, const char* table) {
  sqlite3* db = nullptr;
  int64_t count = -1;
  if (sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    std::string sql = std::string("SELECT count(*) FROM ") + table;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
        sqlite3_step(statement) == SQLITE_ROW) {
      count = sqlite3_column_int64(statement, 0);
    }
    sqlite3_finalize(statement);
  }
  sqlite3_close(db);
  return count;
}

double Rate(int64_t rows, double seconds) {
  return seconds > 0 ? static_cast<double>(rows) / seconds : 0;
}

int RunBenchmark(const BenchOptions& options) {
  fs::path work = options.work_dir;
  fs::path data = work / "data";
  fs::path database = work / "import.db";
  fs::path log = work / "import.log";
  fs::create_directories(work);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(database.string() + suffix);
  }
  fs::remove(log);

  fmt::print("import benchmark: {} generated opportunity rows in {}\n", options.rows,
             data.string());

  auto start = std::chrono::steady_clock::now();
  salesradar::bench::GeneratorOptions generator;
  generator.opportunities = options.rows;
  Result<salesradar::bench::GeneratedCounts> counts =
      salesradar::bench::GeneratePipelineFiles(data, generator);
  if (!counts.ok()) {
    std::cerr << "ingest_bench: " << counts.error().message_en() << "\n";
    return 1;
  }
  fmt::print("  generate CSV files        {:8.2f} s\n", SecondsSince(start));

  // The reference files are imported first and not counted: the benchmark is about the
  // opportunity rows.
  double reference_seconds = 0;
  for (auto [mapping, file] : {std::pair{"accounts.yaml", "accounts.csv"},
                               std::pair{"products.yaml", "products.csv"},
                               std::pair{"sales_teams.yaml", "sales_teams.csv"}}) {
    std::optional<Timing> timing = RunImport(options, database, mapping, data / file, log);
    if (!timing) {
      return 1;
    }
    reference_seconds += timing->seconds;
  }
  fmt::print("  import reference files    {:8.2f} s (accounts, products, teams; not counted)\n",
             reference_seconds);

  std::optional<Timing> import =
      RunImport(options, database, "sales_pipeline.yaml", data / "sales_pipeline.csv", log);
  if (!import) {
    return 1;
  }
  int64_t imported = CountRows(database, "opportunities");
  double import_rate = Rate(options.rows, import->seconds);
  fmt::print("  salesradar import         {:8.2f} s {:>10.0f} rows/s   CPU {:7.2f} s\n",
             import->seconds, import_rate, import->cpu_seconds);

  Result<salesradar::bench::RawInsertResult> raw =
      salesradar::bench::RunRawInsert(data, work / "raw.db");
  if (!raw.ok()) {
    std::cerr << "ingest_bench: " << raw.error().message_en() << "\n";
    return 1;
  }
  double raw_rate = Rate(raw->rows, raw->seconds);
  fmt::print("  raw SQLite insert loop    {:8.2f} s {:>10.0f} rows/s   CPU {:7.2f} s\n",
             raw->seconds, raw_rate, raw->cpu_seconds);

  // The wall-clock ratio is the goal's measure; the CPU ratio is steadier on a shared machine.
  double ratio = raw_rate > 0 && import_rate > 0 ? raw_rate / import_rate : 0;
  double cpu_ratio = raw->cpu_seconds > 0 ? import->cpu_seconds / raw->cpu_seconds : 0;
  fmt::print("  import time / raw time    {:8.2f}x wall clock, {:.2f}x CPU (goal: at most 3x)\n",
             ratio, cpu_ratio);
  fmt::print("  rows stored by the import {:>8}\n", imported);

  if (options.check && imported != options.rows) {
    std::cerr << "ingest_bench: expected " << options.rows << " opportunities in " << database
              << ", found " << imported << "; see " << log << "\n";
    return 1;
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Import benchmark: salesradar import against a raw SQLite insert loop");
  BenchOptions options;
  app.add_option("--salesradar", options.salesradar, "Path of the salesradar binary")
      ->required()
      ->check(CLI::ExistingFile);
  app.add_option("--mappings", options.mappings, "Folder of the sample's mapping files")
      ->required()
      ->check(CLI::ExistingDirectory);
  app.add_option("--rows", options.rows, "Opportunity rows to generate")
      ->capture_default_str()
      ->check(CLI::Range(int64_t{1}, int64_t{100'000'000}));
  app.add_option("--work-dir", options.work_dir, "Folder for the generated files and databases")
      ->capture_default_str();
  app.add_flag("--check", options.check, "Exit 1 unless every row was imported");
  CLI11_PARSE(app, argc, argv);

  return RunBenchmark(options);
}
