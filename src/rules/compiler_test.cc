#include "rules/compiler.h"

#include <gtest/gtest.h>

#include "rules/rules_test_util.h"

namespace salesradar::rules {
namespace {

const char* kPack = R"(pack: demo
version: 3
name: {zh: 示例, en: Demo}
calendar: cn
rules:
  - id: big-quote
    name: {zh: 大额报价, en: Big quote}
    subject: opportunity
    kind: condition
    trigger:
      event: quote_sent
      condition: event.payload.total > money(100, 'CNY') && subject.risk > 0.5
    level: yellow
    recipients: [owner]
    message: {zh: "{subject.name}", en: "{subject.name}"}
  - id: follow-up
    name: {zh: 跟进, en: Follow-up}
    subject: lead
    kind: absence
    trigger: {event: [lead_created, lead_reopened]}
    awaited:
      event: [call_logged, visit_completed]
      condition: awaited.actor == trigger.actor
    window: 2 workdays
    level: yellow
    recipients: [owner]
    message: {zh: "{subject.source}", en: "{subject.source}"}
)";

class CompilerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    context_.subjects = testing::TestSchemas();
    context_.calendars = calendars_.get();
  }

  std::string Problems(const std::string& text) {
    CompileResult result = CheckRulePack(text, "demo.yaml", context_);
    std::string out;
    for (const Problem& problem : result.problems) out += FormatProblem(problem, Locale::kEnglish) + "\n";
    return out;
  }

  std::string Replace(std::string text, const std::string& from, const std::string& to) {
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
  }

  std::unique_ptr<calendar::CalendarRegistry> calendars_ = testing::ChinaCalendars();
  CompileContext context_;
};

TEST_F(CompilerTest, CompilesAndIndexes) {
  std::shared_ptr<const CompiledPack> pack = testing::CompileOrFail(kPack, context_);
  ASSERT_NE(pack, nullptr);
  EXPECT_EQ(pack->version(), 3);
  ASSERT_EQ(pack->TriggeredBy("lead_reopened").size(), 1u);
  EXPECT_EQ(pack->TriggeredBy("lead_reopened")[0]->qualified_id, "demo/follow-up");
  EXPECT_EQ(pack->Awaiting("visit_completed").size(), 1u);
  EXPECT_TRUE(pack->Awaiting("quote_sent").empty());
  EXPECT_TRUE(pack->TriggeredBy("unknown").empty());

  const CompiledRule* follow_up = pack->FindRule("follow-up");
  ASSERT_NE(follow_up, nullptr);
  EXPECT_NE(follow_up->calendar, nullptr);
  EXPECT_TRUE(follow_up->awaited_condition.has_value());
  EXPECT_FALSE(follow_up->trigger_condition.has_value());
}

TEST_F(CompilerTest, MisspeltFieldNamesNearest) {
  std::string problems = Problems(Replace(kPack, "subject.risk > 0.5", "subject.rsk > 0.5"));
  EXPECT_NE(problems.find("demo.yaml:12:18: rule 'big-quote': trigger.condition: line 1, column"), std::string::npos)
      << problems;
  EXPECT_NE(problems.find("type 'Opportunity' has no field 'rsk'; did you mean 'risk'?"), std::string::npos) << problems;
}

TEST_F(CompilerTest, VariableOutOfScope) {
  // `trigger` is only declared in awaited conditions.
  std::string problems = Problems(Replace(kPack, "subject.risk > 0.5", "trigger.actor == ''"));
  EXPECT_NE(problems.find("undeclared reference to 'trigger'"), std::string::npos) << problems;
}

TEST_F(CompilerTest, SyntaxError) {
  std::string problems = Problems(Replace(kPack, "awaited.actor == trigger.actor", "awaited.actor == == trigger.actor"));
  EXPECT_NE(problems.find("rule 'follow-up': awaited.condition: line 1"), std::string::npos) << problems;
}

TEST_F(CompilerTest, ConditionMustBeBool) {
  std::string problems = Problems(Replace(kPack, "condition: awaited.actor == trigger.actor", "condition: awaited.actor"));
  EXPECT_NE(problems.find("awaited.condition must be a bool, but 'awaited.actor' is of type string"), std::string::npos)
      << problems;
}

TEST_F(CompilerTest, UnknownSubjectType) {
  std::string problems = Problems(Replace(kPack, "subject: lead", "subject: leed"));
  EXPECT_NE(problems.find("unknown subject type 'leed'; did you mean 'lead'?"), std::string::npos) << problems;
}

TEST_F(CompilerTest, UnknownCalendarListsKnown) {
  std::string problems = Problems(Replace(kPack, "calendar: cn", "calendar: cn-east"));
  EXPECT_NE(problems.find("demo.yaml:"), std::string::npos) << problems;
  EXPECT_NE(problems.find("cn-east"), std::string::npos) << problems;
  EXPECT_NE(problems.find("cn"), std::string::npos) << problems;
}

TEST_F(CompilerTest, PlaceholderFieldMustExist) {
  std::string problems = Problems(Replace(kPack, "en: \"{subject.source}\"", "en: \"{subject.sorce}\""));
  EXPECT_NE(problems.find("message placeholder {subject.sorce}: subject type 'lead' has no such field; did you mean "
                          "'source', 'score'?"),
            std::string::npos)
      << problems;
}

TEST_F(CompilerTest, SubjectIdMustBeText) {
  std::string text = Replace(kPack, "trigger: {event: [lead_created, lead_reopened]}",
                             "trigger: {event: lead_created, subject_id: event.occurred_at}");
  EXPECT_NE(Problems(text).find("trigger.subject_id must be a string"), std::string::npos) << Problems(text);
}

TEST_F(CompilerTest, ShippedDefaultPackCompiles) {
  context_.subjects = testing::TestSchemas();
  std::shared_ptr<const CompiledPack> pack =
      testing::CompileOrFail(testing::ReadSourceFile("examples/rules/b2b-default.yaml"), context_);
  ASSERT_NE(pack, nullptr);
  EXPECT_EQ(pack->rules().size(), 7u);
  EXPECT_EQ(pack->TriggeredBy("quote_sent").size(), 2u);
}

}  // namespace
}  // namespace salesradar::rules
