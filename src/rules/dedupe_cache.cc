#include "rules/dedupe_cache.h"

namespace salesradar::rules {

void DedupeCache::Insert(const std::string& id) {
  if (Contains(id)) return;
  order_.push_back(id);
  ids_.insert(order_.back());
  DropOldest();
}

void DedupeCache::Pin(size_t newest) {
  pinned_ = newest;
  DropOldest();
}

void DedupeCache::DropOldest() {
  while (order_.size() > capacity_ && order_.size() > pinned_) {
    ids_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace salesradar::rules
