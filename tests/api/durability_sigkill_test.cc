// Kills `salesradar serve` with SIGKILL while several clients send bursts of events, then restarts
// it on the same data folder. Every event the server acknowledged with 200 must be in the event
// log and must have been processed by the rules engine after the restart.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve_process.h"
#include "server/test_client.h"
#include "store/store.h"

namespace salesradar::api {
namespace {

namespace fs = std::filesystem;

const std::string kBinary = std::string(SALESRADAR_BINARY_DIR) + "/src/cli/salesradar";

// Returns a port that was free a moment ago. The server binds it next; a collision only fails
// this test's start-up check.
bool BinaryHasServe() {
  std::string command = kBinary + " serve --help > /dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

std::string Batch(int thread, int batch, int size) {
  std::string body;
  for (int i = 0; i < size; ++i) {
    nlohmann::json event = {{"id", fmt::format("k{}-{}-{}", thread, batch, i)},
                            {"type", "visit_checked_in"},
                            {"occurred_at", "2026-03-01T09:00:00+08:00"},
                            {"subject", {{"type", "lead"}, {"id", fmt::format("L-{}", i)}}}};
    body += event.dump() + "\n";
  }
  return body;
}

TEST(Durability, AcknowledgedEventsSurviveSigkill) {
  if (!BinaryHasServe()) GTEST_SKIP() << kBinary << " has no serve command yet";

  fs::path dir = fs::temp_directory_path() / fmt::format("salesradar-durability-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::string token = testing::SeedAdminWithToken(
      (dir / "salesradar.db").string(), {"durability-admin", "Durability", "durability", "durability-Passw0rd"});
  uint16_t port = testing::FreeLoopbackPort();

  testing::ServeProcess server(kBinary, dir.string(), port);
  server.Start();
  ASSERT_TRUE(server.WaitReady(std::chrono::seconds(20))) << "see " << (dir / "server.log");

  constexpr int kThreads = 4;
  constexpr int kBatchSize = 20;
  std::atomic<bool> stop{false};
  std::atomic<int> acknowledged_batches{0};
  std::vector<std::vector<std::string>> acknowledged(kThreads);
  std::mutex first_error_mutex;
  std::string first_error;  // the first response other than 200, for the failure message
  std::vector<std::thread> senders;
  for (int t = 0; t < kThreads; ++t) {
    senders.emplace_back([&, t] {
      server::testing::TestClient client(port, std::chrono::seconds(5));
      server::testing::HeaderList headers = {{"Authorization", "Bearer " + token},
                                             {"Content-Type", "application/x-ndjson"}};
      for (int batch = 0; !stop; ++batch) {
        auto response = client.Request("POST", "/api/v1/events", Batch(t, batch, kBatchSize), headers);
        if (!response.ok()) break;  // the server is gone
        if (response->status != 200) {
          std::lock_guard lock(first_error_mutex);
          if (first_error.empty()) first_error = std::to_string(response->status) + " " + response->body;
          continue;
        }
        for (int i = 0; i < kBatchSize; ++i) acknowledged[t].push_back(fmt::format("k{}-{}-{}", t, batch, i));
        ++acknowledged_batches;
      }
    });
  }

  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (acknowledged_batches < 100 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server.Kill(SIGKILL);
  stop = true;
  for (std::thread& sender : senders) sender.join();
  EXPECT_TRUE(first_error.empty()) << first_error;
  ASSERT_GE(acknowledged_batches.load(), 100);

  server.Start();
  ASSERT_TRUE(server.WaitReady(std::chrono::seconds(20))) << "see " << (dir / "server.log");
  server.Kill(SIGTERM);

  auto store = store::Open((dir / "salesradar.db").string());
  ASSERT_TRUE(store.ok());
  std::set<std::string> stored;
  {
    auto cursor = (*store)->OpenEventCursor({});
    ASSERT_TRUE(cursor.ok());
    rules::Event event;
    while (true) {
      auto next = (*cursor)->Next(&event);
      ASSERT_TRUE(next.ok());
      if (!*next) break;
      stored.insert(event.id);
    }
  }
  auto state = (*store)->OpenEngineState();
  ASSERT_TRUE(state.ok());

  size_t missing = 0;
  size_t unprocessed = 0;
  size_t total = 0;
  for (const auto& ids : acknowledged) {
    for (const std::string& id : ids) {
      ++total;
      if (!stored.contains(id)) ++missing;
      auto processed = (*state)->IsProcessed(id);
      if (!processed.ok() || !*processed) ++unprocessed;
    }
  }
  EXPECT_EQ(missing, 0u) << "of " << total << " acknowledged events";
  EXPECT_EQ(unprocessed, 0u) << "of " << total << " acknowledged events";

  state->reset();
  store->reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace salesradar::api
