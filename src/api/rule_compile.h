// The compile context of the rule-pack routes (the stored subject schemas and the business
// calendars, loaded once per process from DefaultCalendarDir() in rule_support.h), and the check
// of a single CEL expression that the rule form runs while the admin types.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "calendar/calendar_registry.h"
#include "common/result.h"
#include "rules/compiler.h"
#include "store/store.h"

namespace salesradar::api {

// Thread safety: every method may be called from any thread.
class RuleCompiler {
 public:
  // Builds the compile context from `store`'s schemas. The calendars stay owned by this object.
  // A calendar folder that is missing or does not load leaves no calendars. Packs that name none
  // still check, and packs that name one get an "unknown calendar" problem.
  Result<rules::CompileContext> Context(store::Store& store);

 private:
  std::mutex mutex_;
  bool loaded_ = false;
  std::unique_ptr<calendar::CalendarRegistry> calendars_;
};

// The parts of a rule that hold a CEL expression, and the result type each must have.
enum class ExpressionPart {
  kTrigger,            // trigger.condition over event and subject; bool
  kTriggerSubjectId,   // trigger.subject_id over event; string
  kAwaited,            // awaited.condition over trigger, awaited and subject; bool
  kAwaitedSubjectId,   // awaited.subject_id over awaited; string
  kStreak,             // streak.condition over event and subject; bool
  kThreshold,          // threshold.value over event and subject; number
};

// Parses "trigger", "trigger_subject_id", "awaited", "awaited_subject_id", "streak" or
// "threshold". kInvalidArgument naming the text and the accepted names otherwise.
Result<ExpressionPart> ParseExpressionPart(std::string_view name);

struct ExpressionCheck {
  bool ok = false;
  std::string type;  // the checked result type, as CEL writes it ("bool", "dyn"); empty on errors
  struct Problem {
    int line = 0;    // 1-based within the expression; 0 when unknown
    int column = 0;  // 1-based; 0 when unknown
    LocalizedText message;
  };
  std::vector<Problem> problems;
};

// Checks `expression` as `part` of a rule about `subject_type`. Returns kInvalidArgument naming
// subject_type, with the nearest known types, when no schema has that type. Syntax and type
// errors and a wrong result type are problems of the result, not errors.
Result<ExpressionCheck> CheckExpression(const rules::CompileContext& context, std::string_view subject_type,
                                        ExpressionPart part, std::string_view expression);

}  // namespace salesradar::api
