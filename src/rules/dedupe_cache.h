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

// Keeps up to `capacity` ids and drops the oldest first. Not thread-safe.
class DedupeCache {
 public:
  explicit DedupeCache(size_t capacity) : capacity_(capacity) {}

  bool Contains(std::string_view id) const { return ids_.find(id) != ids_.end(); }

  void Insert(const std::string& id);

  size_t size() const { return ids_.size(); }

 private:
  size_t capacity_;
  IdSet ids_;
  std::deque<std::string> order_;
};

}  // namespace salesradar::rules
