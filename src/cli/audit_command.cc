// `salesradar audit verify`: checks the hash chain of the audit log and names the first broken
// row. Exit status 0 when the chain is intact, 1 when it is broken or cannot be read.
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "store/store.h"

namespace salesradar::cli {
namespace {

constexpr int kExitFailure = 1;

int RunAuditVerify(const GlobalOptions& global) {
  Locale locale = global.locale;
  bool english = locale == Locale::kEnglish;

  Result<std::unique_ptr<store::Store>> db = store::Open(global.database);
  if (!db.ok()) {
    std::cerr << (english ? "error: " : "错误：") << db.error().message(locale) << "\n";
    return kExitFailure;
  }
  Result<store::AuditChainReport> report = (*db)->VerifyAuditChain();
  if (!report.ok()) {
    std::cerr << (english ? "error: " : "错误：") << report.error().message(locale) << "\n";
    return kExitFailure;
  }

  if (!report->ok()) {
    std::cout << (english ? fmt::format("audit chain BROKEN at row {}: {}\n", *report->broken_id,
                                        report->problem.en)
                          : fmt::format("审计链已损坏，第一处在行 {}：{}\n", *report->broken_id,
                                        report->problem.zh));
    return kExitFailure;
  }

  if (english) {
    std::cout << fmt::format("audit chain intact: {} rows checked, last row {}, hash {}\n",
                             report->rows_checked, report->last_id, report->last_hash);
    std::cout << "keep the last row and hash: a later check can then detect rows cut from the "
                 "end\n";
  } else {
    std::cout << fmt::format("审计链完整：已检查 {} 行，最后一行 {}，哈希 {}\n",
                             report->rows_checked, report->last_id, report->last_hash);
    std::cout << "请记下最后一行和哈希：以后再检查时，可据此发现末尾被截掉的行\n";
  }
  return 0;
}

}  // namespace

void AddAuditCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* audit = app.add_subcommand("audit", "Check the audit log (审计日志)");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify", "Check the audit log's hash chain; exit 1 naming the first broken row");
  verify->callback([&global, exit_code] { *exit_code = RunAuditVerify(global); });
}

}  // namespace salesradar::cli
