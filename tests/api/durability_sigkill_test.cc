// Kills `salesradar serve` with SIGKILL while several clients send bursts of events, then restarts
// it on the same data folder. Every event the server acknowledged with 200 must be in the event
// log and must have been processed by the rules engine after the restart.
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
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

#include "auth/password.h"
#include "auth/secret_token.h"
#include "server/test_client.h"
#include "store/store.h"

namespace salesradar::api {
namespace {

namespace fs = std::filesystem;

const std::string kBinary = std::string(SALESRADAR_BINARY_DIR) + "/src/cli/salesradar";

// Returns a port that was free a moment ago. The server binds it next; a collision only fails
// this test's start-up check.
uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address));
  socklen_t length = sizeof(address);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool BinaryHasServe() {
  std::string command = kBinary + " serve --help > /dev/null 2>&1";
  return std::system(command.c_str()) == 0;
}

class ServerProcess {
 public:
  ServerProcess(std::string data_dir, uint16_t port) : data_dir_(std::move(data_dir)), port_(port) {}
  ~ServerProcess() { Kill(SIGKILL); }

  void Start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      std::string listen = fmt::format("127.0.0.1:{}", port_);
      std::string log = data_dir_ + "/server.log";
      FILE* out = std::freopen(log.c_str(), "a", stderr);
      (void)out;
      ::execl(kBinary.c_str(), kBinary.c_str(), "serve", "--listen", listen.c_str(), "--data-dir",
              data_dir_.c_str(), "--log-level", "warn", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }

  // Waits until the server responds to HTTP. Returns false after `timeout` or when the process ended.
  bool WaitReady(std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      server::testing::TestClient client(port_, std::chrono::seconds(1));
      if (client.Request("GET", "/api/v1/auth/me").ok()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  void Kill(int signal) {
    if (pid_ <= 0) return;
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }

 private:
  std::string data_dir_;
  uint16_t port_;
  pid_t pid_ = -1;
};

// Creates the database with an admin and returns an API token of theirs.
std::string SeedDatabase(const std::string& database) {
  auto store = store::Open(database);
  EXPECT_TRUE(store.ok()) << store.error().ToLogString();
  model::Record user{model::EntityKind::kUser, "durability-admin", {}, {}};
  user.fields["name"] = std::string("Durability");
  user.fields["role"] = std::string("admin");
  auto upserted = (*store)->Upsert(std::span<const model::Record>(&user, 1));
  EXPECT_TRUE(upserted.ok());

  // A token works only for a user with an enabled sign-in, so the integration user gets one.
  auto hash = auth::HashPassword("durability-Passw0rd");
  EXPECT_TRUE(hash.ok());
  store::Credentials credentials;
  credentials.user_id = upserted->front().id;
  credentials.login = "durability";
  credentials.password_hash = *hash;
  EXPECT_TRUE((*store)->CreateCredentials(credentials, store::AuditContext::System()).ok());

  std::string secret = auth::GenerateApiToken();
  store::NewApiToken token;
  token.token_hash = auth::HashSecret(secret);
  token.name = "durability";
  token.user_id = upserted->front().id;
  EXPECT_TRUE((*store)->CreateApiToken(token, store::AuditContext::System()).ok());
  return secret;
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
  std::string token = SeedDatabase((dir / "salesradar.db").string());
  uint16_t port = FreePort();

  ServerProcess server(dir.string(), port);
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
