// Evaluating rule expressions and windows for the engine, counting and reporting failures.
#include "rules/engine.h"

namespace salesradar::rules {
namespace {

std::string DescribeResult(const cel::Value& value) {
  if (value.is_error()) return std::string(value.error_message());
  return "returned " + std::string(cel::TypeNameOf(value)) + " " + cel::DebugString(value);
}

}  // namespace

void Engine::ReportFailure(const CompiledRule& rule, std::string_view part, std::string_view event_id,
                           std::string message) {
  ++StatsOf(rule).failures;
  if (!options_.on_evaluation_failure) return;

  EvaluationFailure failure;
  failure.event_id = std::string(event_id);
  failure.pack_id = rule.pack_id;
  failure.rule_id = rule.rule->id;
  failure.version = rule.version;
  failure.part = std::string(part);
  failure.message = std::move(message);
  options_.on_evaluation_failure(failure);
}

std::optional<bool> Engine::EvaluateBool(const CompiledRule& rule, const cel::Program& program,
                                         const RuleActivation& activation, std::string_view part,
                                         std::string_view event_id) {
  ++StatsOf(rule).evaluations;
  arena_.Reset();
  cel::Value value = program.Evaluate(activation, arena_);
  if (value.kind() == cel::ValueKind::kBool) return value.bool_value();

  ReportFailure(rule, part, event_id, "expected a bool: " + DescribeResult(value));
  return std::nullopt;
}

std::optional<std::string> Engine::EvaluateText(const CompiledRule& rule, const cel::Program& program,
                                                const RuleActivation& activation, std::string_view part,
                                                std::string_view event_id) {
  ++StatsOf(rule).evaluations;
  arena_.Reset();
  cel::Value value = program.Evaluate(activation, arena_);
  if (value.kind() == cel::ValueKind::kString && !value.string_value().empty()) {
    return std::string(value.string_value());
  }
  if (value.kind() == cel::ValueKind::kInt) return std::to_string(value.int_value());

  ReportFailure(rule, part, event_id, "expected a non-empty string or an int: " + DescribeResult(value));
  return std::nullopt;
}

std::optional<double> Engine::EvaluateNumber(const CompiledRule& rule, const cel::Program& program,
                                             const RuleActivation& activation, std::string_view part,
                                             std::string_view event_id) {
  ++StatsOf(rule).evaluations;
  arena_.Reset();
  cel::Value value = program.Evaluate(activation, arena_);
  switch (value.kind()) {
    case cel::ValueKind::kInt: return static_cast<double>(value.int_value());
    case cel::ValueKind::kUint: return static_cast<double>(value.uint_value());
    case cel::ValueKind::kDouble: return value.double_value();
    default: break;
  }
  ReportFailure(rule, part, event_id, "expected a number: " + DescribeResult(value));
  return std::nullopt;
}

std::optional<Timestamp> Engine::EndOfWindow(const CompiledRule& rule, Timestamp start, const calendar::Window& window,
                                             std::string_view part, std::string_view event_id) {
  if (!window.IsBusinessTime()) return calendar::AddWallTime(start, window.Duration());
  if (rule.calendar == nullptr) {
    // CompileRulePack rejects business-time windows without a calendar.
    ReportFailure(rule, part, event_id, "business-time window without a calendar");
    return std::nullopt;
  }

  Result<Timestamp> end = calendar::WindowEnd(*rule.calendar, start, window);
  if (!end.ok()) {
    ReportFailure(rule, part, event_id, end.error().message_en());
    return std::nullopt;
  }
  return *end;
}

std::optional<SubjectRef> Engine::RuleSubjectOf(const CompiledRule& rule, const Event& event, bool awaited_side) {
  const std::optional<cel::Program>& program = awaited_side ? rule.awaited_subject_id : rule.trigger_subject_id;
  if (!program) {
    if (event.subject.type != rule.rule->subject_type) return std::nullopt;
    return event.subject;
  }

  RuleActivation activation(awaited_side ? nullptr : &event, nullptr, awaited_side ? &event : nullptr, nullptr, nullptr);
  std::optional<std::string> id =
      EvaluateText(rule, *program, activation, awaited_side ? "awaited.subject_id" : "trigger.subject_id", event.id);
  if (!id) return std::nullopt;
  return SubjectRef{rule.rule->subject_type, std::move(*id)};
}

}  // namespace salesradar::rules
