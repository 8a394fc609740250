// Problems found in a rule pack: what `salesradar rules check FILE` prints, one per line.
#pragma once

#include <string>
#include <vector>

#include "common/error.h"
#include "common/locale.h"

namespace salesradar::rules {

struct Problem {
  std::string file;
  int line = 0;    // 1-based; 0 when unknown
  int column = 0;  // 1-based; 0 when unknown
  std::string rule_id;  // empty for problems with the pack itself
  std::string message_zh;
  std::string message_en;
};

// Formats `problem` as one line (the message may add a caret excerpt on the following lines):
//   en: "b2b.yaml:12:5: rule 'lead-no-follow-up': window '48 hours' is invalid; ..."
//   zh: "b2b.yaml 第 12 行第 5 列，规则 'lead-no-follow-up'：时间窗口 '48 hours' 无效；……"
std::string FormatProblem(const Problem& problem, Locale locale);

// Returns one kInvalidArgument error listing every problem, one per line, for callers that
// want a Result. REQUIRES: !problems.empty().
Error ProblemsToError(const std::vector<Problem>& problems);

}  // namespace salesradar::rules
