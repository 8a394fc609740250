// `salesradar import`: imports CSV files into the database, driven by mapping files.
//
//   salesradar import --mapping MAPPING.yaml FILE...          one mapping for every file
//   salesradar import --mapping A.yaml A.csv --mapping B.yaml B.csv   pairs, in order
//   salesradar import --mapping A.yaml --mapping B.yaml       each mapping's own `source:`
//
// Files are imported in the order given, so list referenced data (teams, accounts, products)
// before the rows that refer to it. Exit status: 0 when every row was imported, 1 when some
// rows were rejected or the import failed, 2 for usage, mapping and file format errors.
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "common/clock.h"
#include "common/logging.h"
#include "common/result.h"
#include "ingest/importer.h"
#include "ingest/mapping.h"
#include "ingest/progress.h"
#include "ingest/row_converter.h"
#include "ingest/summary_text.h"
#include "store/store.h"

namespace salesradar::cli {
namespace {

constexpr int kExitRejectedRows = 1;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct ImportFlags {
  std::vector<std::string> mappings;
  std::vector<std::string> files;
  size_t batch_size = 5000;
  std::string encoding;  // empty: the mapping's csv.encoding, else auto
  bool dry_run = false;
  size_t max_errors = 100;
};

// Prints rejected rows to stderr as they come, at most `max_errors` of them (0: all), and
// draws the progress line when stderr is a terminal.
class TerminalObserver final : public ingest::ImportObserver {
 public:
  TerminalObserver(Locale locale, size_t max_errors)
      : locale_(locale),
        max_errors_(max_errors),
        progress_(stderr, ingest::IsTerminal(stderr), locale) {}

  void OnRowError(std::string_view file, const ingest::RowError& error) override {
    ++errors_;
    if (max_errors_ != 0 && errors_ > max_errors_) {
      return;
    }
    progress_.Clear();
    std::fprintf(stderr, "%s\n", ingest::FormatRowError(file, error, locale_).c_str());
  }

  void OnProgress(std::string_view file, int64_t rows, uint64_t bytes_read,
                  uint64_t file_size) override {
    progress_.Update(file, rows, bytes_read, file_size);
  }

  // Clears the progress line and prints how many row errors were not printed.
  void Finish() {
    progress_.Clear();
    if (max_errors_ == 0 || errors_ <= max_errors_) {
      return;
    }
    size_t hidden = errors_ - max_errors_;
    std::fprintf(
        stderr, "%s\n",
        locale_ == Locale::kEnglish
            ? fmt::format("... {} more row errors not shown; pass --max-errors 0 to see "
                          "all",
                          hidden)
                  .c_str()
            : fmt::format("…… 另有 {} 条行错误未显示；用 --max-errors 0 显示全部", hidden).c_str());
  }

 private:
  Locale locale_;
  size_t max_errors_;
  size_t errors_ = 0;
  ingest::ProgressMeter progress_;
};

struct ImportJob {
  const ingest::Mapping* mapping = nullptr;
  std::string file;
};

// Pairs mappings with files as the command's help describes.
Result<std::vector<ImportJob>> PairFiles(const std::vector<ingest::Mapping>& mappings,
                                         const std::vector<std::string>& files) {
  std::vector<ImportJob> jobs;
  if (mappings.size() == 1) {
    for (const std::string& file : files) {
      jobs.push_back({&mappings[0], file});
    }
  } else if (files.size() == mappings.size()) {
    for (size_t i = 0; i < files.size(); ++i) {
      jobs.push_back({&mappings[i], files[i]});
    }
  } else if (!files.empty()) {
    return InvalidArgument(
        fmt::format("给了 {} 个映射和 {} 个文件；多个映射时请给同样多的文件（按顺序配对），"
                    "或者不给文件而在映射中写 source",
                    mappings.size(), files.size()),
        fmt::format("{} mappings but {} files; with several mappings give one file per mapping "
                    "(paired in order), or none and set 'source' in each mapping",
                    mappings.size(), files.size()));
  }
  if (!jobs.empty()) {
    return jobs;
  }

  for (const ingest::Mapping& mapping : mappings) {
    if (mapping.source_file.empty()) {
      return InvalidArgument(
          fmt::format("没有给要导入的文件，映射 '{}' 也没有写 source；请在命令行给出 CSV 文件",
                      mapping.path),
          fmt::format("no file to import: none was given and mapping '{}' has no 'source'; "
                      "name the CSV file on the command line",
                      mapping.path));
    }
    jobs.push_back({&mapping, mapping.source_file});
  }
  return jobs;
}

int PrintError(const Error& error, Locale locale, int exit_code) {
  std::cerr << (locale == Locale::kEnglish ? "error: " : "错误：") << error.message(locale) << "\n";
  Logger("ingest")->debug("import failed: {}", error.ToLogString());
  return exit_code;
}

// Errors of the database are failures (1); errors of the input are usage errors (2).
int ExitCodeOf(const Error& error) {
  switch (error.code()) {
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kNotFound: return kExitUsage;
    default: return kExitFailure;
  }
}

int RunImport(const GlobalOptions& global, const ImportFlags& flags) {
  Locale locale = global.locale;

  if (flags.batch_size == 0) {
    return PrintError(
        InvalidArgument("--batch-size 必须至少为 1", "--batch-size must be at least 1"), locale,
        kExitUsage);
  }
  ingest::ImportOptions options;
  options.batch_size = flags.batch_size;
  options.dry_run = flags.dry_run;
  // The audit rows of this run share one id: the start time and the process id.
  options.job_id =
      fmt::format("import-{}-{}", ToUnixMicros(SystemClock().Now()) / 1'000'000, getpid());
  if (!flags.encoding.empty()) {
    Result<ingest::EncodingChoice> encoding = ingest::ParseEncodingChoice(flags.encoding);
    if (!encoding.ok()) {
      return PrintError(encoding.error(), locale, kExitUsage);
    }
    options.encoding = *encoding;
  }

  std::vector<ingest::Mapping> mappings;
  for (const std::string& path : flags.mappings) {
    Result<ingest::Mapping> mapping = ingest::LoadMapping(path);
    if (!mapping.ok()) {
      return PrintError(mapping.error(), locale, kExitUsage);
    }
    mappings.push_back(std::move(mapping).value());
  }
  Result<std::vector<ImportJob>> jobs = PairFiles(mappings, flags.files);
  if (!jobs.ok()) {
    return PrintError(jobs.error(), locale, kExitUsage);
  }

  Result<std::unique_ptr<store::Store>> db = store::Open(global.database);
  if (!db.ok()) {
    return PrintError(db.error(), locale, kExitFailure);
  }
  store::Store& store = **db;

  // Check every file against its mapping before writing anything.
  TerminalObserver observer(locale, flags.max_errors);
  ingest::Importer importer(store, options, observer);
  std::vector<ingest::PreparedFile> prepared;
  for (const ImportJob& job : *jobs) {
    Result<ingest::PreparedFile> file = importer.Prepare(*job.mapping, job.file);
    if (!file.ok()) {
      return PrintError(file.error(), locale, ExitCodeOf(file.error()));
    }
    prepared.push_back(std::move(file).value());
  }

  if (flags.dry_run) {
    Status begun = store.Begin();
    if (!begun.ok()) {
      return PrintError(begun.error(), locale, kExitFailure);
    }
  }
  std::vector<ingest::TargetSummary> summaries;
  std::optional<Error> failure;
  for (const ingest::PreparedFile& file : prepared) {
    Result<std::vector<ingest::TargetSummary>> result = importer.Run(file);
    if (!result.ok()) {
      failure = result.error();
      break;
    }
    summaries.insert(summaries.end(), result->begin(), result->end());
  }
  if (flags.dry_run && store.InTransaction()) {
    (void)store.Rollback();
  }
  observer.Finish();

  std::cout << ingest::FormatSummary(summaries, locale);
  if (flags.dry_run) {
    std::cout << (locale == Locale::kEnglish ? "dry run: nothing was written\n"
                                             : "试运行：没有写入任何数据\n");
  }
  if (failure.has_value()) {
    Logger("ingest")->error("import stopped: {}", failure->ToLogString());
    return PrintError(*failure, locale, kExitFailure);
  }

  bool any_rejected = false;
  for (const ingest::TargetSummary& summary : summaries) {
    any_rejected = any_rejected || summary.rejected > 0;
  }
  return any_rejected ? kExitRejectedRows : 0;
}

}  // namespace

void AddImportCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto flags = std::make_shared<ImportFlags>();
  CLI::App* command = app.add_subcommand(
      "import",
      "Import CSV files with mapping files (导入). With one --mapping, every FILE uses it; with "
      "several, FILEs pair with them in order, or each mapping imports its own 'source' file. "
      "Exit status: 0 all rows imported, 1 some rows rejected or the import failed, 2 usage or "
      "mapping error");
  command
      ->add_option("--mapping,-m", flags->mappings,
                   "Mapping file (YAML); repeat it to import several files in order")
      ->required()
      ->expected(1)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  command->add_option("files", flags->files, "CSV files to import");
  command
      ->add_option("--batch-size", flags->batch_size,
                   "Rows per transaction; a killed import keeps only whole batches")
      ->capture_default_str();
  command->add_option("--encoding", flags->encoding,
                      "File encoding: auto (detect), utf-8 or gbk (GB18030); overrides the "
                      "mapping's csv.encoding");
  command->add_flag("--dry-run", flags->dry_run,
                    "Check and count every row without writing anything");
  command
      ->add_option("--max-errors", flags->max_errors,
                   "Rejected rows to print; 0 prints all (the counts always include all)")
      ->capture_default_str();

  command->callback([&global, flags, exit_code] { *exit_code = RunImport(global, *flags); });
}

}  // namespace salesradar::cli
