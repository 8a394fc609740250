#include "api/rule_compile.h"

#include <charconv>

#include "api/rule_support.h"
#include "cel/program.h"
#include "cel/suggest.h"
#include "common/logging.h"
#include "rules/rule_envs.h"

namespace salesradar::api {
namespace {

enum class Expect { kBool, kText, kNumber };

struct PartInfo {
  std::string_view name;
  ExpressionPart part;
  Expect expect;
};

constexpr PartInfo kParts[] = {
    {"trigger", ExpressionPart::kTrigger, Expect::kBool},
    {"trigger_subject_id", ExpressionPart::kTriggerSubjectId, Expect::kText},
    {"awaited", ExpressionPart::kAwaited, Expect::kBool},
    {"awaited_subject_id", ExpressionPart::kAwaitedSubjectId, Expect::kText},
    {"streak", ExpressionPart::kStreak, Expect::kBool},
    {"threshold", ExpressionPart::kThreshold, Expect::kNumber},
};

const PartInfo& InfoOf(ExpressionPart part) {
  for (const PartInfo& info : kParts) {
    if (info.part == part) return info;
  }
  return kParts[0];
}

// The same result types that the rule compiler accepts for each part.
bool Fits(const cel::Type& type, Expect expect) {
  using Kind = cel::Type::Kind;
  if (type.kind == Kind::kDyn) return true;
  switch (expect) {
    case Expect::kBool: return type.kind == Kind::kBool;
    case Expect::kText: return type.kind == Kind::kString || type.kind == Kind::kInt;
    case Expect::kNumber: return type.kind == Kind::kInt || type.kind == Kind::kUint || type.kind == Kind::kDouble;
  }
  return false;
}

LocalizedText ExpectName(Expect expect) {
  switch (expect) {
    case Expect::kBool: return {"布尔值", "a bool"};
    case Expect::kText: return {"字符串", "a string"};
    case Expect::kNumber: return {"数字", "a number"};
  }
  return {};
}

const cel::Env& EnvOf(const rules::RuleEnvs& envs, ExpressionPart part) {
  switch (part) {
    case ExpressionPart::kTrigger:
    case ExpressionPart::kStreak:
    case ExpressionPart::kThreshold: return envs.event_and_subject;
    case ExpressionPart::kTriggerSubjectId: return envs.event_only;
    case ExpressionPart::kAwaited: return envs.trigger_awaited_and_subject;
    case ExpressionPart::kAwaitedSubjectId: return envs.awaited_only;
  }
  return envs.event_and_subject;
}

int DetailNumber(const Error& error, std::string_view key) {
  for (const ErrorDetail& detail : error.details()) {
    if (detail.key != key) continue;
    int value = 0;
    std::from_chars(detail.value.data(), detail.value.data() + detail.value.size(), value);
    return value;
  }
  return 0;
}

}  // namespace

Result<rules::CompileContext> RuleCompiler::Context(store::Store& store) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!loaded_) {
    std::string dir = DefaultCalendarDir();
    Result<std::unique_ptr<calendar::CalendarRegistry>> calendars = LoadCalendarDir(dir);
    if (calendars.ok()) {
      calendars_ = std::move(calendars).value();
    } else {
      Logger("api")->warn("rule packs: calendars of '{}' not loaded, so no calendar is known: {}", dir,
                          calendars.error().ToLogString());
      calendars_ = std::make_unique<calendar::CalendarRegistry>();
    }
    loaded_ = true;
  }
  return BuildCompileContext(store, *calendars_);
}

Result<ExpressionPart> ParseExpressionPart(std::string_view name) {
  for (const PartInfo& info : kParts) {
    if (info.name == name) return info.part;
  }
  std::string accepted = "trigger, trigger_subject_id, awaited, awaited_subject_id, streak, threshold";
  Error error = InvalidArgument("字段 part 的值 '" + std::string(name) + "' 无效；可用的值：" + accepted,
                                "field part has the invalid value '" + std::string(name) + "'; accepted values: " +
                                    accepted);
  error.AddDetail("field", "part");
  return error;
}

Result<ExpressionCheck> CheckExpression(const rules::CompileContext& context, std::string_view subject_type,
                                        ExpressionPart part, std::string_view expression) {
  const rules::SubjectSchema* schema = nullptr;
  std::vector<std::string> known;
  for (const rules::SubjectSchema& candidate : context.subjects) {
    known.push_back(candidate.type);
    if (candidate.type == subject_type) schema = &candidate;
  }
  if (schema == nullptr) {
    std::vector<std::string> nearest = cel::NearestNames(subject_type, known);
    std::string hint = cel::QuoteList(nearest.empty() ? known : nearest);
    Error error = InvalidArgument("字段 subject_type 的值 '" + std::string(subject_type) + "' 未知；可用的类型：" + hint,
                                  "field subject_type has the unknown value '" + std::string(subject_type) +
                                      "'; known types: " + hint);
    error.AddDetail("field", "subject_type");
    return error;
  }

  rules::RuleEnvs envs = rules::BuildRuleEnvs(*schema);
  ExpressionCheck check;
  Result<cel::Program> program = cel::Compile(EnvOf(envs, part), expression);
  if (!program.ok()) {
    check.problems.push_back({DetailNumber(program.error(), "line"), DetailNumber(program.error(), "column"),
                              {program.error().message_zh(), program.error().message_en()}});
    return check;
  }

  check.type = program->result_type().ToString();
  Expect expect = InfoOf(part).expect;
  if (!Fits(program->result_type(), expect)) {
    LocalizedText expected_type = ExpectName(expect);
    check.problems.push_back({0, 0,
                              {"结果必须是" + expected_type.zh + "，而表达式的类型是 " + check.type,
                               "the result must be " + expected_type.en + ", but the expression is of type " + check.type}});
    return check;
  }
  check.ok = true;
  return check;
}

}  // namespace salesradar::api
