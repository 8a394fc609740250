// A fixture for worker tests: a fresh SQLite file in a temporary directory with its secret key,
// a manual clock, the local fakes, and helpers that configure channels and addresses through the
// store and write alert changes into alert_outbox the way the engine does.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "fake_platforms.h"
#include "notify/secret_box.h"
#include "notify/worker.h"
#include "rules/alert.h"
#include "server/metrics.h"
#include "store/store.h"

namespace salesradar::notify::testing {

class WorkerTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Creates a channel; returns its id.
  int64_t AddChannel(const std::string& kind, const nlohmann::json& config, const nlohmann::json& secrets);
  void SetAddresses(const std::string& owner_kind, const std::string& owner,
                    const std::vector<store::NotifyAddress>& addresses);
  // Inserts users: (external id, name, manager external id or "", email).
  void AddUser(const std::string& external_id, const std::string& name, const std::string& manager,
               const std::string& email);
  int64_t UserId(const std::string& external_id);

  rules::AlertChange DepartmentAlert(int index, const std::string& department);
  rules::AlertChange OwnerAlert(int index, const std::string& owner, rules::AlertAction action);
  // Writes `changes` into alert_outbox through the engine state store, as one batch.
  void WriteOutbox(const std::vector<rules::AlertChange>& changes);

  WorkerOptions Options();
  std::unique_ptr<Worker> OpenWorker(WorkerOptions options);
  std::vector<store::NotifyMessage> Messages(std::optional<std::string> state = std::nullopt);

  std::string dir_;
  std::string database_;
  ManualClock clock_{FromUnixMicros(1772323200LL * 1'000'000)};  // 2026-03-01T00:00:00Z, a Sunday
  std::unique_ptr<FakePlatforms> fakes_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::NotifyStore> notify_;
  std::unique_ptr<SecretBox> box_;
  server::MetricsRegistry metrics_;
  int channel_count_ = 0;
};

}  // namespace salesradar::notify::testing
