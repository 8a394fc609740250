#include "rules/problem.h"

#include <cassert>

namespace salesradar::rules {

std::string FormatProblem(const Problem& problem, Locale locale) {
  std::string out = problem.file;
  if (locale == Locale::kEnglish) {
    if (problem.line > 0) out += ":" + std::to_string(problem.line);
    if (problem.line > 0 && problem.column > 0) out += ":" + std::to_string(problem.column);
    out += ": ";
    if (!problem.rule_id.empty()) out += "rule '" + problem.rule_id + "': ";
    return out + problem.message_en;
  }

  if (problem.line > 0) out += " 第 " + std::to_string(problem.line) + " 行";
  if (problem.line > 0 && problem.column > 0) out += "第 " + std::to_string(problem.column) + " 列";
  if (!problem.rule_id.empty()) out += "，规则 '" + problem.rule_id + "'";
  return out + "：" + problem.message_zh;
}

Error ProblemsToError(const std::vector<Problem>& problems) {
  assert(!problems.empty());
  std::string zh = "规则包有 " + std::to_string(problems.size()) + " 个问题：";
  std::string en = "the rule pack has " + std::to_string(problems.size()) + " problem(s):";
  for (const Problem& problem : problems) {
    zh += "\n" + FormatProblem(problem, Locale::kChinese);
    en += "\n" + FormatProblem(problem, Locale::kEnglish);
  }
  return InvalidArgument(std::move(zh), std::move(en));
}

}  // namespace salesradar::rules
