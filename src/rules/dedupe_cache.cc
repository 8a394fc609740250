#include "rules/dedupe_cache.h"

namespace salesradar::rules {

void DedupeCache::Insert(const std::string& id) {
  if (capacity_ == 0 || !ids_.insert(id).second) return;
  order_.push_back(id);
  while (order_.size() > capacity_) {
    ids_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace salesradar::rules
