#include "rules/message_template.h"

#include <gtest/gtest.h>

#include "rules/json_value.h"

namespace salesradar::rules {
namespace {

TEST(MessageTemplate, RendersPlaceholders) {
  Result<MessageTemplate> message =
      MessageTemplate::Parse("{{{rule.name}}} {subject.name}: {event.payload.total} in {window}, {count}x {value}");
  ASSERT_TRUE(message.ok()) << message.error().message_en();

  LocalizedText rule_name{"规则", "Rule"};
  SubjectRef subject{"lead", "L1"};
  Event event;
  event.id = "e1";
  event.payload = {{"total", {{"fen", 123456}, {"currency", "CNY"}}}};
  TemplateValues values;
  values.rule_name = &rule_name;
  values.subject = &subject;
  values.event = &event;
  values.window = calendar::Window{2, calendar::WindowUnit::kWorkdays};
  values.count = 3;
  values.value = 0.75;

  EXPECT_EQ(RenderMessage(*message, values, Locale::kEnglish), "{Rule} L1: ¥1,234.56 in 2 workdays, 3x 0.75");
  EXPECT_EQ(RenderMessage(*message, values, Locale::kChinese), "{规则} L1: ¥1,234.56 in 2 个工作日, 3x 0.75");
}

TEST(MessageTemplate, SubjectFieldsFromRecord) {
  cel::MessageDecl type{"Lead", {{"source", cel::Type::String()}}};
  nlohmann::json fields = {{"source", "展会"}};
  JsonRecord record(&type, &fields);
  SubjectRef subject{"lead", "L1"};
  TemplateValues values;
  values.subject = &subject;
  values.subject_name = "华东机电";
  values.subject_record = &record;

  Result<MessageTemplate> message = MessageTemplate::Parse("{subject.name} 来源 {subject.source}");
  ASSERT_TRUE(message.ok());
  EXPECT_EQ(RenderMessage(*message, values, Locale::kChinese), "华东机电 来源 展会");
  EXPECT_EQ(message->SubjectFields(), std::vector<std::string>{"source"});
}

TEST(MessageTemplate, RejectsMalformed) {
  EXPECT_FALSE(MessageTemplate::Parse("{subject.name").ok());
  EXPECT_FALSE(MessageTemplate::Parse("a } b").ok());
  EXPECT_FALSE(MessageTemplate::Parse("{}").ok());
  Result<MessageTemplate> unknown = MessageTemplate::Parse("{deadlin}");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message_en().find("did you mean 'deadline'?"), std::string::npos)
      << unknown.error().message_en();
}

TEST(MessageTemplate, DescribesWindows) {
  EXPECT_EQ(DescribeWindow({1, calendar::WindowUnit::kHours}, Locale::kEnglish), "1 hour");
  EXPECT_EQ(DescribeWindow({16, calendar::WindowUnit::kWorkHours}, Locale::kChinese), "16 个工作小时");
  EXPECT_EQ(DescribeWindow({30, calendar::WindowUnit::kDays}, Locale::kChinese), "30 天");
}

}  // namespace
}  // namespace salesradar::rules
