#include "rules/dedupe_cache.h"

#include <algorithm>
#include <bit>

namespace salesradar::rules {
namespace {

constexpr size_t kMinSlots = 64;

size_t SlotsFor(size_t ids) { return std::bit_ceil(std::max(kMinSlots, 2 * ids)); }

}  // namespace

DedupeCache::DedupeCache(size_t capacity) : capacity_(capacity), slots_(SlotsFor(std::min<size_t>(capacity, 1 << 20))) {}

size_t DedupeCache::Find(std::string_view id, uint64_t hash) const {
  size_t mask = slots_.size() - 1;
  for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    const Slot& entry = slots_[slot];
    if (entry.sequence == 0) return kNone;
    if (entry.hash == hash && IdAt(entry.sequence) == id) return slot;
  }
}

void DedupeCache::Place(uint64_t hash, uint64_t sequence) {
  size_t mask = slots_.size() - 1;
  size_t slot = hash & mask;
  while (slots_[slot].sequence != 0) slot = (slot + 1) & mask;
  slots_[slot] = {hash, sequence};
}

void DedupeCache::Insert(const std::string& id) {
  uint64_t hash = Hash(id);
  if (Find(id, hash) != kNone) return;

  order_.push_back(id);
  if (2 * order_.size() > slots_.size()) Grow();
  Place(hash, first_sequence_ + order_.size() - 1);
  DropOldest();
}

void DedupeCache::Pin(size_t newest) {
  pinned_ = newest;
  DropOldest();
}

void DedupeCache::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  for (const Slot& entry : old) {
    if (entry.sequence != 0) Place(entry.hash, entry.sequence);
  }
}

// Backward-shift deletion: moves later entries of the probe run into the gap, so that lookups
// need no tombstones.
void DedupeCache::EraseSlot(size_t slot) {
  size_t mask = slots_.size() - 1;
  size_t gap = slot;
  for (size_t next = (gap + 1) & mask; slots_[next].sequence != 0; next = (next + 1) & mask) {
    size_t home = slots_[next].hash & mask;
    // The entry at `next` may move to `gap` unless its home lies cyclically in (gap, next].
    bool home_after_gap = gap <= next ? (home > gap && home <= next) : (home > gap || home <= next);
    if (home_after_gap) continue;
    slots_[gap] = slots_[next];
    gap = next;
  }
  slots_[gap] = Slot{};
}

void DedupeCache::DropOldest() {
  while (order_.size() > capacity_ && order_.size() > pinned_) {
    const std::string& oldest = order_.front();
    size_t slot = Find(oldest, Hash(oldest));
    if (slot != kNone) EraseSlot(slot);  // every queued id has a slot, so kNone is not expected
    order_.pop_front();
    ++first_sequence_;
  }
}

}  // namespace salesradar::rules
