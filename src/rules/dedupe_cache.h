// The most recent event ids, to recognise duplicates without asking the store for each event.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace salesradar::rules {

// Hashes strings and string views alike, so that sets of ids can be searched without a copy.
struct TextHash {
  using is_transparent = void;
  size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
};

// A set of ids searchable by std::string_view.
using IdSet = std::unordered_set<std::string, TextHash, std::equal_to<>>;

// Keeps up to `capacity` ids and drops the oldest first, except that the newest `pinned` ids
// stay whatever the capacity (the engine pins the ids of its unwritten batch, which the store
// cannot recognise yet). Each id is stored once. Not thread-safe.
//
// The ids live in a FIFO queue, and an open-addressing table of their hashes and queue positions
// finds them. The table is one flat array, so that a lookup or the removal of the oldest id
// touches a cache line or two rather than a chain of hash nodes.
class DedupeCache {
 public:
  explicit DedupeCache(size_t capacity);

  bool Contains(std::string_view id) const { return Find(id, Hash(id)) != kNone; }

  void Insert(const std::string& id);

  // Keeps the newest `newest` ids from being dropped, until pinned again with fewer.
  void Pin(size_t newest);

  size_t size() const { return order_.size(); }

 private:
  struct Slot {
    uint64_t hash = 0;
    uint64_t sequence = 0;  // 0 when empty, else the id's insertion number (1 for the first)
  };
  static constexpr size_t kNone = SIZE_MAX;

  static uint64_t Hash(std::string_view id) { return std::hash<std::string_view>{}(id); }
  const std::string& IdAt(uint64_t sequence) const { return order_[sequence - first_sequence_]; }

  // Returns the slot holding `id`, or kNone.
  size_t Find(std::string_view id, uint64_t hash) const;
  void Place(uint64_t hash, uint64_t sequence);
  void EraseSlot(size_t slot);
  void Grow();
  void DropOldest();

  size_t capacity_;
  size_t pinned_ = 0;
  std::deque<std::string> order_;  // oldest first
  uint64_t first_sequence_ = 1;    // sequence of order_.front()
  std::vector<Slot> slots_;        // a power of two in size, at most half full
};

}  // namespace salesradar::rules
