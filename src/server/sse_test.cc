#include "server/sse.h"

#include <atomic>

#include <gtest/gtest.h>

#include "server/metrics.h"
#include "server/server_metrics.h"

namespace salesradar::server {
namespace {

SseEvent Event(std::string id, std::string data = "{}") {
  SseEvent event;
  event.event = "alert.created";
  event.id = std::move(id);
  event.data = std::move(data);
  return event;
}

TEST(SseFormatTest, EventFrame) {
  EXPECT_EQ(FormatSseEvent(Event("7", "{\"a\":1}")),
            "event: alert.created\nid: 7\ndata: {\"a\":1}\n\n");
}

TEST(SseFormatTest, MultilineDataAndBareMessage) {
  SseEvent event;
  event.data = "one\ntwo\r\nthree\rfour";
  EXPECT_EQ(FormatSseEvent(event), "data: one\ndata: two\ndata: three\ndata: four\n\n");

  SseEvent empty;
  EXPECT_EQ(FormatSseEvent(empty), "data: \n\n");
}

// A line break in the event name or id would end the field early and inject a new one.
TEST(SseFormatTest, LineBreaksInFieldsAreReplaced) {
  SseEvent event;
  event.event = "a\nb";
  event.id = "1\r2";
  event.data = "x";
  EXPECT_EQ(FormatSseEvent(event), "event: a b\nid: 1 2\ndata: x\n\n");
  EXPECT_EQ(FormatSseComment("beat\nevent: fake"), ": beat event: fake\n\n");
}

TEST(SseHubTest, PublishesToMatchingSubscribers) {
  SseHub hub(8);
  auto all = hub.Subscribe(nullptr, "r1");
  auto only_red = hub.Subscribe(
      [](const SseEvent& event) { return event.attributes.count("level") && event.attributes.at("level") == "red"; },
      "r2");
  EXPECT_EQ(hub.subscriber_count(), 2u);

  SseEvent yellow = Event("1");
  yellow.attributes["level"] = "yellow";
  SseEvent red = Event("2");
  red.attributes["level"] = "red";
  EXPECT_EQ(hub.Publish(yellow), 1u);
  EXPECT_EQ(hub.Publish(red), 2u);

  std::vector<SseEvent> events;
  EXPECT_EQ(all->TakeEvents(events), SseSubscription::State::kOpen);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].id, "1");
  EXPECT_EQ(events[1].id, "2");

  events.clear();
  only_red->TakeEvents(events);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].id, "2");
}

TEST(SseHubTest, WakeupRunsOnPublish) {
  SseHub hub(8);
  auto subscription = hub.Subscribe(nullptr, "r1");
  std::atomic<int> wakeups{0};
  subscription->SetWakeup([&wakeups] { ++wakeups; });

  hub.Publish(Event("1"));
  hub.Publish(Event("2"));
  EXPECT_EQ(wakeups.load(), 2);
  subscription->Close();
  EXPECT_EQ(wakeups.load(), 3);
}

// A subscriber that does not drain its queue is dropped, and its queued events are freed.
TEST(SseHubTest, FullQueueOverflowsAndDrops) {
  MetricsRegistry registry;
  ServerMetrics metrics(registry);
  SseHub hub(2, &metrics);
  auto slow = hub.Subscribe(nullptr, "slow");
  auto fast = hub.Subscribe(nullptr, "fast");

  std::vector<SseEvent> drained;
  for (int i = 0; i < 3; ++i) {
    hub.Publish(Event(std::to_string(i)));
    fast->TakeEvents(drained);
  }
  EXPECT_EQ(drained.size(), 3u);

  std::vector<SseEvent> events;
  EXPECT_EQ(slow->TakeEvents(events), SseSubscription::State::kOverflowed);
  EXPECT_TRUE(events.empty());
  EXPECT_EQ(hub.subscriber_count(), 1u);
  EXPECT_NE(registry.RenderText().find("salesradar_stream_clients_dropped_total 1\n"), std::string::npos);
}

TEST(SseHubTest, ClosedAndDestroyedSubscribersAreForgotten) {
  SseHub hub(4);
  auto closed = hub.Subscribe(nullptr, "a");
  auto destroyed = hub.Subscribe(nullptr, "b");
  auto open = hub.Subscribe(nullptr, "c");
  closed->Close();
  destroyed.reset();

  EXPECT_EQ(hub.subscriber_count(), 1u);
  EXPECT_EQ(hub.Publish(Event("1")), 1u);
}

TEST(SseHubTest, CloseAllEndsEverySubscription) {
  SseHub hub(4);
  auto subscription = hub.Subscribe(nullptr, "a");
  hub.Publish(Event("1"));
  hub.CloseAll();

  std::vector<SseEvent> events;
  EXPECT_EQ(subscription->TakeEvents(events), SseSubscription::State::kClosed);
  EXPECT_EQ(events.size(), 1u) << "events queued before the close are still delivered";

  auto late = hub.Subscribe(nullptr, "late");
  EXPECT_EQ(late->state(), SseSubscription::State::kClosed);
  EXPECT_EQ(hub.subscriber_count(), 0u);
}

TEST(SseHubTest, ThrowingFilterWithholdsEvent) {
  SseHub hub(4);
  auto subscription = hub.Subscribe([](const SseEvent&) -> bool { throw std::runtime_error("bad"); }, "a");
  EXPECT_EQ(hub.Publish(Event("1")), 0u);
  std::vector<SseEvent> events;
  EXPECT_EQ(subscription->TakeEvents(events), SseSubscription::State::kOpen);
  EXPECT_TRUE(events.empty());
}

}  // namespace
}  // namespace salesradar::server
