#include "rules/timing_wheel.h"

#include <algorithm>
#include <bit>
#include <cassert>
#include <limits>

namespace salesradar::rules {
namespace {

int64_t FloorDiv(int64_t value, int64_t divisor) {
  int64_t quotient = value / divisor;
  if ((value % divisor != 0) && ((value < 0) != (divisor < 0))) {
    --quotient;
  }
  return quotient;
}

uint32_t SentinelOf(int level, uint64_t slot) { return static_cast<uint32_t>(level * TimingWheel::kSlots + slot); }

// Returns how many positions after bit `start` (wrapping round) the first set bit of `bits` is,
// or 64 when no bit is set.
int FirstSetFrom(uint64_t bits, unsigned start) {
  if (bits == 0) {
    return 64;
  }
  return std::countr_zero(std::rotr(bits, static_cast<int>(start)));
}

}  // namespace

TimingWheel::TimingWheel(Timestamp start, Microseconds tick) : tick_micros_(tick.count()) {
  assert(tick_micros_ > 0);
  origin_tick_ = FloorDiv(ToUnixMicros(start), tick_micros_);

  // The slot list heads are the first nodes of the slab, each an empty circular list.
  for (uint32_t i = 0; i < kSentinels; ++i) {
    uint32_t index = AllocateNode();
    Node& sentinel = At(index);
    sentinel = Node{0, 0, 0, index, index};
  }
}

uint32_t TimingWheel::AllocateNode() {
  if (free_head_ != kFreeMark) {
    uint32_t index = free_head_;
    free_head_ = At(index).next;
    return index;
  }

  assert(allocated_ < kFreeMark && "more than 2^32 - 1 timer nodes");
  if ((allocated_ & (kChunkNodes - 1)) == 0) {
    // for_overwrite leaves the nodes uninitialised, so untouched pages cost no memory.
    chunks_.push_back(std::make_unique_for_overwrite<Node[]>(kChunkNodes));
  }
  return allocated_++;
}

void TimingWheel::FreeNode(uint32_t index) {
  Node& node = At(index);
  node.prev = kFreeMark;
  node.next = free_head_;
  free_head_ = index;
}

uint64_t TimingWheel::TickOf(int64_t deadline_micros) const {
  int64_t relative = FloorDiv(deadline_micros, tick_micros_) - origin_tick_;
  if (relative < 0 || static_cast<uint64_t>(relative) < current_) {
    return current_;
  }
  return static_cast<uint64_t>(relative);
}

void TimingWheel::Place(uint32_t index) {
  Node& node = At(index);
  uint64_t due = TickOf(node.deadline_micros);
  uint64_t delta = due - current_;

  // The level is the number of whole 6-bit digits above the lowest in `delta`.
  int level = delta == 0 ? 0 : static_cast<int>((std::bit_width(delta) - 1) / kSlotBits);
  uint64_t slot;
  if (level < kLevels) {
    slot = (due >> (kSlotBits * level)) & (kSlots - 1);
  } else {
    // Beyond the top level's reach: wait in the slot the top level handles last, then re-place.
    level = kLevels - 1;
    slot = ((current_ >> (kSlotBits * level)) + kSlots) & (kSlots - 1);
  }

  uint32_t sentinel_index = SentinelOf(level, slot);
  Node& sentinel = At(sentinel_index);
  node.next = sentinel_index;
  node.prev = sentinel.prev;
  At(sentinel.prev).next = index;
  sentinel.prev = index;
  occupied_[level] |= uint64_t{1} << slot;
}

void TimingWheel::Unlink(uint32_t index) {
  Node& node = At(index);
  At(node.prev).next = node.next;
  At(node.next).prev = node.prev;

  // Neighbours that are one and the same sentinel mean the slot is now empty.
  if (node.prev == node.next && node.prev < kSentinels) {
    occupied_[node.prev / kSlots] &= ~(uint64_t{1} << (node.prev % kSlots));
  }
}

TimerHandle TimingWheel::Arm(TimerId id, Timestamp deadline) {
  uint32_t index = AllocateNode();
  uint64_t sequence = next_sequence_++;
  Node& node = At(index);
  node.id = id;
  node.deadline_micros = ToUnixMicros(deadline);
  node.sequence = sequence;
  Place(index);
  ++pending_;
  return TimerHandle{(uint64_t{index} << 32) | (sequence & 0xFFFFFFFFu)};
}

bool TimingWheel::Cancel(TimerHandle handle) {
  uint64_t index64 = handle.value >> 32;
  if (index64 < kSentinels || index64 >= allocated_) {
    return false;
  }

  uint32_t index = static_cast<uint32_t>(index64);
  const Node& node = At(index);
  bool armed = node.prev != kFreeMark;
  if (!armed || (node.sequence & 0xFFFFFFFFu) != (handle.value & 0xFFFFFFFFu)) {
    return false;
  }

  Unlink(index);
  FreeNode(index);
  --pending_;
  return true;
}

uint64_t TimingWheel::NextWorkTick() const {
  uint64_t next = std::numeric_limits<uint64_t>::max();

  // Level 0 contains the timers due within the next 64 ticks. Its current slot was handled already.
  int offset = FirstSetFrom(occupied_[0], static_cast<unsigned>((current_ + 1) & (kSlots - 1)));
  if (offset < kSlots) {
    next = current_ + 1 + static_cast<uint64_t>(offset);
  }

  // On level L a slot contains the timers of one turn of level L-1. They move down when that turn starts.
  for (int level = 1; level < kLevels; ++level) {
    uint64_t turn = current_ >> (kSlotBits * level);
    offset = FirstSetFrom(occupied_[level], static_cast<unsigned>((turn + 1) & (kSlots - 1)));
    if (offset < kSlots) {
      uint64_t turn_start = (turn + 1 + static_cast<uint64_t>(offset)) << (kSlotBits * level);
      next = std::min(next, turn_start);
    }
  }
  return next;
}

void TimingWheel::Cascade(int level) {
  uint64_t slot = (current_ >> (kSlotBits * level)) & (kSlots - 1);
  uint32_t sentinel_index = SentinelOf(level, slot);

  // Detach the whole list first: Place may append to other slots but never to this one.
  uint32_t index = At(sentinel_index).next;
  At(sentinel_index).next = sentinel_index;
  At(sentinel_index).prev = sentinel_index;
  occupied_[level] &= ~(uint64_t{1} << slot);

  while (index != sentinel_index) {
    uint32_t next = At(index).next;
    Place(index);
    index = next;
  }
}

void TimingWheel::FireCurrentSlot(int64_t now_micros, bool all, std::vector<ExpiredTimer>* expired) {
  uint32_t sentinel_index = SentinelOf(0, current_ & (kSlots - 1));
  batch_.clear();

  uint32_t index = At(sentinel_index).next;
  while (index != sentinel_index) {
    uint32_t next = At(index).next;
    const Node& node = At(index);
    if (all || node.deadline_micros <= now_micros) {
      batch_.push_back(node);
      Unlink(index);
      FreeNode(index);
      --pending_;
    }
    index = next;
  }

  std::sort(batch_.begin(), batch_.end(), [](const Node& a, const Node& b) {
    return a.deadline_micros != b.deadline_micros ? a.deadline_micros < b.deadline_micros
                                                  : a.sequence < b.sequence;
  });
  for (const Node& node : batch_) {
    expired->push_back(ExpiredTimer{node.id, FromUnixMicros(node.deadline_micros)});
  }
}

void TimingWheel::Advance(Timestamp now, std::vector<ExpiredTimer>* expired) {
  int64_t now_micros = ToUnixMicros(now);
  int64_t now_tick = FloorDiv(now_micros, tick_micros_) - origin_tick_;
  uint64_t target = now_tick > 0 ? std::max(current_, static_cast<uint64_t>(now_tick)) : current_;

  while (true) {
    FireCurrentSlot(now_micros, current_ < target, expired);
    if (current_ >= target) {
      return;
    }

    // Jump over ticks in which no level has work.
    uint64_t next = NextWorkTick();
    if (next > target) {
      current_ = target;
      return;
    }
    current_ = next;

    for (int level = kLevels - 1; level >= 1; --level) {
      uint64_t turn_mask = (uint64_t{1} << (kSlotBits * level)) - 1;
      uint64_t slot = (current_ >> (kSlotBits * level)) & (kSlots - 1);
      bool turn_starts = (current_ & turn_mask) == 0;
      if (turn_starts && (occupied_[level] & (uint64_t{1} << slot)) != 0) {
        Cascade(level);
      }
    }
  }
}

std::vector<ExpiredTimer> TimingWheel::Advance(Timestamp now) {
  std::vector<ExpiredTimer> expired;
  Advance(now, &expired);
  return expired;
}

std::optional<Timestamp> TimingWheel::NextEventTime() const {
  if (pending_ == 0) {
    return std::nullopt;
  }

  // Timers in the current tick are due at their own deadlines.
  std::optional<int64_t> earliest;
  uint32_t sentinel_index = SentinelOf(0, current_ & (kSlots - 1));
  for (uint32_t index = At(sentinel_index).next; index != sentinel_index; index = At(index).next) {
    int64_t deadline = At(index).deadline_micros;
    earliest = earliest.has_value() ? std::min(*earliest, deadline) : deadline;
  }
  if (earliest.has_value()) {
    return FromUnixMicros(*earliest);
  }

  uint64_t next = NextWorkTick();
  int64_t absolute_tick = origin_tick_ + static_cast<int64_t>(next);
  return FromUnixMicros(absolute_tick * tick_micros_);
}

size_t TimingWheel::MemoryBytes() const {
  return chunks_.size() * kChunkNodes * sizeof(Node) + chunks_.capacity() * sizeof(chunks_[0]) +
         batch_.capacity() * sizeof(Node);
}

}  // namespace salesradar::rules
