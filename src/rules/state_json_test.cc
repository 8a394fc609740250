#include "rules/state_json.h"

#include <gtest/gtest.h>

namespace salesradar::rules {
namespace {

Event SampleEvent() {
  Event event;
  event.id = "e/1";
  event.type = "lead_created";
  event.subject = {"lead", "L1"};
  event.actor = "u1";
  event.occurred_at = FromUnixMicros(1'000'001);
  event.received_at = FromUnixMicros(2'000'002);
  event.payload = {{"source", "展会"}, {"total", {{"fen", 5}, {"currency", "CNY"}}}};
  event.origin_rule = "pack/rule";
  event.causation_depth = 2;
  return event;
}

Alert SampleAlert() {
  Alert alert;
  alert.key = {"b2b", "lead/x", 2, {"lead", "L1"}, "e/1"};
  alert.id = alert.key.ToString();
  alert.kind = RuleKind::kAbsence;
  alert.level = Level::kOrange;
  alert.status = AlertStatus::kSnoozed;
  alert.raised_at = FromUnixMicros(10);
  alert.created_at = FromUnixMicros(11);
  alert.level_since = FromUnixMicros(12);
  alert.next_step = 1;
  alert.snoozed_until = FromUnixMicros(13);
  alert.message = {"中文", "English"};
  alert.owner_id = "u1";
  alert.ticket_id = "t";
  alert.refire_count = 3;
  RecordHistory(alert, FromUnixMicros(14), "u1", AlertAction::kSnoozed, "客户出差");
  return alert;
}

TEST(StateJson, EventRoundTrip) {
  Event event = SampleEvent();
  Result<Event> back = EventFromJson(EventToJson(event));
  ASSERT_TRUE(back.ok()) << back.error().message_en();
  EXPECT_EQ(*back, event);
}

TEST(StateJson, WindowAndCounterRoundTrip) {
  WindowState window{{"b2b", "r", {"lead", "L1"}}, 4, SampleEvent(), FromUnixMicros(99), "alert-id"};
  Result<WindowState> window_back = WindowFromJson(WindowToJson(window));
  ASSERT_TRUE(window_back.ok());
  EXPECT_EQ(*window_back, window);

  CounterState counter;
  counter.key = {"b2b", "r", {"rep", "u1"}};
  counter.version = 2;
  counter.events = {{"v1", FromUnixMicros(1), true}, {"v2", FromUnixMicros(2), false}};
  counter.consumed_until = FromUnixMicros(1);
  counter.crossed = true;
  counter.last_value_at = FromUnixMicros(3);
  counter.recent_awaited = {SampleEvent()};
  Result<CounterState> counter_back = CounterFromJson(CounterToJson(counter));
  ASSERT_TRUE(counter_back.ok());
  EXPECT_EQ(*counter_back, counter);
}

TEST(StateJson, AlertTicketAndChangeRoundTrip) {
  Alert alert = SampleAlert();
  Result<Alert> back = AlertFromJson(AlertToJson(alert));
  ASSERT_TRUE(back.ok()) << back.error().message_en();
  EXPECT_EQ(AlertToJson(*back), AlertToJson(alert));
  EXPECT_EQ(back->history.at(0).snoozed_until, FromUnixMicros(13));

  Ticket ticket{"t", "sales_ops", {"lead", "L1"}, alert.id, TicketStatus::kClosed, FromUnixMicros(1), FromUnixMicros(2)};
  Result<Ticket> ticket_back = TicketFromJson(TicketToJson(ticket));
  ASSERT_TRUE(ticket_back.ok());
  EXPECT_EQ(*ticket_back, ticket);

  AlertChange change = MakeChange(alert, {{Recipient::Role::kDepartment, "", "sales_ops"}});
  change.ticket = ticket;
  Result<AlertChange> change_back = AlertChangeFromJson(AlertChangeToJson(change));
  ASSERT_TRUE(change_back.ok());
  EXPECT_EQ(AlertChangeToJson(*change_back), AlertChangeToJson(change));
}

TEST(StateJson, CorruptDataIsDataLoss) {
  nlohmann::json json = AlertToJson(SampleAlert());
  json["level"] = "purple";
  Result<Alert> bad_level = AlertFromJson(json);
  ASSERT_FALSE(bad_level.ok());
  EXPECT_EQ(bad_level.error().code(), ErrorCode::kDataLoss);
  EXPECT_EQ(bad_level.error().message_en(), "stored alert is corrupt: field level has the unknown value 'purple'");

  json.erase("level");
  EXPECT_EQ(AlertFromJson(json).error().code(), ErrorCode::kDataLoss);
}

TEST(AlertKey, EscapesSeparators) {
  AlertKey a{"p", "r", 1, {"lead", "a/b"}, "e"};
  AlertKey b{"p", "r", 1, {"lead/a", "b"}, "e"};
  EXPECT_EQ(a.ToString(), "p/r@1/lead/a%2Fb/e");
  EXPECT_NE(a.ToString(), b.ToString());
}

}  // namespace
}  // namespace salesradar::rules
