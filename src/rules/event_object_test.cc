#include "rules/event_object.h"

#include <gtest/gtest.h>

#include "cel/program.h"
#include "rules/json_value.h"

namespace salesradar::rules {
namespace {

class EventObjectTest : public ::testing::Test {
 protected:
  EventObjectTest() {
    env_.DeclareMessage(EventMessageDecl());
    env_.DeclareVariable("event", cel::Type::Message("Event"));
    event_.id = "e1";
    event_.type = "quote_sent";
    event_.subject = {"opportunity", "O1"};
    event_.actor = "u1";
    event_.occurred_at = FromUnixMicros(1'700'000'000'500'000);
    event_.payload = {{"total", {{"fen", 60000000}, {"currency", "CNY"}}},
                      {"attachments", {{{"kind", "price_sheet"}}, {{"kind", "compliance_statement"}}}},
                      {"notes", ""},
                      {"big", 18446744073709551615ull},
                      {"ratio", 0.25}};
  }

  cel::Value Eval(const std::string& source) {
    Result<cel::Program> program = cel::Compile(env_, source);
    if (!program.ok()) {
      ADD_FAILURE() << program.error().message_en();
      return cel::Value::Error("compile failed");
    }
    programs_.push_back(std::make_unique<cel::Program>(std::move(program).value()));
    cel::MapActivation activation;
    activation.Bind("event", cel::Value::Object(&object_));
    return programs_.back()->Evaluate(activation, arena_);
  }

  bool True(const std::string& source) {
    cel::Value value = Eval(source);
    if (value.kind() != cel::ValueKind::kBool) {
      ADD_FAILURE() << source << " gave " << cel::DebugString(value);
      return false;
    }
    return value.bool_value();
  }

  cel::Env env_ = cel::Env::Standard();
  Event event_;
  EventObject object_{&event_};
  cel::Arena arena_;
  std::vector<std::unique_ptr<cel::Program>> programs_;
};

TEST_F(EventObjectTest, ReadsFields) {
  EXPECT_TRUE(True("event.type == 'quote_sent' && event.subject_type == 'opportunity' && event.subject_id == 'O1'"));
  EXPECT_TRUE(True("event.actor == 'u1' && event.causation_depth == 0 && !has(event.origin_rule)"));
  EXPECT_TRUE(True("event.occurred_at == timestamp('2023-11-14T22:13:20.5Z')"));
}

TEST_F(EventObjectTest, PayloadMoneyListsAndNumbers) {
  EXPECT_TRUE(True("event.payload.total > money(50000000, 'CNY')"));
  EXPECT_TRUE(True("event.payload.total * 100 < money(10000000000, 'CNY')"));
  EXPECT_TRUE(True("event.payload.attachments.exists(a, a.kind == 'compliance_statement')"));
  EXPECT_TRUE(True("'notes' in event.payload && event.payload.notes.trim() == ''"));
  EXPECT_TRUE(True("event.payload.big == 18446744073709551615u"));
  EXPECT_TRUE(True("event.payload.ratio < 0.3"));
  EXPECT_FALSE(True("'missing' in event.payload"));
}

TEST_F(EventObjectTest, MissingPayloadKeyIsAnError) {
  EXPECT_TRUE(Eval("event.payload.missing == 1").is_error());
}

TEST(JsonRecord, ReadsDeclaredFieldsByType) {
  cel::MessageDecl type{"Contract",
                        {{"signed_at", cel::Type::Timestamp()}, {"name", cel::Type::String()}, {"bad_time", cel::Type::Timestamp()}}};
  nlohmann::json fields = {{"signed_at", "2026-02-13T17:00:00+08:00"}, {"bad_time", "yesterday"}};
  JsonRecord record(&type, &fields);
  cel::Arena arena;

  std::optional<cel::Value> signed_at = record.Field("signed_at", arena);
  ASSERT_TRUE(signed_at.has_value());
  ASSERT_EQ(signed_at->kind(), cel::ValueKind::kTimestamp);
  EXPECT_EQ(signed_at->timestamp().seconds, 1770973200);
  EXPECT_TRUE(record.Field("name", arena)->is_null());
  EXPECT_FALSE(record.HasField("name"));
  EXPECT_TRUE(record.Field("bad_time", arena)->is_error());
  EXPECT_FALSE(record.Field("undeclared", arena).has_value());
}

TEST(Event, Validation) {
  Event event;
  event.id = "e1";
  event.type = "t";
  event.subject = {"lead", "L1"};
  EXPECT_TRUE(ValidateEvent(event).ok());

  event.payload = nlohmann::json::array();
  Status status = ValidateEvent(event);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message_en(), "event 'e1': payload must be a JSON object, not array");

  event.payload = nlohmann::json::object();
  event.subject.id.clear();
  EXPECT_EQ(ValidateEvent(event).error().message_en(), "event 'e1': field subject_id is missing; set it and submit again");
}

}  // namespace
}  // namespace salesradar::rules
