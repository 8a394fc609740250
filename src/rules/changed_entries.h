// The entries of one of the engine's maps that changed since the last batch was written.
#pragma once

#include <unordered_set>
#include <utility>
#include <vector>

namespace salesradar::rules {

// Tracks entries still in the map by the address of their value, so that marking one as changed
// copies and hashes no key. The map must be node-based, because the addresses must stay valid
// until erase. The keys of erased entries are moved out of the map's nodes. Not thread-safe.
template <typename Value, typename Key>
class ChangedEntries {
 public:
  void Changed(Value& value) { present_.insert(&value); }

  // Stops tracking a value that is about to leave the map by other means than Erase.
  void Forget(Value& value) { present_.erase(&value); }

  // Erases `it` from `map` and keeps its key for the batch.
  template <typename Map>
  void Erase(Map& map, typename Map::iterator it) {
    present_.erase(&it->second);
    erased_.push_back(std::move(map.extract(it).key()));
  }

  const std::unordered_set<Value*>& present() const { return present_; }
  // Oldest first. It may repeat a key and may contain keys that are in the map again.
  std::vector<Key>& erased() { return erased_; }
  bool empty() const { return present_.empty() && erased_.empty(); }

 private:
  std::unordered_set<Value*> present_;
  std::vector<Key> erased_;
};

}  // namespace salesradar::rules
