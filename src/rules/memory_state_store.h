// An EngineStateStore in memory, for tests, scenario files and backtests. It keeps every record
// as JSON text, as a database would, so a restart in a test goes through the same encoding.
//
// Thread-safety: not thread-safe; one engine uses it at a time.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "rules/state_store.h"

namespace salesradar::rules {

class MemoryStateStore final : public EngineStateStore {
 public:
  Status Apply(const StateBatch& batch) override;
  Result<EngineSnapshot> LoadSnapshot() override;
  Result<bool> IsProcessed(std::string_view event_id) override;

  // Makes the next `count` calls of Apply fail with kUnavailable, storing nothing.
  void FailNextApplies(int count) { failures_left_ = count; }

  // Returns every alert stored, resolved ones included, ordered by id.
  Result<std::vector<Alert>> AllAlerts() const;
  // Returns every ticket stored, closed ones included, ordered by id.
  Result<std::vector<Ticket>> AllTickets() const;
  // Returns the alert changes of all applied batches, in order.
  Result<std::vector<AlertChange>> Outbox() const;

  size_t window_count() const { return windows_.size(); }
  size_t counter_count() const { return counters_.size(); }
  size_t processed_count() const { return processed_.size(); }
  int applied_batches() const { return applied_batches_; }

 private:
  std::map<RuleSubjectKey, std::string> windows_;
  std::map<RuleSubjectKey, std::string> counters_;
  std::map<std::string, std::string> alerts_;
  std::map<std::string, std::string> tickets_;
  std::set<std::string, std::less<>> processed_;
  std::vector<std::string> outbox_;
  int failures_left_ = 0;
  int applied_batches_ = 0;
};

}  // namespace salesradar::rules
