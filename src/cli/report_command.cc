// `salesradar report pipeline`: the pipeline report over the opportunities in the database.
#include <filesystem>
#include <iostream>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "common/clock.h"
#include "common/logging.h"
#include "common/result.h"
#include "model/entity.h"
#include "report/pipeline.h"
#include "report/pipeline_arguments.h"
#include "report/pipeline_json.h"
#include "report/pipeline_loader.h"
#include "report/pipeline_text.h"
#include "store/store.h"

namespace salesradar::cli {
namespace {

// The flags of `report pipeline` as typed; checked by ResolveOptions so that every error
// comes in both languages.
struct PipelineFlags {
  std::string as_of;  // empty: today in the report time zone
  std::string by = "none";
  std::string stale_days = "90";
  std::string max_discount = "15";
  std::string top = "10";
  bool json = false;
};

Result<report::PipelineOptions> ResolveOptions(const PipelineFlags& flags, const Clock& clock) {
  report::PipelineOptions options;
  if (flags.as_of.empty()) {
    options.as_of = report::DateIn(clock.Now(), report::kReportTimeZone);
  } else {
    SR_ASSIGN_OR_RETURN(options.as_of, report::ParseAsOfDate(flags.as_of));
  }
  options.as_of_end = report::EndOfDay(options.as_of, report::kReportTimeZone);

  Result<report::GroupBy> group_by = report::ParseGroupBy(flags.by);
  if (!group_by.ok()) {
    return std::move(group_by).error().Wrap("--by", "--by");
  }
  options.group_by = *group_by;
  SR_ASSIGN_OR_RETURN(options.stale_days, report::ParseStaleDays(flags.stale_days));
  SR_ASSIGN_OR_RETURN(options.max_discount_basis_points,
                      report::ParseMaxDiscount(flags.max_discount));
  return options;
}

Error ImportFirst(const std::string& database, std::string_view problem_zh,
                  std::string_view problem_en) {
  return Error(ErrorCode::kFailedPrecondition,
               "数据库 '" + database + "' " + std::string(problem_zh) +
                   "；请先运行 salesradar import --mapping 映射文件.yaml 数据文件.csv 导入商机",
               "database '" + database + "' " + std::string(problem_en) +
                   "; run `salesradar import --mapping MAPPING.yaml FILE.csv` first to import "
                   "opportunities");
}

// Rejects a database file that does not exist, because Store::Open would create an empty one.
// URLs of other backends and ":memory:" pass unchecked.
Status CheckDatabaseFileExists(const std::string& database) {
  std::string_view path = database;
  for (std::string_view prefix : {"sqlite://", "sqlite:"}) {
    if (path.substr(0, prefix.size()) == prefix) {
      path.remove_prefix(prefix.size());
      break;
    }
  }
  if (path == ":memory:" || path.find("://") != std::string_view::npos) {
    return OkStatus();
  }

  std::error_code error;
  if (!std::filesystem::exists(std::filesystem::path(path), error)) {
    return ImportFirst(database, "不存在", "does not exist");
  }
  return OkStatus();
}

Result<std::string> RunPipelineReport(const GlobalOptions& global, const PipelineFlags& flags) {
  SystemClock clock;
  SR_ASSIGN_OR_RETURN(report::PipelineOptions options, ResolveOptions(flags, clock));
  SR_ASSIGN_OR_RETURN(int64_t listed_deals, report::ParseListedDeals(flags.top));
  SR_RETURN_IF_ERROR(CheckDatabaseFileExists(global.database));

  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db, store::Open(global.database));
  SR_ASSIGN_OR_RETURN(int64_t count, db->Count(model::EntityKind::kOpportunity));
  if (count == 0) {
    return ImportFirst(global.database, "中没有商机", "contains no opportunities");
  }

  SR_ASSIGN_OR_RETURN(report::PipelineReport pipeline, report::LoadPipelineReport(*db, options));
  Logger("report")->debug("pipeline report: {} opportunities read, {} excluded by --as-of {}",
                          pipeline.opportunities_read, pipeline.excluded_engaged_after_as_of,
                          flags.as_of.empty() ? "today" : flags.as_of);

  if (flags.json) {
    return report::RenderPipelineJson(pipeline, global.locale);
  }
  report::TextOptions text_options;
  text_options.locale = global.locale;
  text_options.max_listed_deals = static_cast<size_t>(listed_deals);
  return report::RenderPipelineText(pipeline, text_options);
}

int PrintError(const Error& error, Locale locale) {
  std::cerr << (locale == Locale::kEnglish ? "error: " : "错误：") << error.message(locale)
            << "\n";
  Logger("report")->debug("report pipeline failed: {}", error.ToLogString());
  return error.code() == ErrorCode::kInvalidArgument ? 2 : 1;
}

}  // namespace

void AddReportCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* report_app = app.add_subcommand("report", "Print a report (报表)");
  report_app->require_subcommand(1);

  auto flags = std::make_shared<PipelineFlags>();
  CLI::App* pipeline = report_app->add_subcommand(
      "pipeline", "Pipeline report: deals and amounts per stage, win rate, days to close, "
                  "stale deals, deals won below list price (销售管道报告)");
  pipeline->add_option("--as-of", flags->as_of,
                       "Report date YYYY-MM-DD; deals engaged later are left out "
                       "(default: today in Asia/Shanghai)");
  pipeline->add_option("--by", flags->by, "Group rows by team, region, rep or product");
  pipeline->add_option("--stale-days", flags->stale_days,
                       "An open deal engaged more than this many days before the report date "
                       "is stale (default 90)");
  pipeline->add_option("--max-discount", flags->max_discount,
                       "Flag won deals more than this percentage below list price (default 15)");
  pipeline->add_option("--top", flags->top,
                       "Deals listed in the stale and discount lists of the table output; "
                       "0 hides the lists (default 10)");
  pipeline->add_flag("--json", flags->json, "Print JSON instead of a table");

  pipeline->callback([&global, flags, exit_code] {
    Result<std::string> output = RunPipelineReport(global, *flags);
    if (!output.ok()) {
      *exit_code = PrintError(output.error(), global.locale);
      return;
    }
    std::cout << *output;
    std::cout.flush();
    *exit_code = std::cout ? 0 : 1;
  });
}

}  // namespace salesradar::cli
