// The HTTP load that both intake benchmarks send: generated visit events posted to
// /api/v1/events from several keep-alive connections, one event per request or as NDJSON.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "store/store.h"

namespace salesradar::bench {

// The outcome of one workload.
struct Figures {
  std::string name;
  size_t events = 0;
  size_t failures = 0;  // requests that failed or got a status other than 200
  double seconds = 0;
  std::vector<double> latencies_ms;  // one per request or call
};

// Returns the value at `fraction` (0 to 1) of `values` in sorted order, or 0 for none.
double Percentile(std::vector<double> values, double fraction);

// Returns event number `n` of a workload in the API's JSON form, with the event id `id`.
nlohmann::json IntakeEventJson(const std::string& id, size_t n);

// Creates the admin user "bench-admin" with a sign-in and returns a new API token of theirs.
Result<std::string> SeedBenchToken(store::Store& store);

// Sends `total` events in requests of `batch` from `threads` threads, thread t to
// ports[t % ports.size()]. Event ids start with `run_id`; `label` starts the figures' name.
Figures PostEvents(const std::vector<uint16_t>& ports, const std::string& token, size_t batch, size_t total,
                   int threads, const std::string& run_id, const std::string& label);

}  // namespace salesradar::bench
