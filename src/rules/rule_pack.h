// Rule packs as admins write them: the parsed, not yet compiled form of a YAML pack file.
// The schema is documented in docs/rules.md; LoadRulePack (rule_pack_yaml.h) fills these structs.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/window.h"
#include "common/locale.h"

namespace salesradar::rules {

enum class RuleKind {
  kCondition,  // fires on one event whose trigger condition is true
  kAbsence,    // fires when the awaited event does not follow the trigger within the window
  kCount,      // fires when at least N trigger events fall within the window
  kStreak,     // fires when N trigger events in a row meet the streak condition
  kThreshold,  // fires when a value crosses a limit; re-arms when it comes back
};

// Alert levels in escalation order.
enum class Level { kYellow = 0, kOrange = 1, kRed = 2 };
inline constexpr size_t kLevelCount = 3;

// Return the names that pack files and the API use: "condition" ..., "yellow" ...
std::string_view RuleKindName(RuleKind kind);
std::string_view LevelName(Level level);
std::optional<RuleKind> ParseRuleKind(std::string_view name);
std::optional<Level> ParseLevel(std::string_view name);

// Returns "黄色"/"yellow", "橙色"/"orange", "红色"/"red".
LocalizedText LevelLabel(Level level);

// A 1-based position in the pack file; 0 when unknown.
struct Where {
  int line = 0;
  int column = 0;
};

// A CEL expression as written in the pack. An empty source means "not given".
struct Expression {
  std::string source;
  Where where;

  bool empty() const { return source.empty(); }
};

// The events that start a rule's work: one or more event types and an optional condition over
// `event` and `subject`. `subject_id` (CEL, over `event`) names the rule's subject when it is
// not the event's own subject, e.g. `event.actor` for rules about reps. Without it the rule only
// matches events whose subject type equals the rule's subject type.
struct Trigger {
  std::vector<std::string> event_types;
  Expression condition;
  Expression subject_id;
  Where where;
};

// The event an absence rule waits for. `condition` relates `awaited` to `trigger` (and may read
// `subject`); `subject_id` (CEL, over `awaited`) finds the subject as Trigger::subject_id does.
struct Awaited {
  std::vector<std::string> event_types;
  Expression condition;
  Expression subject_id;
  Where where;
};

struct CountSpec {
  int64_t at_least = 0;  // at least 2
  Where where;
};

struct StreakSpec {
  int64_t length = 0;        // at least 2
  Expression condition;      // true: the event continues the streak; false: it breaks it
  bool resolve_when_broken = true;  // a breaking event resolves the open alert
  Where where;
};

struct ThresholdSpec {
  Expression value;      // a number over `event` and `subject`
  bool upward = true;    // true: fires above `limit`; false: fires below it
  double limit = 0;
  double rearm = 0;      // the value must come back to this (≤ limit upward, ≥ limit downward)
  Where where;
};

struct EscalationStep {
  calendar::Window after;  // time at the previous level, measured from when it was reached
  Level level = Level::kOrange;
  Where where;
};

struct Recipient {
  enum class Role { kOwner, kOwnerManager, kDepartment };
  Role role = Role::kOwner;
  std::string department;  // for kDepartment

  // Returns "owner", "owner_manager" or "department:NAME".
  std::string ToString() const;

  friend bool operator==(const Recipient&, const Recipient&) = default;
};

struct Rule {
  std::string id;  // unique within the pack
  LocalizedText name;
  LocalizedText description;
  std::string subject_type;
  RuleKind kind = RuleKind::kCondition;
  Trigger trigger;
  std::optional<Awaited> awaited;          // absence only
  std::optional<calendar::Window> window;  // absence and count
  Where window_where;
  std::optional<CountSpec> count;
  std::optional<StreakSpec> streak;
  std::optional<ThresholdSpec> threshold;
  std::string calendar_id;  // the rule's own or the pack's; empty when neither names one
  Where calendar_where;
  Level level = Level::kYellow;
  std::vector<EscalationStep> escalation;  // levels strictly rising above `level`
  std::string ticket_department;           // the department a red alert's ticket goes to
  // The recipients notified at each level, indexed by Level. A level the pack does not list inherits the
  // list of the level below it.
  std::array<std::vector<Recipient>, kLevelCount> recipients;
  LocalizedText message;  // templates with {placeholders}, see message_template.h
  Where message_where;
  Where where;

  // True when the rule can reach red, by its level or its escalation chain.
  bool CanReachRed() const;
};

struct RulePack {
  std::string id;
  int64_t version = 0;  // 1 or more; every published change gets a higher number
  LocalizedText name;
  std::string calendar_id;  // default for rules that name none
  std::vector<Rule> rules;
  std::string file_name;  // as given to LoadRulePack, for problems

  // Returns the rule with `rule_id`, or nullptr.
  const Rule* FindRule(std::string_view rule_id) const;
};

}  // namespace salesradar::rules
