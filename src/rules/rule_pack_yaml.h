// Loading a rule pack from its YAML text. The schema is documented in docs/rules.md.
#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "rules/problem.h"
#include "rules/rule_pack.h"

namespace salesradar::rules {

struct RulePackLoad {
  std::optional<RulePack> pack;  // set exactly when `problems` is empty
  std::vector<Problem> problems;

  bool ok() const { return problems.empty(); }
};

// Parses and checks a pack: YAML syntax, unknown and missing keys, ids, duplicate rule ids,
// kinds and the sections each kind needs, windows, levels and the escalation order, recipients,
// tickets, message templates, and a calendar for every business-time window. Every problem
// names the file, line and rule and gives the fix. Checks that need the subject schemas
// and the calendars (CEL types, unknown calendars) happen in CompileRulePack. `file_name` is
// only used in problems. Reads no files.
RulePackLoad LoadRulePack(std::string_view text, std::string_view file_name);

}  // namespace salesradar::rules
