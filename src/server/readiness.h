// Readiness checks that components register (for example "database": can the store run a query)
// and that /readyz runs on each request.
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/result.h"

namespace salesradar::server {

// The outcome of one check.
struct ReadinessOutcome {
  std::string name;
  std::optional<Error> error;  // nullopt when the check passed
};

// Thread safety: Add() and RunAll() may be called from any thread; mutex_ guards checks_. The
// checks run outside the lock, on the thread that calls RunAll().
class ReadinessChecks {
 public:
  // A check returns OkStatus() when its component can serve requests, or an error whose message
  // describes what is missing (shown to the caller of /readyz). It must be thread-safe and return
  // within a second or so, because a load balancer's probe waits for it.
  using Check = std::function<Status()>;

  void Add(std::string name, Check check);

  // Runs every check in registration order. A check that throws counts as failed.
  std::vector<ReadinessOutcome> RunAll() const;

 private:
  struct NamedCheck {
    std::string name;
    Check check;
  };

  mutable std::mutex mutex_;  // guards checks_
  std::vector<NamedCheck> checks_;
};

}  // namespace salesradar::server
