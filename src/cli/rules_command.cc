// `salesradar rules check|publish|list`: validate rule pack files, store new versions, list them.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/rules_support.h"
#include "common/logging.h"
#include "report/table.h"
#include "rules/problem.h"
#include "store/store.h"

namespace salesradar::cli {
namespace {

struct RulesFlags {
  std::vector<std::string> files;
  std::string calendar_dir = DefaultCalendarDir();
  std::string published_by;
};

// Opens the database when the file exists, so that custom fields are checked. Otherwise it opens
// an in-memory database with the built-in schemas, because checking must not create a file.
Result<std::unique_ptr<store::Store>> OpenForCheck(const std::string& database) {
  std::error_code error;
  if (std::filesystem::exists(database, error)) return store::Open(database);
  return store::Open(":memory:");
}

// Loads and compiles one file. The result lists the problems; an Error means the file could not be read.
Result<rules::CompileResult> CheckFile(const std::string& file, const rules::CompileContext& context) {
  SR_ASSIGN_OR_RETURN(std::string text, ReadTextFile(file));
  return rules::CheckRulePack(text, file, context);
}

void PrintCheckResult(const std::string& file, const rules::CompileResult& result, Locale locale) {
  if (!result.ok()) {
    for (const rules::Problem& problem : result.problems) {
      std::cout << rules::FormatProblem(problem, locale) << "\n";
    }
    return;
  }

  const rules::RulePack& pack = result.pack->source();
  if (locale == Locale::kEnglish) {
    std::cout << fmt::format("{}: OK: rule pack '{}' version {}, {} rules\n", file, pack.id, pack.version,
                             pack.rules.size());
  } else {
    std::cout << fmt::format("{}：通过；规则包 '{}' 版本 {}，共 {} 条规则\n", file, pack.id, pack.version,
                             pack.rules.size());
  }
}

int RunCheck(const GlobalOptions& global, const RulesFlags& flags) {
  Result<std::unique_ptr<store::Store>> db = OpenForCheck(global.database);
  if (!db.ok()) return PrintCommandError(db.error(), global.locale, "rules");
  Result<std::unique_ptr<calendar::CalendarRegistry>> calendars = LoadCalendarDir(flags.calendar_dir);
  if (!calendars.ok()) return PrintCommandError(calendars.error(), global.locale, "rules");
  Result<rules::CompileContext> context = BuildCompileContext(**db, **calendars);
  if (!context.ok()) return PrintCommandError(context.error(), global.locale, "rules");

  int exit_code = 0;
  for (const std::string& file : flags.files) {
    Result<rules::CompileResult> result = CheckFile(file, *context);
    if (!result.ok()) {
      exit_code = std::max(exit_code, PrintCommandError(result.error(), global.locale, "rules"));
      continue;
    }
    PrintCheckResult(file, *result, global.locale);
    if (!result->ok()) exit_code = std::max(exit_code, 1);
  }
  return exit_code;
}

std::string PublisherName(const RulesFlags& flags) {
  if (!flags.published_by.empty()) return flags.published_by;
  const char* user = std::getenv("USER");
  return user != nullptr && *user != '\0' ? user : "cli";
}

int RunPublish(const GlobalOptions& global, const RulesFlags& flags) {
  const std::string& file = flags.files.front();
  Result<std::unique_ptr<store::Store>> db = store::Open(global.database);
  if (!db.ok()) return PrintCommandError(db.error(), global.locale, "rules");
  Result<std::unique_ptr<calendar::CalendarRegistry>> calendars = LoadCalendarDir(flags.calendar_dir);
  if (!calendars.ok()) return PrintCommandError(calendars.error(), global.locale, "rules");
  Result<rules::CompileContext> context = BuildCompileContext(**db, **calendars);
  if (!context.ok()) return PrintCommandError(context.error(), global.locale, "rules");

  Result<std::string> text = ReadTextFile(file);
  if (!text.ok()) return PrintCommandError(text.error(), global.locale, "rules");
  rules::CompileResult checked = rules::CheckRulePack(*text, file, *context);
  if (!checked.ok()) {
    PrintCheckResult(file, checked, global.locale);
    return 1;
  }

  const rules::RulePack& pack = checked.pack->source();
  Result<store::RulePackVersion> stored = (*db)->PublishRulePack(pack.id, pack.version, *text, PublisherName(flags));
  if (!stored.ok()) return PrintCommandError(stored.error(), global.locale, "rules");

  std::cout << (global.locale == Locale::kEnglish
                    ? fmt::format("published rule pack '{}' version {} ({} rules); it is now the active version\n",
                                  pack.id, pack.version, pack.rules.size())
                    : fmt::format("已发布规则包 '{}' 版本 {}（{} 条规则），现为生效版本\n", pack.id, pack.version,
                                  pack.rules.size()));
  return 0;
}

int RunList(const GlobalOptions& global) {
  Result<std::unique_ptr<store::Store>> db = store::Open(global.database);
  if (!db.ok()) return PrintCommandError(db.error(), global.locale, "rules");
  Result<std::vector<store::RulePackVersion>> versions = (*db)->ListRulePackVersions();
  if (!versions.ok()) return PrintCommandError(versions.error(), global.locale, "rules");

  bool english = global.locale == Locale::kEnglish;
  report::Table table({{english ? "pack" : "规则包"},
                       {english ? "version" : "版本", report::Align::kRight},
                       {english ? "active" : "生效"},
                       {english ? "published at (UTC)" : "发布时间（UTC）"},
                       {english ? "published by" : "发布人"}});
  const std::string active_mark = english ? "yes" : "是";
  for (const store::RulePackVersion& version : *versions) {
    std::string active = version.active ? active_mark : "";
    table.AddRow({version.pack_id, std::to_string(version.version), active,
                  FormatTime(version.published_at, "UTC"), version.published_by});
  }
  std::cout << table.Render();
  return 0;
}

}  // namespace

void AddRulesCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* rules_app = app.add_subcommand("rules", "Check, publish and list rule packs (规则包)");
  rules_app->require_subcommand(1);
  auto flags = std::make_shared<RulesFlags>();

  CLI::App* check = rules_app->add_subcommand("check", "Validate rule pack files without publishing them");
  check->add_option("files", flags->files, "Rule pack YAML files")->required();
  check->add_option("--calendar-dir", flags->calendar_dir, "Folder of business calendars, one subfolder per id");
  check->callback([&global, flags, exit_code] { *exit_code = RunCheck(global, *flags); });

  CLI::App* publish = rules_app->add_subcommand("publish", "Check a rule pack and store it as the active version");
  publish->add_option("file", flags->files, "Rule pack YAML file")->required()->expected(1);
  publish->add_option("--calendar-dir", flags->calendar_dir, "Folder of business calendars, one subfolder per id");
  publish->add_option("--by", flags->published_by, "Who publishes, recorded with the version (default: $USER)");
  publish->callback([&global, flags, exit_code] { *exit_code = RunPublish(global, *flags); });

  CLI::App* list = rules_app->add_subcommand("list", "List the stored versions of every rule pack");
  list->callback([&global, exit_code] { *exit_code = RunList(global); });
}

}  // namespace salesradar::cli
