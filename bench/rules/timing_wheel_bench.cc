// Measures arm, cancel and advance time per timer and heap bytes per timer with 10,000,000 pending
// timers. The hierarchical timing wheel runs against a baseline: a std::multimap ordered by
// deadline plus a hash map from timer id to the multimap entry, the usual way to cancel by id.
//
// Deadlines are uniform over the 24 hours after the start, in microseconds; the wheel ticks
// every second. Each benchmark builds its own 10,000,000 pending timers before timing starts.
#include <malloc.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <unordered_map>
#include <vector>

#include <benchmark/benchmark.h>

#include "rules/timing_wheel.h"

namespace salesradar::rules {
namespace {

constexpr int64_t kPendingTimers = 10'000'000;
constexpr int64_t kOperations = 1'000'000;
constexpr int64_t kSpanMicros = int64_t{24} * 3600 * 1'000'000;
const Timestamp kStart = FromUnixMicros(1'767'225'600'000'000);  // 2026-01-01 00:00:00 UTC

class WheelTimers {
 public:
  using Handle = TimerHandle;

  Handle Arm(TimerId id, Timestamp deadline) { return wheel_.Arm(id, deadline); }
  bool Cancel(Handle handle) { return wheel_.Cancel(handle); }
  size_t Advance(Timestamp now) {
    expired_.clear();
    wheel_.Advance(now, &expired_);
    return expired_.size();
  }

 private:
  TimingWheel wheel_{kStart, std::chrono::seconds(1)};
  std::vector<ExpiredTimer> expired_;
};

class MultimapTimers {
 public:
  using Handle = TimerId;

  // Reserved up front so that no rehash of 10 million entries lands inside a timed loop.
  MultimapTimers() { by_id_.reserve(kPendingTimers + kOperations); }

  Handle Arm(TimerId id, Timestamp deadline) {
    by_id_.emplace(id, timers_.emplace(deadline, id));
    return id;
  }
  bool Cancel(Handle id) {
    auto found = by_id_.find(id);
    if (found == by_id_.end()) {
      return false;
    }
    timers_.erase(found->second);
    by_id_.erase(found);
    return true;
  }
  size_t Advance(Timestamp now) {
    size_t fired = 0;
    while (!timers_.empty() && timers_.begin()->first <= now) {
      by_id_.erase(timers_.begin()->second);
      timers_.erase(timers_.begin());
      ++fired;
    }
    return fired;
  }

 private:
  std::multimap<Timestamp, TimerId> timers_;
  std::unordered_map<TimerId, std::multimap<Timestamp, TimerId>::iterator> by_id_;
};

Timestamp RandomDeadline(std::mt19937_64& random) {
  return kStart + Microseconds(std::uniform_int_distribution<int64_t>(0, kSpanMicros - 1)(random));
}

// Returns heap bytes in use, mmap-ed blocks included (glibc).
size_t HeapBytes() {
  struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
}

template <typename Timers>
void FillPending(Timers& timers, std::mt19937_64& random) {
  for (int64_t id = 0; id < kPendingTimers; ++id) {
    timers.Arm(static_cast<TimerId>(id), RandomDeadline(random));
  }
}

template <typename Timers>
void BM_Arm(benchmark::State& state) {
  std::mt19937_64 random(1);
  auto timers = std::make_unique<Timers>();
  FillPending(*timers, random);

  TimerId id = kPendingTimers;
  for (auto _ : state) {
    benchmark::DoNotOptimize(timers->Arm(id++, RandomDeadline(random)));
  }
  state.counters["time_per_timer"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

template <typename Timers>
void BM_Cancel(benchmark::State& state) {
  std::mt19937_64 random(2);
  auto timers = std::make_unique<Timers>();
  FillPending(*timers, random);
  std::vector<typename Timers::Handle> handles;
  for (int64_t i = 0; i < kOperations; ++i) {
    handles.push_back(timers->Arm(static_cast<TimerId>(kPendingTimers + i), RandomDeadline(random)));
  }
  std::shuffle(handles.begin(), handles.end(), random);

  size_t next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(timers->Cancel(handles[next++]));
  }
  state.counters["time_per_timer"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// Advances in 1-second steps through the first 6 hours, firing about a quarter of the timers.
template <typename Timers>
void BM_Advance(benchmark::State& state) {
  std::mt19937_64 random(3);
  auto timers = std::make_unique<Timers>();
  FillPending(*timers, random);

  Timestamp now = kStart;
  size_t fired = 0;
  for (auto _ : state) {
    now += std::chrono::seconds(1);
    fired += timers->Advance(now);
  }
  state.counters["fired"] = static_cast<double>(fired);
  state.counters["time_per_timer"] =
      benchmark::Counter(static_cast<double>(fired), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

template <typename Timers>
void BM_Memory(benchmark::State& state) {
  for (auto _ : state) {
    size_t before = HeapBytes();
    std::mt19937_64 random(4);
    auto timers = std::make_unique<Timers>();
    FillPending(*timers, random);
    size_t after = HeapBytes();
    state.counters["bytes_per_timer"] = static_cast<double>(after - before) / kPendingTimers;
  }
}

BENCHMARK(BM_Arm<WheelTimers>)->Name("Arm/wheel")->Iterations(kOperations)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Arm<MultimapTimers>)->Name("Arm/multimap")->Iterations(kOperations)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Cancel<WheelTimers>)->Name("Cancel/wheel")->Iterations(kOperations)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Cancel<MultimapTimers>)->Name("Cancel/multimap")->Iterations(kOperations)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Advance<WheelTimers>)->Name("Advance/wheel")->Iterations(6 * 3600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Advance<MultimapTimers>)->Name("Advance/multimap")->Iterations(6 * 3600)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Memory<WheelTimers>)->Name("Memory/wheel")->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Memory<MultimapTimers>)->Name("Memory/multimap")->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace salesradar::rules

BENCHMARK_MAIN();
