#include "rules/timing_wheel.h"

#include <chrono>
#include <map>
#include <random>
#include <unordered_map>
#include <vector>

#include <gtest/gtest.h>

namespace salesradar::rules {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::seconds;

const Timestamp kStart = FromUnixMicros(1'767'225'600'000'000);  // 2026-01-01 00:00:00 UTC

std::vector<TimerId> Ids(const std::vector<ExpiredTimer>& expired) {
  std::vector<TimerId> ids;
  for (const ExpiredTimer& timer : expired) {
    ids.push_back(timer.id);
  }
  return ids;
}

TEST(TimingWheelTest, FiresInDeadlineOrder) {
  TimingWheel wheel(kStart);
  wheel.Arm(3, kStart + seconds(30));
  wheel.Arm(1, kStart + seconds(10));
  wheel.Arm(2, kStart + seconds(20));
  EXPECT_EQ(wheel.size(), 3u);

  EXPECT_TRUE(wheel.Advance(kStart + seconds(9)).empty());
  EXPECT_EQ(Ids(wheel.Advance(kStart + seconds(25))), (std::vector<TimerId>{1, 2}));
  EXPECT_EQ(Ids(wheel.Advance(kStart + hours(1))), (std::vector<TimerId>{3}));
  EXPECT_TRUE(wheel.empty());
}

TEST(TimingWheelTest, ExpiredTimerCarriesDeadline) {
  TimingWheel wheel(kStart);
  Timestamp deadline = kStart + seconds(5) + microseconds(7);
  wheel.Arm(42, deadline);
  std::vector<ExpiredTimer> expired = wheel.Advance(kStart + seconds(6));
  ASSERT_EQ(expired.size(), 1u);
  EXPECT_EQ(expired[0], (ExpiredTimer{42, deadline}));
}

TEST(TimingWheelTest, SubTickPrecision) {
  // Two deadlines inside one 1-second tick: only the one at or before `now` fires.
  TimingWheel wheel(kStart);
  wheel.Arm(1, kStart + seconds(5) + milliseconds(200));
  wheel.Arm(2, kStart + seconds(5) + milliseconds(800));
  EXPECT_EQ(Ids(wheel.Advance(kStart + seconds(5) + milliseconds(200))), (std::vector<TimerId>{1}));
  EXPECT_TRUE(wheel.Advance(kStart + seconds(5) + milliseconds(799)).empty());
  EXPECT_EQ(Ids(wheel.Advance(kStart + seconds(5) + milliseconds(800))), (std::vector<TimerId>{2}));
}

TEST(TimingWheelTest, EqualDeadlinesFireInArmOrder) {
  TimingWheel wheel(kStart);
  Timestamp deadline = kStart + hours(30);
  // Armed at different distances so that they sit on different levels at first.
  wheel.Arm(1, deadline);
  wheel.Advance(deadline - seconds(100));
  wheel.Arm(2, deadline);
  wheel.Advance(deadline - seconds(3));
  wheel.Arm(3, deadline);
  EXPECT_EQ(Ids(wheel.Advance(deadline)), (std::vector<TimerId>{1, 2, 3}));
}

TEST(TimingWheelTest, PastDeadlineFiresOnNextAdvance) {
  TimingWheel wheel(kStart);
  wheel.Advance(kStart + hours(2));
  wheel.Arm(7, kStart + hours(1));
  wheel.Arm(8, kStart - hours(1000));
  wheel.Arm(9, kStart + hours(2));
  EXPECT_EQ(Ids(wheel.Advance(kStart + hours(2))), (std::vector<TimerId>{8, 7, 9}));
}

TEST(TimingWheelTest, CancelIsExactAndIdempotent) {
  TimingWheel wheel(kStart);
  TimerHandle first = wheel.Arm(1, kStart + seconds(10));
  TimerHandle second = wheel.Arm(2, kStart + seconds(10));
  EXPECT_TRUE(wheel.Cancel(first));
  EXPECT_FALSE(wheel.Cancel(first));
  EXPECT_FALSE(wheel.Cancel(TimerHandle{}));
  EXPECT_FALSE(wheel.Cancel(TimerHandle{~uint64_t{0}}));
  EXPECT_EQ(wheel.size(), 1u);
  EXPECT_EQ(Ids(wheel.Advance(kStart + seconds(10))), (std::vector<TimerId>{2}));
  EXPECT_FALSE(wheel.Cancel(second));  // already fired
}

TEST(TimingWheelTest, StaleHandleDoesNotCancelReusedNode) {
  TimingWheel wheel(kStart);
  TimerHandle old_handle = wheel.Arm(1, kStart + seconds(1));
  ASSERT_TRUE(wheel.Cancel(old_handle));
  TimerHandle new_handle = wheel.Arm(2, kStart + seconds(1));  // reuses the freed node
  EXPECT_NE(old_handle, new_handle);
  EXPECT_FALSE(wheel.Cancel(old_handle));
  EXPECT_EQ(Ids(wheel.Advance(kStart + seconds(1))), (std::vector<TimerId>{2}));
}

TEST(TimingWheelTest, FarFutureBeyondTopLevel) {
  // With a 1 µs tick the 7 levels reach 2^42 µs, about 51 days; these deadlines lie beyond.
  TimingWheel wheel(kStart, microseconds(1));
  wheel.Arm(2, kStart + hours(24 * 400));
  wheel.Arm(1, kStart + hours(24 * 100));
  EXPECT_TRUE(wheel.Advance(kStart + hours(24 * 100) - microseconds(1)).empty());
  EXPECT_EQ(Ids(wheel.Advance(kStart + hours(24 * 100))), (std::vector<TimerId>{1}));
  EXPECT_TRUE(wheel.Advance(kStart + hours(24 * 399)).empty());
  EXPECT_EQ(Ids(wheel.Advance(kStart + hours(24 * 401))), (std::vector<TimerId>{2}));
}

TEST(TimingWheelTest, LongJumpIsCheap) {
  // Ten years in one Advance with a 1 ms tick must not step through every tick.
  TimingWheel wheel(kStart, milliseconds(1));
  wheel.Arm(1, kStart + hours(24 * 365 * 10));
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(Ids(wheel.Advance(kStart + hours(24 * 365 * 10))), (std::vector<TimerId>{1}));
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(1));
}

TEST(TimingWheelTest, BackwardNowMovesNothingBack) {
  TimingWheel wheel(kStart);
  wheel.Advance(kStart + seconds(100));
  wheel.Arm(1, kStart + seconds(50));
  wheel.Arm(2, kStart + seconds(150));
  EXPECT_EQ(Ids(wheel.Advance(kStart + seconds(60))), (std::vector<TimerId>{1}));
  EXPECT_TRUE(wheel.Advance(kStart + seconds(60)).empty());
  EXPECT_EQ(Ids(wheel.Advance(kStart + seconds(150))), (std::vector<TimerId>{2}));
}

TEST(TimingWheelTest, CallbackMayArmAgain) {
  TimingWheel wheel(kStart);
  wheel.Arm(1, kStart + seconds(1));
  std::vector<TimerId> fired;
  wheel.Advance(kStart + seconds(1), [&](const ExpiredTimer& timer) {
    fired.push_back(timer.id);
    wheel.Arm(timer.id + 1, timer.deadline + seconds(1));
  });
  EXPECT_EQ(fired, (std::vector<TimerId>{1}));
  EXPECT_EQ(Ids(wheel.Advance(kStart + seconds(2))), (std::vector<TimerId>{2}));
}

TEST(TimingWheelTest, NextEventTime) {
  TimingWheel wheel(kStart);
  EXPECT_FALSE(wheel.NextEventTime().has_value());

  wheel.Arm(1, kStart + seconds(10) + milliseconds(500));
  std::optional<Timestamp> next = wheel.NextEventTime();
  ASSERT_TRUE(next.has_value());
  EXPECT_LE(*next, kStart + seconds(10) + milliseconds(500));
  EXPECT_TRUE(wheel.Advance(*next - microseconds(1)).empty());

  // Once the deadline's tick is current, the result is the deadline itself.
  wheel.Advance(kStart + seconds(10));
  EXPECT_EQ(wheel.NextEventTime(), kStart + seconds(10) + milliseconds(500));
}

TEST(TimingWheelTest, NodesAre32BytesAndReused) {
  TimingWheel wheel(kStart);
  size_t empty_bytes = wheel.MemoryBytes();
  std::vector<TimerHandle> handles;
  for (TimerId id = 0; id < 200'000; ++id) {
    handles.push_back(wheel.Arm(id, kStart + seconds(static_cast<int64_t>(id % 5000))));
  }
  size_t full_bytes = wheel.MemoryBytes();
  EXPECT_LE(full_bytes - empty_bytes, 200'000u * 33);

  for (TimerHandle handle : handles) {
    ASSERT_TRUE(wheel.Cancel(handle));
  }
  for (TimerId id = 0; id < 200'000; ++id) {
    wheel.Arm(id, kStart + seconds(1));
  }
  EXPECT_EQ(wheel.MemoryBytes(), full_bytes);
}

// The reference: a multimap ordered by deadline keeps equal deadlines in insertion order, which
// is the wheel's arm order.
class ReferenceTimers {
 public:
  void Arm(uint64_t key, TimerId id, Timestamp deadline) {
    entries_[key] = timers_.emplace(deadline, id);
  }
  bool Cancel(uint64_t key) {
    auto found = entries_.find(key);
    if (found == entries_.end()) {
      return false;
    }
    timers_.erase(found->second);
    entries_.erase(found);
    return true;
  }
  std::vector<ExpiredTimer> Advance(Timestamp now, std::unordered_map<TimerId, uint64_t>& key_of_id) {
    std::vector<ExpiredTimer> expired;
    while (!timers_.empty() && timers_.begin()->first <= now) {
      expired.push_back({timers_.begin()->second, timers_.begin()->first});
      entries_.erase(key_of_id[timers_.begin()->second]);
      timers_.erase(timers_.begin());
    }
    return expired;
  }
  size_t size() const { return timers_.size(); }

 private:
  std::multimap<Timestamp, TimerId> timers_;
  std::unordered_map<uint64_t, std::multimap<Timestamp, TimerId>::iterator> entries_;
};

// Returns a deadline relative to `now` from a mix of distances: past, same tick, near, hours,
// months, and beyond the top level.
Timestamp RandomDeadline(std::mt19937_64& random, Timestamp now, Microseconds tick) {
  std::uniform_int_distribution<int> kind(0, 9);
  switch (kind(random)) {
    case 0: return now - Microseconds(std::uniform_int_distribution<int64_t>(0, 100 * tick.count())(random));
    case 1: return now + Microseconds(std::uniform_int_distribution<int64_t>(0, tick.count())(random));
    case 2:
    case 3: return now + Microseconds(std::uniform_int_distribution<int64_t>(0, 64 * tick.count())(random));
    case 4:
    case 5: return now + Microseconds(std::uniform_int_distribution<int64_t>(0, 5000 * tick.count())(random));
    case 6: return now + Microseconds(std::uniform_int_distribution<int64_t>(0, 300'000 * tick.count())(random));
    case 7: return now + Microseconds(std::uniform_int_distribution<int64_t>(0, int64_t{1} << 40)(random));
    case 8: return now + Microseconds(std::uniform_int_distribution<int64_t>(0, int64_t{1} << 50)(random));
    default: return now + Microseconds(std::uniform_int_distribution<int64_t>(0, 20 * tick.count())(random) / 7 * 7);
  }
}

void CompareWithReference(Microseconds tick, uint64_t seed) {
  std::mt19937_64 random(seed);
  TimingWheel wheel(kStart, tick);
  ReferenceTimers reference;
  std::unordered_map<uint64_t, TimerHandle> handles;  // by key, for timers still pending
  std::unordered_map<TimerId, uint64_t> key_of_id;
  Timestamp now = kStart;
  uint64_t armed = 0;
  size_t fired = 0;

  while (armed < 100'000) {
    int action = std::uniform_int_distribution<int>(0, 99)(random);
    if (action < 60) {
      uint64_t key = armed++;
      TimerId id = key * 3 + 1;
      Timestamp deadline = RandomDeadline(random, now, tick);
      handles[key] = wheel.Arm(id, deadline);
      reference.Arm(key, id, deadline);
      key_of_id[id] = key;
    } else if (action < 80 && armed > 0) {
      uint64_t key = std::uniform_int_distribution<uint64_t>(0, armed - 1)(random);
      auto handle = handles.find(key);
      bool wheel_cancelled = handle != handles.end() && wheel.Cancel(handle->second);
      ASSERT_EQ(wheel_cancelled, reference.Cancel(key)) << "key " << key;
      if (handle != handles.end()) {
        handles.erase(handle);
      }
    } else {
      // Steps from nothing to far jumps, sometimes backwards.
      int64_t scale = int64_t{1} << std::uniform_int_distribution<int>(0, 44)(random);
      int64_t step = std::uniform_int_distribution<int64_t>(-scale / 8, scale)(random);
      now += Microseconds(step);
      std::vector<ExpiredTimer> expected = reference.Advance(now, key_of_id);
      std::vector<ExpiredTimer> actual = wheel.Advance(now);
      ASSERT_EQ(actual, expected) << "at step to " << ToUnixMicros(now);
      for (const ExpiredTimer& timer : actual) {
        handles.erase(key_of_id[timer.id]);
      }
      fired += actual.size();
      ASSERT_EQ(wheel.size(), reference.size());
    }
  }

  // Drain everything, including deadlines beyond the top level.
  now += Microseconds(int64_t{1} << 52);
  std::vector<ExpiredTimer> expected = reference.Advance(now, key_of_id);
  ASSERT_EQ(wheel.Advance(now), expected);
  EXPECT_TRUE(wheel.empty());
  EXPECT_GT(fired + expected.size(), 10'000u);
}

TEST(TimingWheelTest, MatchesMultimapWithOneSecondTick) { CompareWithReference(seconds(1), 1); }

TEST(TimingWheelTest, MatchesMultimapWithOneMillisecondTick) { CompareWithReference(milliseconds(1), 2); }

TEST(TimingWheelTest, MatchesMultimapWithOneMicrosecondTick) { CompareWithReference(microseconds(1), 3); }

}  // namespace
}  // namespace salesradar::rules
