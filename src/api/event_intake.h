// Durable event intake behind POST /api/v1/events: request threads hand in validated events, one
// writer thread commits whatever has gathered in one transaction (group commit), and each request
// gets its answer only after its events are committed. Committed events then go to the engine
// host. The queue is bounded: when it is full, Submit fails at once with kResourceExhausted, which
// the route answers with 429 and Retry-After.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/result.h"
#include "rules/event.h"
#include "store/rules_store.h"

namespace salesradar::server {
class MetricsRegistry;
}

namespace salesradar::api {

class StorePool;
class EngineHost;

struct EventIntakeOptions {
  size_t queue_capacity = 10'000;  // events waiting for commit (ServerConfig::intake_queue_size)
  size_t max_batch = 5'000;        // events per transaction at most
};

// Thread safety: Submit may be called from any thread.
class EventIntake {
 public:
  static Result<std::unique_ptr<EventIntake>> Start(StorePool& stores, EngineHost& engine,
                                                    server::MetricsRegistry& metrics,
                                                    EventIntakeOptions options = {});
  ~EventIntake();  // commits what is queued, then stops

  // Commits `events` (already validated) and returns how many were new and how many were
  // repeated ids. Blocks until committed or failed.
  Result<store::AppendEventsResult> Submit(std::vector<rules::Event> events);

  size_t queued_events() const;

 private:
  class Impl;
  explicit EventIntake(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesradar::api
