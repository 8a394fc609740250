#include "rules/dedupe_cache.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <random>
#include <string>

#include "rules/engine_timers.h"

namespace salesradar::rules {
namespace {

TEST(DedupeCache, ForgetsOldestFirst) {
  DedupeCache cache(2);
  cache.Insert("a");
  cache.Insert("b");
  cache.Insert("a");  // already there: does not refresh or grow
  EXPECT_EQ(cache.size(), 2u);
  cache.Insert("c");
  EXPECT_FALSE(cache.Contains("a"));
  EXPECT_TRUE(cache.Contains("b"));
  EXPECT_TRUE(cache.Contains("c"));
}

TEST(DedupeCache, KeepsPinnedIdsBeyondItsCapacity) {
  // As the engine does: pin the ids of the unwritten batch, the new one included, then insert.
  DedupeCache cache(1);
  cache.Pin(1);
  cache.Insert("a");
  cache.Pin(2);
  cache.Insert("b");
  cache.Pin(3);
  cache.Insert("c");
  EXPECT_TRUE(cache.Contains("a"));
  EXPECT_EQ(cache.size(), 3u);

  cache.Pin(0);  // written: back to the capacity, newest kept
  EXPECT_EQ(cache.size(), 1u);
  EXPECT_FALSE(cache.Contains("b"));
  EXPECT_TRUE(cache.Contains("c"));
}

TEST(DedupeCache, ZeroCapacityKeepsOnlyPinnedIds) {
  DedupeCache cache(0);
  cache.Insert("a");
  EXPECT_FALSE(cache.Contains("a"));
  cache.Pin(1);
  cache.Insert("b");
  EXPECT_TRUE(cache.Contains("b"));
  cache.Pin(0);
  EXPECT_FALSE(cache.Contains("b"));
}

// Many ids through a small cache, with pins that outgrow it, against a plain FIFO model: the
// open-addressing table must find every id the model keeps and none that it dropped.
TEST(DedupeCache, MatchesAFifoModelUnderChurn) {
  const size_t capacity = 100;
  DedupeCache cache(capacity);
  std::deque<std::string> model;
  std::mt19937_64 random(7);
  size_t pinned = 0;

  for (int i = 0; i < 20'000; ++i) {
    std::string id = "e" + std::to_string(random() % 5'000);
    if (std::find(model.begin(), model.end(), id) == model.end()) {
      model.push_back(id);
      if (random() % 50 == 0) pinned = random() % 400;
    }
    cache.Pin(pinned);
    cache.Insert(id);
    while (model.size() > capacity && model.size() > pinned) model.pop_front();

    ASSERT_EQ(cache.size(), model.size()) << "after id " << i;
    if (i % 97 == 0) {
      for (int probe = 0; probe < 5'000; probe += 7) {
        std::string text = "e" + std::to_string(probe);
        bool in_model = std::find(model.begin(), model.end(), text) != model.end();
        ASSERT_EQ(cache.Contains(text), in_model) << text << " after id " << i;
      }
    }
  }
}

TEST(EngineTimers, RearmReplacesAndCancelForgets) {
  Timestamp start = FromUnixMicros(0);
  EngineTimers timers(start, std::chrono::seconds(1));
  RuleSubjectKey key{"p", "r", {"lead", "L1"}};
  std::string a1 = "a1";
  std::string a2 = "a2";
  timers.ArmWindow(&key, FromUnixMicros(5'000'000));
  timers.ArmWindow(&key, FromUnixMicros(9'000'000));
  timers.ArmAlert(&a1, FromUnixMicros(7'000'000));
  timers.ArmAlert(&a2, FromUnixMicros(8'000'000));
  timers.CancelAlert(&a2);
  EXPECT_EQ(timers.size(), 2u);

  EXPECT_FALSE(timers.AdvanceTo(FromUnixMicros(6'000'000)));
  ASSERT_TRUE(timers.AdvanceTo(FromUnixMicros(10'000'000)));
  std::optional<TimerTarget> first = timers.TakeNextReady();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->alert_id, &a1);
  std::optional<TimerTarget> second = timers.TakeNextReady();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->kind, TimerTarget::Kind::kWindowDeadline);
  EXPECT_EQ(second->window, &key);
  EXPECT_FALSE(timers.TakeNextReady().has_value());
  EXPECT_EQ(timers.size(), 0u);
}

// A handler may cancel a timer that is due in the same round: it is not handed out.
TEST(EngineTimers, CancelledReadyTimerIsSkipped) {
  EngineTimers timers(FromUnixMicros(0), std::chrono::seconds(1));
  std::string a1 = "a1";
  std::string a2 = "a2";
  timers.ArmAlert(&a1, FromUnixMicros(2'000'000));
  timers.ArmAlert(&a2, FromUnixMicros(3'000'000));

  ASSERT_TRUE(timers.AdvanceTo(FromUnixMicros(5'000'000)));
  std::optional<TimerTarget> first = timers.TakeNextReady();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->alert_id, &a1);
  timers.CancelAlert(&a2);
  EXPECT_FALSE(timers.TakeNextReady().has_value());
  EXPECT_EQ(timers.size(), 0u);
}

}  // namespace
}  // namespace salesradar::rules
