// The store's side of the rules engine: rows of the event log, rule pack versions, and the
// options of their reads. The Store methods that use them are declared in store/store.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

namespace salesradar::store {

// The outcome of Store::AppendEvents.
struct AppendEventsResult {
  int64_t inserted = 0;
  int64_t duplicates = 0;  // events whose id was stored before; left unchanged
};

// Filters of Store::OpenEventCursor: events with from <= occurred_at < to.
struct EventFilter {
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
};

// One stored version of a rule pack.
struct RulePackVersion {
  std::string pack_id;
  int64_t version = 0;
  std::string yaml;  // the pack file as published
  Timestamp published_at;
  std::string published_by;
  bool active = false;  // the version the engine runs; one per pack id
};

// The part of the engine state that one engine owns, for Store::OpenScopedEngineState. The
// default scope is all of it, unfenced: the single-node server.
struct EngineStateScope {
  // The subject buckets (store/subject_bucket.h) whose windows, counters, alerts and tickets
  // LoadSnapshot returns; empty means every bucket.
  std::vector<int> buckets;

  // Fencing. When lease_name is set, Apply first checks, in the batch's own transaction, that
  // node_id holds lease `lease_name` at `lease_epoch` and that it has not expired, and writes
  // nothing when it does not (kFailedPrecondition naming the lease).
  std::string lease_name;
  std::string node_id;
  int64_t lease_epoch = 0;
};

}  // namespace salesradar::store
