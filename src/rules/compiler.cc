#include "rules/compiler.h"

#include "cel/suggest.h"
#include "rules/rule_envs.h"
#include "rules/rule_pack_yaml.h"

namespace salesradar::rules {
namespace {

enum class Expect { kBool, kText, kNumber };

bool ResultTypeFits(const cel::Type& type, Expect expect) {
  using Kind = cel::Type::Kind;
  if (type.kind == Kind::kDyn) return true;
  switch (expect) {
    case Expect::kBool: return type.kind == Kind::kBool;
    case Expect::kText: return type.kind == Kind::kString || type.kind == Kind::kInt;
    case Expect::kNumber: return type.kind == Kind::kInt || type.kind == Kind::kUint || type.kind == Kind::kDouble;
  }
  return false;
}

std::string_view ExpectName(Expect expect, Locale locale) {
  bool en = locale == Locale::kEnglish;
  switch (expect) {
    case Expect::kBool: return en ? "a bool" : "布尔值";
    case Expect::kText: return en ? "a string" : "字符串";
    case Expect::kNumber: return en ? "a number" : "数字";
  }
  return "";
}

const SubjectSchema* FindSchema(const CompileContext& context, std::string_view type) {
  for (const SubjectSchema& schema : context.subjects) {
    if (schema.type == type) return &schema;
  }
  return nullptr;
}

}  // namespace

// Compiles the rules of one pack into a CompiledPack, collecting problems.
struct PackBuilder {
  const CompileContext& context;
  std::shared_ptr<CompiledPack> compiled;
  std::vector<Problem> problems;
  std::map<std::string, RuleEnvs, std::less<>> envs_by_subject;

  void Report(const Rule& rule, Where where, std::string zh, std::string en) {
    problems.push_back({compiled->pack_.file_name, where.line, where.column, rule.id, std::move(zh), std::move(en)});
  }

  std::optional<cel::Program> CompileExpression(const Rule& rule, const Expression& expression, std::string_view field,
                                                const cel::Env& env, Expect expect) {
    if (expression.empty()) return std::nullopt;

    Result<cel::Program> program = cel::Compile(env, expression.source);
    if (!program.ok()) {
      Report(rule, expression.where, std::string(field) + "：" + program.error().message_zh(),
             std::string(field) + ": " + program.error().message_en());
      return std::nullopt;
    }
    if (!ResultTypeFits(program->result_type(), expect)) {
      std::string actual = program->result_type().ToString();
      Report(rule, expression.where,
             std::string(field) + " 的结果必须是" + std::string(ExpectName(expect, Locale::kChinese)) + "，而 '" +
                 expression.source + "' 的类型是 " + actual,
             std::string(field) + " must be " + std::string(ExpectName(expect, Locale::kEnglish)) + ", but '" +
                 expression.source + "' is of type " + actual);
      return std::nullopt;
    }
    return std::move(program).value();
  }

  const RuleEnvs* EnvsFor(const Rule& rule) {
    auto found = envs_by_subject.find(rule.subject_type);
    if (found != envs_by_subject.end()) return &found->second;

    const SubjectSchema* schema = FindSchema(context, rule.subject_type);
    if (schema == nullptr) {
      std::vector<std::string> types;
      for (const SubjectSchema& known : context.subjects) types.push_back(known.type);
      std::vector<std::string> nearest = cel::NearestNames(rule.subject_type, types);
      std::string hint = cel::QuoteList(nearest.empty() ? types : nearest);
      Report(rule, rule.where, "主体类型 '" + rule.subject_type + "' 未知；" + (nearest.empty() ? "已知的类型：" : "最接近的：") + hint,
             "unknown subject type '" + rule.subject_type + "'; " + (nearest.empty() ? "known types: " : "did you mean ") +
                 hint + (nearest.empty() ? "" : "?"));
      return nullptr;
    }
    return &envs_by_subject.emplace(rule.subject_type, BuildRuleEnvs(*schema)).first->second;
  }

  void CompilePrograms(const Rule& rule, const RuleEnvs& envs, CompiledRule& out) {
    out.trigger_condition =
        CompileExpression(rule, rule.trigger.condition, "trigger.condition", envs.event_and_subject, Expect::kBool);
    out.trigger_subject_id =
        CompileExpression(rule, rule.trigger.subject_id, "trigger.subject_id", envs.event_only, Expect::kText);
    if (rule.awaited) {
      out.awaited_condition = CompileExpression(rule, rule.awaited->condition, "awaited.condition",
                                                envs.trigger_awaited_and_subject, Expect::kBool);
      out.awaited_subject_id =
          CompileExpression(rule, rule.awaited->subject_id, "awaited.subject_id", envs.awaited_only, Expect::kText);
    }
    if (rule.streak) {
      out.streak_condition =
          CompileExpression(rule, rule.streak->condition, "streak.condition", envs.event_and_subject, Expect::kBool);
    }
    if (rule.threshold) {
      out.threshold_value =
          CompileExpression(rule, rule.threshold->value, "threshold.value", envs.event_and_subject, Expect::kNumber);
    }
  }

  void ResolveCalendar(const Rule& rule, CompiledRule& out) {
    if (rule.calendar_id.empty()) return;
    if (context.calendars == nullptr) {
      Report(rule, rule.calendar_where, "日历 '" + rule.calendar_id + "' 未知：没有加载任何日历；请先添加日历",
             "unknown calendar '" + rule.calendar_id + "': no calendars are loaded; add the calendar first");
      return;
    }
    auto calendar = context.calendars->Find(rule.calendar_id);
    if (!calendar.ok()) {
      Report(rule, rule.calendar_where, calendar.error().message_zh(), calendar.error().message_en());
      return;
    }
    out.calendar = *calendar;
  }

  void CheckTemplateFields(const Rule& rule, const MessageTemplate& message) {
    const SubjectSchema* schema = FindSchema(context, rule.subject_type);
    if (schema == nullptr) return;

    std::vector<std::string> known;
    for (const cel::FieldDecl& field : schema->message.fields) known.push_back(field.name);
    for (const std::string& field : message.SubjectFields()) {
      if (schema->message.FindField(field) != nullptr) continue;
      std::vector<std::string> nearest = cel::NearestNames(field, known);
      std::string hint = cel::QuoteList(nearest.empty() ? known : nearest);
      Report(rule, rule.message_where,
             "消息模板中的 {subject." + field + "}：主体类型 '" + rule.subject_type + "' 没有这个字段；" +
                 (nearest.empty() ? "它的字段：" : "最接近的：") + hint,
             "message placeholder {subject." + field + "}: subject type '" + rule.subject_type + "' has no such field; " +
                 (nearest.empty() ? "its fields are " : "did you mean ") + hint + (nearest.empty() ? "" : "?"));
    }
  }

  void ParseMessages(const Rule& rule, CompiledRule& out) {
    // LoadRulePack has already checked the syntax of both templates.
    Result<MessageTemplate> zh = MessageTemplate::Parse(rule.message.zh);
    Result<MessageTemplate> en = MessageTemplate::Parse(rule.message.en);
    if (zh.ok()) out.message_zh = std::move(zh).value();
    if (en.ok()) out.message_en = std::move(en).value();
    CheckTemplateFields(rule, out.message_zh);
    CheckTemplateFields(rule, out.message_en);
  }

  void CompileRule(const Rule& rule) {
    CompiledRule out;
    out.rule = &rule;
    out.pack_id = compiled->pack_.id;
    out.version = compiled->pack_.version;
    out.qualified_id = compiled->pack_.id + "/" + rule.id;

    if (const RuleEnvs* envs = EnvsFor(rule)) CompilePrograms(rule, *envs, out);
    ResolveCalendar(rule, out);
    ParseMessages(rule, out);
    compiled->rules_.push_back(std::move(out));
  }

  CompileResult Run(RulePack pack) {
    compiled = std::shared_ptr<CompiledPack>(new CompiledPack());
    compiled->pack_ = std::move(pack);

    // rules_ must not reallocate: CompiledRule::rule and the index point into it.
    compiled->rules_.reserve(compiled->pack_.rules.size());
    for (const Rule& rule : compiled->pack_.rules) CompileRule(rule);
    BuildIndex();

    CompileResult result;
    result.problems = std::move(problems);
    if (result.problems.empty()) result.pack = std::move(compiled);
    return result;
  }

  void BuildIndex() {
    for (const CompiledRule& rule : compiled->rules_) {
      for (const std::string& type : rule.rule->trigger.event_types) compiled->triggered_by_[type].push_back(&rule);
      if (rule.rule->kind != RuleKind::kAbsence || !rule.rule->awaited) continue;
      for (const std::string& type : rule.rule->awaited->event_types) compiled->awaiting_[type].push_back(&rule);
    }
  }
};

const CompiledRule* CompiledPack::FindRule(std::string_view rule_id) const {
  for (const CompiledRule& rule : rules_) {
    if (rule.rule->id == rule_id) return &rule;
  }
  return nullptr;
}

const std::vector<const CompiledRule*>& CompiledPack::TriggeredBy(std::string_view event_type) const {
  static const std::vector<const CompiledRule*> kNone;
  auto it = triggered_by_.find(event_type);
  return it == triggered_by_.end() ? kNone : it->second;
}

const std::vector<const CompiledRule*>& CompiledPack::Awaiting(std::string_view event_type) const {
  static const std::vector<const CompiledRule*> kNone;
  auto it = awaiting_.find(event_type);
  return it == awaiting_.end() ? kNone : it->second;
}

CompileResult CompileRulePack(RulePack pack, const CompileContext& context) {
  PackBuilder builder{context, nullptr, {}, {}};
  return builder.Run(std::move(pack));
}

CompileResult CheckRulePack(std::string_view text, std::string_view file_name, const CompileContext& context) {
  RulePackLoad loaded = LoadRulePack(text, file_name);
  if (!loaded.ok()) return CompileResult{nullptr, std::move(loaded.problems)};
  return CompileRulePack(std::move(*loaded.pack), context);
}

}  // namespace salesradar::rules
