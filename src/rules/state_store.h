// Persistence of the engine's state, implemented by the edge (SQLite, PostgreSQL) and in memory
// for tests (MemoryStateStore).
//
// The engine writes in batches: everything one or more calls changed, plus the alert changes for
// the outbox and the ids of the events processed. A store applies a batch atomically, in one
// transaction, so that an event's effects and the record that it was processed are stored
// together. After a crash, replaying the unrecorded events from the event log rebuilds exactly
// what was lost.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "rules/alert.h"
#include "rules/state.h"

namespace salesradar::rules {

struct StateBatch {
  // A key may be removed and upserted in one batch (a window closed and opened again), and may
  // be removed twice: a store applies the removals first, then the upserts.
  std::vector<WindowState> windows_upserted;
  std::vector<RuleSubjectKey> windows_removed;
  std::vector<CounterState> counters_upserted;
  std::vector<RuleSubjectKey> counters_removed;
  // Whole alerts, history included; history entries are append-only, numbered by sequence.
  // Resolved alerts appear once more with their final status and are not loaded again.
  std::vector<Alert> alerts_upserted;
  std::vector<Ticket> tickets_upserted;
  std::vector<std::string> processed_event_ids;
  std::vector<AlertChange> outbox;  // in the order the engine made them

  bool empty() const;
};

// The state an engine loads after a restart.
struct EngineSnapshot {
  std::vector<WindowState> windows;
  std::vector<CounterState> counters;
  std::vector<Alert> unresolved_alerts;
  std::vector<Ticket> open_tickets;
};

// Thread-safety: an engine calls its store from its own thread only. A store shared by several
// partitions must be safe for that.
class EngineStateStore {
 public:
  virtual ~EngineStateStore() = default;

  // Applies `batch` atomically: all of it or, on failure, none of it. Returns kUnavailable when
  // the database cannot be reached; the engine then keeps the batch and sends it again with
  // its next one.
  virtual Status Apply(const StateBatch& batch) = 0;

  // Returns the state that the batches applied so far leave.
  virtual Result<EngineSnapshot> LoadSnapshot() = 0;

  // Returns true when an applied batch listed `event_id` as processed. A store may forget ids
  // older than a retention period that it documents; events older than that are then not
  // recognised as duplicates.
  virtual Result<bool> IsProcessed(std::string_view event_id) = 0;
};

}  // namespace salesradar::rules
