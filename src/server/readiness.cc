#include "server/readiness.h"

#include <exception>
#include <utility>

namespace salesradar::server {

void ReadinessChecks::Add(std::string name, Check check) {
  std::lock_guard<std::mutex> lock(mutex_);
  checks_.push_back({std::move(name), std::move(check)});
}

std::vector<ReadinessOutcome> ReadinessChecks::RunAll() const {
  std::vector<NamedCheck> checks;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    checks = checks_;
  }

  std::vector<ReadinessOutcome> outcomes;
  for (const NamedCheck& named : checks) {
    ReadinessOutcome outcome{named.name, std::nullopt};
    try {
      Status status = named.check();
      if (!status.ok()) {
        outcome.error = status.error();
      }
    } catch (const std::exception& e) {
      outcome.error = Internal("就绪检查抛出异常：" + std::string(e.what()),
                               "readiness check threw an exception: " + std::string(e.what()));
    }
    outcomes.push_back(std::move(outcome));
  }
  return outcomes;
}

}  // namespace salesradar::server
