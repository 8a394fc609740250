// The most recent event ids, to recognise duplicates without asking the store for each event.
#pragma once

#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

namespace salesradar::rules {

// Keeps up to `capacity` ids and drops the oldest first. Not thread-safe.
class DedupeCache {
 public:
  explicit DedupeCache(size_t capacity) : capacity_(capacity) {}

  bool Contains(std::string_view id) const { return ids_.count(std::string(id)) > 0; }

  void Insert(const std::string& id);

  size_t size() const { return ids_.size(); }

 private:
  size_t capacity_;
  std::unordered_set<std::string> ids_;
  std::deque<std::string> order_;
};

}  // namespace salesradar::rules
