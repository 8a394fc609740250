// `salesradar backtest --rules PACK.yaml`: what a rule pack would have flagged on the stored
// event log, per rule by ISO week, team and level, and how flagged subjects ended.
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "api/backtest_run.h"
#include "cli/commands.h"
#include "cli/rules_support.h"
#include "common/logging.h"
#include "report/table.h"
#include "rules/problem.h"

namespace salesradar::cli {

// The replay itself is shared with the server (api/backtest_run.h).
using api::BacktestOptions;
using api::BacktestResult;
using api::BacktestToJson;
using api::kDefaultOutcomes;
using api::OutcomeGroup;
using api::OutcomeLabel;
using api::ParseOutcome;
using api::RuleBacktest;
using api::RunBacktest;

namespace {

struct BacktestFlags {
  std::string rules_file;
  std::string from;
  std::string to;
  std::string calendar_dir = DefaultCalendarDir();
  std::vector<std::string> outcomes;
  bool json = false;
};

std::string Rate(int64_t part, int64_t whole) {
  if (whole == 0) return "-";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

// Renders a two-column table of counts under `key_header`.
std::string CountTable(const std::string& key_header, const std::string& count_header,
                       const std::map<std::string, int64_t>& counts, const std::string& empty_key) {
  report::Table table({{key_header}, {count_header, report::Align::kRight}});
  for (const auto& [key, count] : counts) table.AddRow({key.empty() ? empty_key : key, std::to_string(count)});
  return table.Render();
}

std::string OutcomeTable(const BacktestResult& result, const RuleBacktest& rule, bool english) {
  std::vector<report::Column> columns = {{english ? "subjects" : "对象"}, {english ? "count" : "数量", report::Align::kRight}};
  for (const std::string& label : result.outcome_labels) columns.push_back({label, report::Align::kRight});
  const std::string& success = result.outcome_labels.front();
  columns.push_back({(english ? "rate " : "比率 ") + success, report::Align::kRight});

  report::Table table(std::move(columns));
  auto add = [&](const std::string& name, const OutcomeGroup& group) {
    std::vector<std::string> cells = {name, std::to_string(group.subjects)};
    for (const std::string& label : result.outcome_labels) cells.push_back(std::to_string(group.by_outcome.at(label)));
    cells.push_back(Rate(group.by_outcome.at(success), group.subjects));
    table.AddRow(std::move(cells));
  };
  add(english ? "with alert" : "有预警", rule.flagged);
  add(english ? "without alert" : "无预警", rule.not_flagged);
  return table.Render();
}

std::string RenderText(const BacktestResult& result, const std::string& zone, Locale locale) {
  bool english = locale == Locale::kEnglish;
  std::ostringstream out;
  std::string first = result.first_event ? FormatTime(*result.first_event, zone) : "-";
  std::string last = result.last_event ? FormatTime(*result.last_event, zone) : "-";
  out << (english ? fmt::format("Backtest of rule pack '{}' version {}: {} events from {} to {} ({})\n", result.pack_id,
                                result.version, result.events, first, last, zone)
                  : fmt::format("规则包 '{}' 版本 {} 回测：{} 条事件，{} 至 {}（{}）\n", result.pack_id, result.version,
                                result.events, first, last, zone));

  for (const RuleBacktest& rule : result.rules) {
    out << "\n"
        << (english ? fmt::format("Rule {} ({}; {}, subject {}): {} alerts, {} failed evaluations\n", rule.rule_id,
                                  rule.name.en, rule.kind, rule.subject_type, rule.alerts, rule.evaluation_failures)
                    : fmt::format("规则 {}（{}；{}，对象 {}）：预警 {} 条，求值失败 {} 次\n", rule.rule_id, rule.name.zh,
                                  rule.kind, rule.subject_type, rule.alerts, rule.evaluation_failures));
    if (rule.alerts > 0) {
      out << "\n" << CountTable(english ? "ISO week" : "ISO 周", english ? "alerts" : "预警", rule.by_week, "-");
      out << "\n"
          << CountTable(english ? "team" : "团队", english ? "alerts" : "预警", rule.by_team,
                        english ? "(no owner)" : "（无负责人）");
      out << "\n" << CountTable(english ? "highest level" : "最高级别", english ? "alerts" : "预警", rule.by_level, "-");
    }
    out << "\n"
        << (english ? "Subjects with a trigger event, with and without an alert of this rule:\n"
                    : "有触发事件的对象，按是否收到本规则预警分组：\n")
        << OutcomeTable(result, rule, english);
  }

  out << "\n"
      << (english ? fmt::format("{} absence windows were still open at the last event and are not counted.\n",
                                result.windows_open_at_end)
                  : fmt::format("最后一条事件时仍有 {} 个等待窗口未到期，未计入预警。\n", result.windows_open_at_end));
  return out.str();
}

std::string RenderJson(const BacktestResult& result) { return BacktestToJson(result).dump(2) + "\n"; }

Result<std::string> RunBacktestCommand(const GlobalOptions& global, const BacktestFlags& flags) {
  SR_RETURN_IF_ERROR(CheckDatabaseExists(global.database));
  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> db, store::Open(global.database));
  SR_ASSIGN_OR_RETURN(std::unique_ptr<calendar::CalendarRegistry> calendars, LoadCalendarDir(flags.calendar_dir));
  SR_ASSIGN_OR_RETURN(rules::CompileContext context, BuildCompileContext(*db, *calendars));
  SR_ASSIGN_OR_RETURN(std::string text, ReadTextFile(flags.rules_file));

  rules::CompileResult compiled = rules::CheckRulePack(text, flags.rules_file, context);
  if (!compiled.ok()) return rules::ProblemsToError(compiled.problems);

  // Weeks and times are shown in the zone of the pack's calendar.
  std::string zone = "Asia/Shanghai";
  if (auto calendar = calendars->Find(compiled.pack->source().calendar_id); calendar.ok()) {
    zone = (*calendar)->zone().name();
  }

  BacktestOptions options;
  options.time_zone = zone;
  if (!flags.from.empty()) {
    SR_ASSIGN_OR_RETURN(options.from, ParseDayStart(flags.from, zone));
  }
  if (!flags.to.empty()) {
    SR_ASSIGN_OR_RETURN(options.to, ParseDayStart(flags.to, zone));
  }
  for (const std::string& outcome : flags.outcomes.empty() ? kDefaultOutcomes : flags.outcomes) {
    SR_ASSIGN_OR_RETURN(OutcomeLabel label, ParseOutcome(outcome));
    options.outcomes.push_back(std::move(label));
  }

  SR_ASSIGN_OR_RETURN(BacktestResult result, RunBacktest(*db, compiled.pack, options));
  return flags.json ? RenderJson(result) : RenderText(result, zone, global.locale);
}

}  // namespace

void AddBacktestCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto flags = std::make_shared<BacktestFlags>();
  CLI::App* backtest = app.add_subcommand(
      "backtest", "Replay the stored event log through a rule pack and count what it would have flagged (回测)");
  backtest->add_option("--rules", flags->rules_file, "Rule pack YAML file")->required();
  backtest->add_option("--from", flags->from, "First day replayed, YYYY-MM-DD in the pack calendar's zone");
  backtest->add_option("--to", flags->to, "Day after the last one replayed, YYYY-MM-DD (exclusive)");
  backtest->add_option("--calendar-dir", flags->calendar_dir, "Folder of business calendars, one subfolder per id");
  backtest->add_option("--outcome", flags->outcomes,
                       "How subjects end: LABEL=TYPE[,TYPE], repeatable, first label is the success compared "
                       "(default: the BPI 2012 loan outcomes accepted, declined, cancelled)");
  backtest->add_flag("--json", flags->json, "Print JSON instead of tables");

  backtest->callback([&global, flags, exit_code] {
    Result<std::string> output = RunBacktestCommand(global, *flags);
    if (!output.ok()) {
      *exit_code = PrintCommandError(output.error(), global.locale, "rules");
      return;
    }
    std::cout << *output;
    std::cout.flush();
    *exit_code = std::cout ? 0 : 1;
  });
}

}  // namespace salesradar::cli
