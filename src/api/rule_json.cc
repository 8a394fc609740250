#include "api/rule_json.h"

#include "api/request_io.h"

namespace salesradar::api {
namespace {

using nlohmann::json;

json TextJson(const LocalizedText& text) { return {{"zh", text.zh}, {"en", text.en}}; }

json ExpressionJson(const rules::Expression& expression) {
  if (expression.empty()) return nullptr;
  return expression.source;
}

json LineJson(int line) { return line > 0 ? json(line) : json(nullptr); }

json TriggerJson(const rules::Trigger& trigger) {
  return {{"event_types", trigger.event_types},
          {"condition", ExpressionJson(trigger.condition)},
          {"subject_id", ExpressionJson(trigger.subject_id)}};
}

json OptionalSections(const rules::Rule& rule) {
  json sections = json::object();
  sections["awaited"] = rule.awaited ? json{{"event_types", rule.awaited->event_types},
                                            {"condition", ExpressionJson(rule.awaited->condition)},
                                            {"subject_id", ExpressionJson(rule.awaited->subject_id)}}
                                     : json(nullptr);
  sections["window"] = rule.window ? json(calendar::FormatWindow(*rule.window)) : json(nullptr);
  sections["count"] = rule.count ? json{{"at_least", rule.count->at_least}} : json(nullptr);
  sections["streak"] = rule.streak ? json{{"length", rule.streak->length},
                                          {"condition", ExpressionJson(rule.streak->condition)},
                                          {"resolve_when_broken", rule.streak->resolve_when_broken}}
                                   : json(nullptr);
  sections["threshold"] = rule.threshold ? json{{"value", ExpressionJson(rule.threshold->value)},
                                                {"direction", rule.threshold->upward ? "above" : "below"},
                                                {"limit", rule.threshold->limit},
                                                {"rearm", rule.threshold->rearm}}
                                         : json(nullptr);
  return sections;
}

json RecipientsJson(const rules::Rule& rule) {
  json recipients = json::object();
  for (size_t level = 0; level < rules::kLevelCount; ++level) {
    json names = json::array();
    for (const rules::Recipient& recipient : rule.recipients[level]) names.push_back(recipient.ToString());
    recipients[std::string(rules::LevelName(static_cast<rules::Level>(level)))] = std::move(names);
  }
  return recipients;
}

}  // namespace

json RulePackVersionJson(const store::RulePackVersion& version, bool with_yaml) {
  json row = {{"pack_id", version.pack_id},
              {"version", version.version},
              {"published_at", FormatTime(version.published_at)},
              {"published_by", version.published_by},
              {"active", version.active}};
  if (with_yaml) row["yaml"] = version.yaml;
  return row;
}

json RuleJson(const rules::Rule& rule) {
  json escalation = json::array();
  for (const rules::EscalationStep& step : rule.escalation) {
    escalation.push_back({{"after", calendar::FormatWindow(step.after)}, {"level", rules::LevelName(step.level)}});
  }

  json out = {{"id", rule.id},
              {"name", TextJson(rule.name)},
              {"description", TextJson(rule.description)},
              {"subject_type", rule.subject_type},
              {"kind", rules::RuleKindName(rule.kind)},
              {"trigger", TriggerJson(rule.trigger)},
              {"calendar", rule.calendar_id.empty() ? json(nullptr) : json(rule.calendar_id)},
              {"level", rules::LevelName(rule.level)},
              {"escalation", std::move(escalation)},
              {"ticket_department", rule.ticket_department.empty() ? json(nullptr) : json(rule.ticket_department)},
              {"recipients", RecipientsJson(rule)},
              {"message", TextJson(rule.message)},
              {"line", LineJson(rule.where.line)}};
  out.update(OptionalSections(rule));
  return out;
}

json ProblemJson(const rules::Problem& problem, Locale locale) {
  return {{"line", LineJson(problem.line)},
          {"column", problem.column > 0 ? json(problem.column) : json(nullptr)},
          {"rule_id", problem.rule_id.empty() ? json(nullptr) : json(problem.rule_id)},
          {"message", locale == Locale::kEnglish ? problem.message_en : problem.message_zh}};
}

json ProblemsJson(const std::vector<rules::Problem>& problems, Locale locale) {
  json out = json::array();
  for (const rules::Problem& problem : problems) out.push_back(ProblemJson(problem, locale));
  return out;
}

}  // namespace salesradar::api
