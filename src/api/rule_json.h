// The JSON forms of rule packs that the rule-pack routes return: stored versions, the rules of
// a loaded pack, and the problems that checking a pack or an expression finds.
#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "common/locale.h"
#include "rules/problem.h"
#include "rules/rule_pack.h"
#include "store/rules_store.h"

namespace salesradar::api {

// {pack_id, version, published_at, published_by, active}; the YAML only when `with_yaml`.
nlohmann::json RulePackVersionJson(const store::RulePackVersion& version, bool with_yaml);

// One rule as the pack file writes it, with snake_case keys: id, name {zh, en}, description,
// subject_type, kind, trigger, awaited, window, count, streak, threshold, calendar, level,
// escalation, ticket_department, recipients {yellow, orange, red}, message, line.
nlohmann::json RuleJson(const rules::Rule& rule);

// {line, column, rule_id, message} with the message in `locale`; null for an unknown line.
nlohmann::json ProblemJson(const rules::Problem& problem, Locale locale);
nlohmann::json ProblemsJson(const std::vector<rules::Problem>& problems, Locale locale);

}  // namespace salesradar::api
