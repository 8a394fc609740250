// The most recent event ids, to recognise duplicates without asking the store for each event.
#pragma once

#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_set>

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
class DedupeCache {
 public:
  explicit DedupeCache(size_t capacity) : capacity_(capacity) {}

  bool Contains(std::string_view id) const { return ids_.find(id) != ids_.end(); }

  void Insert(const std::string& id);

  // Keeps the newest `newest` ids from being dropped, until pinned again with fewer.
  void Pin(size_t newest);

  size_t size() const { return ids_.size(); }

 private:
  void DropOldest();

  size_t capacity_;
  size_t pinned_ = 0;
  // Views of the strings in order_, whose elements never move: a deque keeps references valid
  // when it grows at the back and shrinks at the front.
  std::unordered_set<std::string_view> ids_;
  std::deque<std::string> order_;
};

}  // namespace salesradar::rules
