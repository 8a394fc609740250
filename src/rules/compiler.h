// Compiling a rule pack once: CEL programs checked against the event and subject schemas,
// calendars looked up, message templates parsed, and rules indexed by event type.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/business_calendar.h"
#include "calendar/calendar_registry.h"
#include "cel/program.h"
#include "rules/message_template.h"
#include "rules/problem.h"
#include "rules/rule_pack.h"
#include "rules/subject.h"

namespace salesradar::rules {

struct CompileContext {
  // The subject types that rules may name, with their fields (custom fields included).
  std::vector<SubjectSchema> subjects;
  // The calendars that rules may name; may be null when no rule names one.
  const calendar::CalendarRegistry* calendars = nullptr;
};

// One rule ready to run. The CEL variables each program may read:
//   trigger_condition, streak_condition, threshold_value: event, subject
//   trigger_subject_id: event
//   awaited_condition: trigger (the event that opened the window), awaited, subject
//   awaited_subject_id: awaited
struct CompiledRule {
  const Rule* rule = nullptr;  // owned by the CompiledPack
  std::string pack_id;
  int64_t version = 0;
  std::string qualified_id;  // "pack/rule", as Event::origin_rule names it
  std::optional<cel::Program> trigger_condition;
  std::optional<cel::Program> trigger_subject_id;
  std::optional<cel::Program> awaited_condition;
  std::optional<cel::Program> awaited_subject_id;
  std::optional<cel::Program> streak_condition;
  std::optional<cel::Program> threshold_value;
  std::shared_ptr<const calendar::BusinessCalendar> calendar;  // null when the rule names none
  MessageTemplate message_zh;
  MessageTemplate message_en;
};

// A compiled pack version. It is immutable, so one engine thread and any number of readers may
// share it. The engine keeps old versions alive as long as windows or alerts refer to them.
class CompiledPack {
 public:
  CompiledPack(const CompiledPack&) = delete;
  CompiledPack& operator=(const CompiledPack&) = delete;

  const RulePack& source() const { return pack_; }
  const std::string& id() const { return pack_.id; }
  int64_t version() const { return pack_.version; }
  const std::vector<CompiledRule>& rules() const { return rules_; }

  // Returns the rule with `rule_id`, or nullptr.
  const CompiledRule* FindRule(std::string_view rule_id) const;

  // Return the rules whose trigger, or (absence rules) whose awaited event, lists `event_type`,
  // in pack order; empty when none.
  const std::vector<const CompiledRule*>& TriggeredBy(std::string_view event_type) const;
  const std::vector<const CompiledRule*>& Awaiting(std::string_view event_type) const;

 private:
  friend struct PackBuilder;
  CompiledPack() = default;

  RulePack pack_;
  std::vector<CompiledRule> rules_;
  std::map<std::string, std::vector<const CompiledRule*>, std::less<>> triggered_by_;
  std::map<std::string, std::vector<const CompiledRule*>, std::less<>> awaiting_;
};

struct CompileResult {
  std::shared_ptr<const CompiledPack> pack;  // set exactly when `problems` is empty
  std::vector<Problem> problems;

  bool ok() const { return problems.empty(); }
};

// Compiles a loaded pack. Each problem names the file, line and rule. Problems:
//   - an unknown subject type;
//   - a CEL syntax or type error, with the checker's nearest names for a misspelt name;
//   - a condition that is not a bool, a subject_id that is not a string, or a threshold value
//     that is not a number;
//   - an unknown calendar;
//   - a message placeholder naming a field the subject lacks.
CompileResult CompileRulePack(RulePack pack, const CompileContext& context);

// Loads and compiles pack text: everything `salesradar rules check FILE` reports. When loading
// fails, only the loading problems are returned.
CompileResult CheckRulePack(std::string_view text, std::string_view file_name, const CompileContext& context);

}  // namespace salesradar::rules
