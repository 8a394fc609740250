// A hierarchical timing wheel for absence-window deadlines: millions of pending timers, O(1) arm
// and cancel, and expiry in deadline order.
//
// Time is cut into ticks of a configurable length (1 s by default). Level 0 has 64 slots of one
// tick each. Each level above has 64 slots, and each of its slots spans a whole turn of the level
// below. So 7 levels cover 2^42 ticks: about 139,000 years at 1 s, 139 years at 1 ms, 51 days at 1 µs.
// A deadline beyond that waits in the top level and is placed again each time the top level
// turns. Deadlines keep their full microsecond precision: Advance(now) returns exactly the timers
// whose deadline is at or before `now`, never a timer that is due later in the same tick.
//
// Timers live in a slab of 32-byte nodes, allocated in chunks of 65,536, linked into per-slot
// intrusive doubly linked lists by 32-bit indices. Freed nodes are reused; the slab never
// shrinks.
//
// Thread-safety: not thread-safe. One owner (a rules-engine partition) calls every method; other
// threads must not call any method, const ones included, at the same time.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "common/clock.h"

namespace salesradar::rules {

using TimerId = uint64_t;

// Identifies one armed timer for Cancel. A handle stays harmless after its timer fired or was
// cancelled: Cancel returns false for it.
// NOTE: the handle carries the low 32 bits of the arm sequence, so a handle kept across 2^32
// later arms could match a node reused by exactly such an arm and cancel the wrong timer.
struct TimerHandle {
  uint64_t value = 0;  // 0 is never a valid handle

  friend bool operator==(TimerHandle, TimerHandle) = default;
};

struct ExpiredTimer {
  TimerId id = 0;
  Timestamp deadline;

  friend bool operator==(const ExpiredTimer&, const ExpiredTimer&) = default;
};

class TimingWheel {
 public:
  static constexpr int kLevels = 7;
  static constexpr int kSlotBits = 6;
  static constexpr int kSlots = 1 << kSlotBits;

  // Starts the wheel at `start`. REQUIRES: tick > 0.
  explicit TimingWheel(Timestamp start, Microseconds tick = std::chrono::seconds(1));

  TimingWheel(const TimingWheel&) = delete;
  TimingWheel& operator=(const TimingWheel&) = delete;

  // Arms a timer that fires at `deadline`. The same id may be armed several times; each arm is
  // its own timer. A deadline at or before the wheel's time fires on the next Advance. O(1).
  // REQUIRES: fewer than about 4.29 billion timers pending.
  TimerHandle Arm(TimerId id, Timestamp deadline);

  // Cancels the timer of `handle`. Returns false when it already fired, was cancelled, or the
  // handle never came from this wheel. O(1).
  bool Cancel(TimerHandle handle);

  // Moves the wheel to `now` and appends every timer whose deadline is at or before `now` to
  // `expired`, ordered by deadline and, for equal deadlines, by arm order. Expired timers are
  // removed before this returns. A `now` earlier than a previous one moves nothing back but still
  // fires the pending timers due by `now`.
  void Advance(Timestamp now, std::vector<ExpiredTimer>* expired);

  // As above, returning the expired timers.
  std::vector<ExpiredTimer> Advance(Timestamp now);

  // As above, calling `on_expired(const ExpiredTimer&)` for each, in order. The callback runs
  // after the wheel is consistent again, so it may Arm and Cancel.
  template <typename Callback>
  void Advance(Timestamp now, Callback&& on_expired) {
    std::vector<ExpiredTimer> expired;
    Advance(now, &expired);
    for (const ExpiredTimer& timer : expired) {
      on_expired(timer);
    }
  }

  // Returns a time before which Advance fires nothing, or nullopt when no timer is pending.
  // It is exact for timers due in the current tick and otherwise the start of the next tick in
  // which the wheel has work (a timer due or a slot to spread to the level below).
  std::optional<Timestamp> NextEventTime() const;

  size_t size() const { return pending_; }
  bool empty() const { return pending_ == 0; }
  Microseconds tick() const { return Microseconds(tick_micros_); }

  // Returns the bytes the wheel uses for its node slab, chunk table and scratch space.
  size_t MemoryBytes() const;

 private:
  // A timer, a free slab entry, or the list head of a slot (a sentinel).
  struct Node {
    TimerId id;
    int64_t deadline_micros;
    uint64_t sequence;  // arm order; its low 32 bits are part of the handle
    uint32_t next;
    uint32_t prev;  // kFreeMark while on the free list
  };
  static_assert(sizeof(Node) == 32);

  static constexpr uint32_t kFreeMark = 0xFFFFFFFFu;
  static constexpr int kChunkBits = 16;
  static constexpr uint32_t kChunkNodes = 1u << kChunkBits;
  static constexpr uint32_t kSentinels = kLevels * kSlots;

  Node& At(uint32_t index) { return chunks_[index >> kChunkBits][index & (kChunkNodes - 1)]; }
  const Node& At(uint32_t index) const { return chunks_[index >> kChunkBits][index & (kChunkNodes - 1)]; }

  uint32_t AllocateNode();
  void FreeNode(uint32_t index);

  // Returns the tick of `deadline_micros` relative to the start, never before the current tick.
  uint64_t TickOf(int64_t deadline_micros) const;

  // Links node `index` into the slot for its deadline, at the tail.
  void Place(uint32_t index);
  void Unlink(uint32_t index);

  // Returns the first tick after the current one at which a level has a slot to handle, or
  // UINT64_MAX when every level is empty.
  uint64_t NextWorkTick() const;

  // Moves the current slot of `level` (at least 1) down to the levels below.
  void Cascade(int level);

  // Removes from the current level-0 slot the timers due by `now_micros` (all of them when
  // `all`), appending them to `expired` in deadline order.
  void FireCurrentSlot(int64_t now_micros, bool all, std::vector<ExpiredTimer>* expired);

  int64_t tick_micros_;
  int64_t origin_tick_;    // absolute tick of the start
  uint64_t current_ = 0;   // ticks since the start; every earlier tick has been handled
  uint64_t next_sequence_ = 1;
  size_t pending_ = 0;
  std::array<uint64_t, kLevels> occupied_{};  // bit s of level L: slot s is not empty
  std::vector<std::unique_ptr<Node[]>> chunks_;
  uint32_t allocated_ = 0;  // nodes handed out from the slab so far, sentinels included
  uint32_t free_head_ = kFreeMark;
  std::vector<Node> batch_;  // scratch space for sorting one slot's expired timers
};

}  // namespace salesradar::rules
