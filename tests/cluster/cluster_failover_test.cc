// The failover test: two real `salesradar serve` nodes on one fresh PostgreSQL schema with
// a lease time of 2 s. A pack with an absence rule (deadlines a few seconds after each trigger)
// and a condition rule is published, events stream alternately to both nodes, one node is killed
// with SIGKILL mid-stream and the stream goes on to the survivor. Afterwards every acknowledged
// event is stored and processed, every expected alert exists exactly once, the survivor holds
// every partition, and deadlines of the killed node's partitions fired on the survivor.
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/request_io.h"
#include "auth/password.h"
#include "auth/secret_token.h"
#include "cluster_test_pg.h"
#include "server/test_client.h"
#include "store/store.h"
#include "store/subject_bucket.h"

namespace salesradar::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kBinary = std::string(SALESRADAR_BINARY_DIR) + "/src/cli/salesradar";
constexpr int kPartitions = 8;

constexpr const char* kPack = R"(pack: cluster-test
version: 1
name: {zh: 集群测试, en: Cluster test}
rules:
  - id: no-follow-up
    name: {zh: 线索无跟进, en: Lead without follow-up}
    subject: lead
    kind: absence
    trigger:
      event: lead_created
    awaited:
      event: call_logged
    window: 1m
    level: yellow
    recipients: [owner]
    message: {zh: 线索无跟进, en: lead without follow-up}
  - id: hot-lead
    name: {zh: 高分线索, en: Hot lead}
    subject: lead
    kind: condition
    trigger:
      event: lead_scored
      condition: event.payload.score > 80
    level: yellow
    recipients: [owner]
    message: {zh: 高分线索, en: hot lead}
)";

uint16_t FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
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

// One `salesradar serve` node of the cluster, its log in <dir>/<node id>.log.
class Node {
 public:
  Node(std::string id, std::string dir, std::string database)
      : id_(std::move(id)), dir_(std::move(dir)), database_(std::move(database)), port_(FreePort()) {}
  ~Node() { Kill(SIGKILL); }

  void Start() {
    pid_ = ::fork();
    if (pid_ != 0) return;
    std::string listen = fmt::format("127.0.0.1:{}", port_);
    std::string log = fmt::format("{}/{}.log", dir_, id_);
    std::string data_dir = fmt::format("{}/{}", dir_, id_);
    FILE* out = std::freopen(log.c_str(), "a", stderr);
    (void)out;
    ::execl(kBinary.c_str(), kBinary.c_str(), "serve", "--listen", listen.c_str(), "--data-dir", data_dir.c_str(),
            "--database", database_.c_str(), "--node-id", id_.c_str(), "--cluster-lease-seconds", "2",
            "--cluster-partitions", "8", "--log-level", "info", static_cast<char*>(nullptr));
    ::_exit(127);
  }

  bool WaitReady(seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return false;
      }
      server::testing::TestClient client(port_, seconds(1));
      if (client.Request("GET", "/api/v1/auth/me").ok()) return true;
      std::this_thread::sleep_for(milliseconds(50));
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

  uint16_t port() const { return port_; }
  const std::string& id() const { return id_; }
  std::string log() const { return fmt::format("{}/{}.log", dir_, id_); }

 private:
  std::string id_;
  std::string dir_;
  std::string database_;
  uint16_t port_;
  pid_t pid_ = -1;
};

// Creates an admin with a sign-in and returns an API token of theirs.
std::string SeedDatabase(const std::string& database) {
  auto store = store::Open(database);
  EXPECT_TRUE(store.ok()) << store.error().ToLogString();
  if (!store.ok()) return "";
  model::Record user{model::EntityKind::kUser, "cluster-admin", {}, {}};
  user.fields["name"] = std::string("Cluster");
  user.fields["role"] = std::string("admin");
  auto upserted = (*store)->Upsert(std::span<const model::Record>(&user, 1));
  EXPECT_TRUE(upserted.ok());

  auto hash = auth::HashPassword("cluster-Passw0rd");
  EXPECT_TRUE(hash.ok());
  store::Credentials credentials;
  credentials.user_id = upserted->front().id;
  credentials.login = "cluster";
  credentials.password_hash = *hash;
  EXPECT_TRUE((*store)->CreateCredentials(credentials, store::AuditContext::System()).ok());

  std::string secret = auth::GenerateApiToken();
  store::NewApiToken token;
  token.token_hash = auth::HashSecret(secret);
  token.name = "cluster";
  token.user_id = upserted->front().id;
  EXPECT_TRUE((*store)->CreateApiToken(token, store::AuditContext::System()).ok());
  return secret;
}

class Client {
 public:
  Client(uint16_t port, std::string token) : client_(port, seconds(15)), token_(std::move(token)) {}

  Result<server::testing::HttpResult> Send(const std::string& method, const std::string& target, const std::string& body,
                                           const std::string& content_type) {
    server::testing::HeaderList headers = {{"Authorization", "Bearer " + token_}};
    if (!content_type.empty()) headers.push_back({"Content-Type", content_type});
    return client_.Request(method, target, body, headers);
  }

  // Returns GET /api/v1/cluster, or null when the node does not answer.
  json Cluster() {
    auto response = Send("GET", "/api/v1/cluster", "", "");
    if (!response.ok() || response->status != 200) return nullptr;
    return json::parse(response->body, nullptr, false);
  }

 private:
  server::testing::TestClient client_;
  std::string token_;
};

size_t Held(Client& client) {
  json cluster = client.Cluster();
  return cluster.is_object() ? cluster["held_partitions"].size() : 0;
}

struct Expected {
  std::set<std::pair<std::string, std::string>> alerts;  // (rule id, subject id)
  std::set<std::string> subjects_with_deadline;          // absence alerts expected
};

json Event(const std::string& id, const std::string& type, const std::string& subject, Timestamp occurred,
           json payload = json::object()) {
  return {{"id", id}, {"type", type}, {"occurred_at", FormatTime(occurred)},
          {"subject", {{"type", "lead"}, {"id", subject}}}, {"payload", std::move(payload)}};
}

// The events of one subject: a lead whose follow-up window ends `deadline_in` from now, a call
// for every other lead (no alert), and a score that is hot for every third lead.
std::string SubjectEvents(int round, int index, milliseconds deadline_in, Expected& expected) {
  std::string subject = fmt::format("L-{}-{}", round, index);
  Timestamp now = std::chrono::time_point_cast<Microseconds>(std::chrono::system_clock::now());
  Timestamp created = now - std::chrono::minutes(1) + std::chrono::duration_cast<Microseconds>(deadline_in);
  std::string body = Event(fmt::format("e-{}-{}-created", round, index), "lead_created", subject, created).dump() + "\n";
  if (index % 2 == 0) {
    body += Event(fmt::format("e-{}-{}-call", round, index), "call_logged", subject, now).dump() + "\n";
  } else {
    expected.alerts.insert({"no-follow-up", subject});
    expected.subjects_with_deadline.insert(subject);
  }
  int score = index % 3 == 0 ? 90 : 40;
  body += Event(fmt::format("e-{}-{}-score", round, index), "lead_scored", subject, now, {{"score", score}}).dump() + "\n";
  if (score > 80) expected.alerts.insert({"hot-lead", subject});
  return body;
}

std::vector<std::string> EventIds(const std::string& ndjson) {
  std::vector<std::string> ids;
  size_t start = 0;
  while (start < ndjson.size()) {
    size_t end = ndjson.find('\n', start);
    ids.push_back(json::parse(ndjson.substr(start, end - start))["id"]);
    start = end + 1;
  }
  return ids;
}

int PartitionOf(const std::string& subject) {
  return store::PartitionOfBucket(store::SubjectBucket("lead", subject), kPartitions);
}

TEST(ClusterFailover, SurvivorTakesOverKilledNodesPartitions) {
  if (!cluster_testing::PostgresAvailable()) GTEST_SKIP() << "PostgreSQL is not available";
  if (!BinaryHasServe()) GTEST_SKIP() << kBinary << " has no serve command yet";

  std::string database = cluster_testing::CreateSchemaUrl();
  std::string token = SeedDatabase(database);
  ASSERT_FALSE(token.empty());
  fs::path dir = fs::temp_directory_path() / fmt::format("salesradar-cluster-{}", ::getpid());
  fs::remove_all(dir);
  fs::create_directories(dir);

  Node a("node-a", dir.string(), database);
  a.Start();
  ASSERT_TRUE(a.WaitReady(seconds(30))) << "see " << a.log();
  Client to_a(a.port(), token);
  json cluster = to_a.Cluster();
  ASSERT_TRUE(cluster.is_object()) << "GET /api/v1/cluster failed; see " << a.log();
  ASSERT_EQ(cluster["mode"], "cluster") << "the node runs alone; does the PostgreSQL store keep engine state?";

  auto published = to_a.Send("POST", "/api/v1/rule-packs/publish", json{{"yaml", kPack}}.dump(), "application/json");
  ASSERT_TRUE(published.ok());
  ASSERT_LT(published->status, 300) << published->body;

  Node b("node-b", dir.string(), database);
  b.Start();
  ASSERT_TRUE(b.WaitReady(seconds(30))) << "see " << b.log();
  Client to_b(b.port(), token);
  auto split_deadline = std::chrono::steady_clock::now() + seconds(30);
  while ((Held(to_a) != 4 || Held(to_b) != 4) && std::chrono::steady_clock::now() < split_deadline) {
    std::this_thread::sleep_for(milliseconds(200));
  }
  ASSERT_EQ(Held(to_a), 4u) << "see " << a.log();
  ASSERT_EQ(Held(to_b), 4u) << "see " << b.log();

  // Stream: 6 rounds of 24 leads in 4 batches, alternately to both nodes; node b dies after round 2.
  constexpr int kRounds = 6;
  constexpr int kLeads = 24;
  constexpr int kBatches = 4;
  Expected expected;
  std::set<std::string> acknowledged;
  std::set<int> killed_partitions;
  Timestamp killed_at;
  bool b_alive = true;
  for (int round = 0; round < kRounds; ++round) {
    if (round == 3) {
      json before = to_b.Cluster();
      for (int partition : before["held_partitions"]) killed_partitions.insert(partition);
      b.Kill(SIGKILL);
      killed_at = std::chrono::time_point_cast<Microseconds>(std::chrono::system_clock::now());
      b_alive = false;
    }
    for (int batch = 0; batch < kBatches; ++batch) {
      Expected batch_expected;
      std::string body;
      for (int index = batch; index < kLeads; index += kBatches) {
        body += SubjectEvents(round, index, milliseconds(4000), batch_expected);
      }
      Client& target = (batch % 2 == 1 && b_alive) ? to_b : to_a;
      auto response = target.Send("POST", "/api/v1/events", body, "application/x-ndjson");
      ASSERT_TRUE(response.ok()) << "round " << round << " batch " << batch;
      ASSERT_EQ(response->status, 200) << response->body;
      for (const std::string& id : EventIds(body)) acknowledged.insert(id);
      expected.alerts.insert(batch_expected.alerts.begin(), batch_expected.alerts.end());
      expected.subjects_with_deadline.insert(batch_expected.subjects_with_deadline.begin(),
                                             batch_expected.subjects_with_deadline.end());
    }
    std::this_thread::sleep_for(milliseconds(500));
  }
  ASSERT_EQ(killed_partitions.size(), 4u);

  // Wait for the takeover, the processing of every event and the last deadlines.
  auto settle_deadline = std::chrono::steady_clock::now() + seconds(90);
  auto count_alerts = [&] { return cluster_testing::QueryColumn(database, "SELECT id FROM alerts").size(); };
  auto unprocessed = [&] {
    return cluster_testing::QueryColumn(database,
                                        "SELECT count(*) FROM events e WHERE NOT EXISTS "
                                        "(SELECT 1 FROM processed_events p WHERE p.event_id = e.id)")
        .at(0);
  };
  while (std::chrono::steady_clock::now() < settle_deadline &&
         (Held(to_a) != kPartitions || unprocessed() != "0" || count_alerts() < expected.alerts.size())) {
    std::this_thread::sleep_for(milliseconds(250));
  }

  // The survivor holds every partition.
  EXPECT_EQ(Held(to_a), static_cast<size_t>(kPartitions)) << "see " << a.log();
  for (const std::string& holder :
       cluster_testing::QueryColumn(database, "SELECT node_id FROM leases WHERE name LIKE 'partition/%'")) {
    EXPECT_EQ(holder, "node-a");
  }

  // Every acknowledged event is stored and processed.
  std::vector<std::string> stored_ids = cluster_testing::QueryColumn(database, "SELECT id FROM events");
  std::set<std::string> stored(stored_ids.begin(), stored_ids.end());
  std::vector<std::string> processed_ids = cluster_testing::QueryColumn(database, "SELECT event_id FROM processed_events");
  std::set<std::string> processed(processed_ids.begin(), processed_ids.end());
  size_t missing = 0;
  size_t unprocessed_acknowledged = 0;
  for (const std::string& id : acknowledged) {
    if (!stored.contains(id)) ++missing;
    if (!processed.contains(id)) ++unprocessed_acknowledged;
  }
  EXPECT_EQ(missing, 0u) << "of " << acknowledged.size() << " acknowledged events";
  EXPECT_EQ(unprocessed_acknowledged, 0u) << "of " << acknowledged.size() << " acknowledged events";

  // Every expected alert exists exactly once, and no other.
  std::map<std::pair<std::string, std::string>, int> found;
  std::vector<std::string> rows = cluster_testing::QueryColumn(
      database, "SELECT rule_id || '|' || subject_id || '|' || ((body::jsonb) ->> 'created_at') FROM alerts");
  size_t fired_on_survivor = 0;
  for (const std::string& row : rows) {
    size_t first = row.find('|');
    size_t second = row.find('|', first + 1);
    std::string rule = row.substr(0, first);
    std::string subject = row.substr(first + 1, second - first - 1);
    int64_t created_at = std::stoll(row.substr(second + 1));
    ++found[{rule, subject}];
    bool killed_partition = killed_partitions.contains(PartitionOf(subject));
    bool opened_before_kill = std::stoi(subject.substr(2, subject.find('-', 2) - 2)) < 3;
    if (rule == "no-follow-up" && killed_partition && opened_before_kill && created_at >= ToUnixMicros(killed_at)) {
      ++fired_on_survivor;
    }
  }
  for (const auto& key : expected.alerts) {
    EXPECT_EQ(found[key], 1) << key.first << " for " << key.second;
  }
  EXPECT_EQ(rows.size(), expected.alerts.size());

  // Deadlines of the killed node's partitions fired on the survivor: windows node-b opened before
  // the kill (rounds 0 to 2) whose alert was created after it.
  EXPECT_GT(fired_on_survivor, 0u);
  std::printf("cluster failover: %zu events acknowledged, %zu alerts expected, %zu absence alerts of node-b's "
              "partitions raised after the kill\n",
              acknowledged.size(), expected.alerts.size(), fired_on_survivor);

  a.Kill(SIGTERM);
}

}  // namespace
}  // namespace salesradar::api
