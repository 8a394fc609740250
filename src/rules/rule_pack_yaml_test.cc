#include "rules/rule_pack_yaml.h"

#include <gtest/gtest.h>

#include "rules/rules_test_util.h"

namespace salesradar::rules {
namespace {

// A valid one-rule pack; tests replace parts of it.
const char* kValidPack = R"(pack: demo
version: 1
name: {zh: 示例, en: Demo}
rules:
  - id: follow-up
    name: {zh: 跟进, en: Follow-up}
    subject: lead
    kind: absence
    trigger: {event: lead_created}
    awaited: {event: call_logged}
    window: 48h
    level: yellow
    recipients: [owner]
    message: {zh: "线索 {subject.name}", en: "Lead {subject.name}"}
)";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Returns the English problems, one per line.
std::string Problems(const std::string& text) {
  RulePackLoad loaded = LoadRulePack(text, "demo.yaml");
  std::string out;
  for (const Problem& problem : loaded.problems) out += FormatProblem(problem, Locale::kEnglish) + "\n";
  return out;
}

TEST(RulePackYaml, LoadsValidPack) {
  RulePackLoad loaded = LoadRulePack(kValidPack, "demo.yaml");
  ASSERT_TRUE(loaded.ok()) << Problems(kValidPack);
  const RulePack& pack = *loaded.pack;
  EXPECT_EQ(pack.id, "demo");
  EXPECT_EQ(pack.version, 1);
  ASSERT_EQ(pack.rules.size(), 1u);
  const Rule& rule = pack.rules[0];
  EXPECT_EQ(rule.kind, RuleKind::kAbsence);
  EXPECT_EQ(rule.trigger.event_types, std::vector<std::string>{"lead_created"});
  ASSERT_TRUE(rule.window.has_value());
  EXPECT_EQ(calendar::FormatWindow(*rule.window), "48h");
  // A recipient list without levels applies to every level.
  EXPECT_EQ(rule.recipients[2].size(), 1u);
}

TEST(RulePackYaml, LoadsShippedDefaultPack) {
  std::string text = testing::ReadSourceFile("examples/rules/b2b-default.yaml");
  RulePackLoad loaded = LoadRulePack(text, "b2b-default.yaml");
  ASSERT_TRUE(loaded.ok()) << Problems(text);
  EXPECT_EQ(loaded.pack->rules.size(), 7u);
}

TEST(RulePackYaml, UnknownKindNamesNearest) {
  std::string problems = Problems(Replace(kValidPack, "kind: absence", "kind: absense"));
  EXPECT_NE(problems.find("demo.yaml:8:11: rule 'follow-up': unknown kind 'absense' (did you mean 'absence'?)"),
            std::string::npos)
      << problems;
}

TEST(RulePackYaml, BadWindowNamesTheText) {
  std::string problems = Problems(Replace(kValidPack, "window: 48h", "window: 48 hours"));
  EXPECT_NE(problems.find("demo.yaml:11:13: rule 'follow-up': window '48 hours' is invalid"), std::string::npos) << problems;
  EXPECT_NE(problems.find("48 hours"), std::string::npos) << problems;
}

TEST(RulePackYaml, BusinessWindowNeedsCalendar) {
  std::string problems = Problems(Replace(kValidPack, "window: 48h", "window: 2 workdays"));
  EXPECT_NE(problems.find("a business-time window needs a calendar"), std::string::npos) << problems;
  EXPECT_EQ(Problems(Replace(Replace(kValidPack, "window: 48h", "window: 2 workdays"), "rules:", "calendar: cn\nrules:")),
            "");
}

TEST(RulePackYaml, DuplicateRuleId) {
  std::string text = kValidPack;
  std::string rule = text.substr(text.find("  - id:"));
  std::string problems = Problems(text + rule);
  EXPECT_NE(problems.find("demo.yaml:15:9: rule 'follow-up': duplicate rule id 'follow-up'"), std::string::npos)
      << problems;
}

TEST(RulePackYaml, MissingRecipients) {
  std::string problems = Problems(Replace(kValidPack, "    recipients: [owner]\n", ""));
  EXPECT_NE(problems.find("rule 'follow-up': recipients are missing"), std::string::npos) << problems;
}

TEST(RulePackYaml, UnknownRecipientNamesRoles) {
  std::string problems = Problems(Replace(kValidPack, "recipients: [owner]", "recipients: [ownr]"));
  EXPECT_NE(problems.find("unknown recipient 'ownr'; roles are 'owner'"), std::string::npos) << problems;
}

TEST(RulePackYaml, RecipientsInheritFromLowerLevel) {
  std::string text = Replace(kValidPack, "recipients: [owner]",
                             "recipients: {yellow: [owner], red: [\"department:销售运营部\"]}");
  RulePackLoad loaded = LoadRulePack(text, "demo.yaml");
  ASSERT_TRUE(loaded.ok()) << Problems(text);
  const Rule& rule = loaded.pack->rules[0];
  EXPECT_EQ(rule.recipients[1], rule.recipients[0]);
  ASSERT_EQ(rule.recipients[2].size(), 1u);
  EXPECT_EQ(rule.recipients[2][0].ToString(), "department:销售运营部");
}

TEST(RulePackYaml, EscalationMustRise) {
  std::string text = Replace(kValidPack, "    recipients:", "    escalation:\n      - {after: 24h, level: yellow}\n    recipients:");
  std::string problems = Problems(text);
  EXPECT_NE(problems.find("escalation level yellow must be above the previous level yellow"), std::string::npos)
      << problems;
}

TEST(RulePackYaml, RedNeedsTicketDepartment) {
  std::string text = Replace(kValidPack, "    recipients:", "    escalation:\n      - {after: 24h, level: red}\n    recipients:");
  EXPECT_NE(Problems(text).find("add ticket: {department: NAME}"), std::string::npos) << Problems(text);
  text = Replace(text, "    recipients:", "    ticket: {department: sales_ops}\n    recipients:");
  EXPECT_EQ(Problems(text), "");
}

TEST(RulePackYaml, SectionForOtherKind) {
  std::string text = Replace(kValidPack, "kind: absence", "kind: condition");
  std::string problems = Problems(text);
  EXPECT_NE(problems.find("'awaited' only applies to absence rules"), std::string::npos) << problems;
  EXPECT_NE(problems.find("'window' only applies to absence/count rules"), std::string::npos) << problems;
}

TEST(RulePackYaml, KindNeedsItsSection) {
  std::string problems = Problems(Replace(kValidPack, "    awaited: {event: call_logged}\n", ""));
  EXPECT_NE(problems.find("absence rules need a 'awaited' section"), std::string::npos) << problems;
}

TEST(RulePackYaml, UnknownKeyNamesNearest) {
  std::string problems = Problems(Replace(kValidPack, "    level: yellow", "    levle: yellow\n    level: yellow"));
  EXPECT_NE(problems.find("unknown key 'levle' in rule; did you mean 'level'?"), std::string::npos) << problems;
}

TEST(RulePackYaml, UnknownPlaceholder) {
  std::string problems = Problems(Replace(kValidPack, "en: \"Lead {subject.name}\"", "en: \"Lead {rule.nam}\""));
  EXPECT_NE(problems.find("unknown placeholder {rule.nam} in the message template; did you mean 'rule.name'?"),
            std::string::npos)
      << problems;
}

TEST(RulePackYaml, ThresholdNeedsOneLimit) {
  std::string text = R"(pack: demo
version: 1
name: {zh: 示例, en: Demo}
rules:
  - id: risk
    name: {zh: 风险, en: Risk}
    subject: opportunity
    kind: threshold
    trigger: {event: risk_scored}
    threshold: {value: event.payload.risk, above: 0.7, below: 0.2}
    level: yellow
    recipients: [owner]
    message: {zh: 风险, en: Risk}
)";
  EXPECT_NE(Problems(text).find("threshold needs exactly one of 'above' and 'below'"), std::string::npos);
  EXPECT_NE(Problems(Replace(text, ", below: 0.2", ", rearm: 0.8")).find("rearm must be at most the 'above' value"),
            std::string::npos);
}

TEST(RulePackYaml, SyntaxErrorNamesLine) {
  std::string problems = Problems("pack: demo\nversion: [1\n");
  EXPECT_NE(problems.find("demo.yaml:3:"), std::string::npos) << problems;
  EXPECT_NE(problems.find("YAML syntax error"), std::string::npos) << problems;
}

TEST(RulePackYaml, ChineseMessages) {
  RulePackLoad loaded = LoadRulePack(Replace(kValidPack, "kind: absence", "kind: absense"), "demo.yaml");
  ASSERT_EQ(loaded.problems.size(), 1u);
  EXPECT_EQ(FormatProblem(loaded.problems[0], Locale::kChinese),
            "demo.yaml 第 8 行第 11 列，规则 'follow-up'：规则类型 'absense' 未知（最接近的：'absence'）；可用的类型："
            "'condition', 'absence', 'count', 'streak', 'threshold'");
}

TEST(RulePackYaml, InvalidIds) {
  std::string problems = Problems(Replace(Replace(kValidPack, "pack: demo", "pack: Demo"), "id: follow-up", "id: -x"));
  EXPECT_NE(problems.find("pack id 'Demo' is invalid"), std::string::npos) << problems;
  EXPECT_NE(problems.find("rule '-x': rule id '-x' is invalid"), std::string::npos) << problems;
}

}  // namespace
}  // namespace salesradar::rules
