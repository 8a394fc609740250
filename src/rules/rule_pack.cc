#include "rules/rule_pack.h"

namespace salesradar::rules {

std::string_view RuleKindName(RuleKind kind) {
  switch (kind) {
    case RuleKind::kCondition: return "condition";
    case RuleKind::kAbsence: return "absence";
    case RuleKind::kCount: return "count";
    case RuleKind::kStreak: return "streak";
    case RuleKind::kThreshold: return "threshold";
  }
  return "condition";
}

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kYellow: return "yellow";
    case Level::kOrange: return "orange";
    case Level::kRed: return "red";
  }
  return "yellow";
}

std::optional<RuleKind> ParseRuleKind(std::string_view name) {
  for (RuleKind kind : {RuleKind::kCondition, RuleKind::kAbsence, RuleKind::kCount, RuleKind::kStreak,
                        RuleKind::kThreshold}) {
    if (RuleKindName(kind) == name) return kind;
  }
  return std::nullopt;
}

std::optional<Level> ParseLevel(std::string_view name) {
  for (Level level : {Level::kYellow, Level::kOrange, Level::kRed}) {
    if (LevelName(level) == name) return level;
  }
  return std::nullopt;
}

LocalizedText LevelLabel(Level level) {
  switch (level) {
    case Level::kYellow: return {"黄色", "yellow"};
    case Level::kOrange: return {"橙色", "orange"};
    case Level::kRed: return {"红色", "red"};
  }
  return {"黄色", "yellow"};
}

std::string Recipient::ToString() const {
  switch (role) {
    case Role::kOwner: return "owner";
    case Role::kOwnerManager: return "owner_manager";
    case Role::kDepartment: return "department:" + department;
  }
  return "owner";
}

bool Rule::CanReachRed() const {
  if (level == Level::kRed) return true;
  for (const EscalationStep& step : escalation) {
    if (step.level == Level::kRed) return true;
  }
  return false;
}

const Rule* RulePack::FindRule(std::string_view rule_id) const {
  for (const Rule& rule : rules) {
    if (rule.id == rule_id) return &rule;
  }
  return nullptr;
}

}  // namespace salesradar::rules
