// The kill test over the real binary: `salesradar serve` sends alerts to a WeCom robot and a
// DingTalk robot (local fakes on 127.0.0.1) while the WeCom fake accepts its first request
// slowly. The test SIGKILLs the server while that request is in flight, while the DingTalk rows
// of the same alerts are still pending and while later alerts wait unread in alert_outbox. After
// the restart it checks what docs/notifications.md promises. Every alert reaches each robot
// exactly once, and the rows in flight at the kill are marked 'unknown' instead of sent again.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "fake_platforms.h"
#include "serve_process.h"
#include "server/test_client.h"
#include "store/store.h"

namespace salesradar::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kBinary = std::string(SALESRADAR_BINARY_DIR) + "/src/cli/salesradar";
constexpr int kWaveSize = 5;

// One rule: every quote_sent raises an orange alert for the department sales_ops, and the
// message names the subject so that the test can tell the alerts apart in merged messages.
constexpr const char* kRulePack = R"(pack: notify-kill
version: 1
name: {zh: 通知中断测试, en: Notify kill test}
rules:
  - id: quote-review
    name: {zh: 报价待复核, en: Quote to review}
    subject: opportunity
    kind: condition
    trigger:
      event: quote_sent
      condition: "true"
    level: orange
    recipients: ["department:sales_ops"]
    message:
      zh: "报价待复核 [{subject.id}]"
      en: "Quote to review [{subject.id}]"
)";

// Holds the first WeCom request inside the fake until released, so that it is in flight when
// the server is killed. The fake has already recorded it: the platform "received" it.
class SlowFirstWecom {
 public:
  void OnArrival(const notify::testing::Arrival& arrival) {
    if (arrival.platform != "wecom" || held_.exchange(true)) return;
    std::unique_lock lock(mutex_);
    in_flight_ = true;
    changed_.notify_all();
    changed_.wait_for(lock, std::chrono::seconds(30), [this] { return released_; });
  }

  bool WaitInFlight(std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [this] { return in_flight_; });
  }

  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }

 private:
  std::atomic<bool> held_{false};
  std::mutex mutex_;
  std::condition_variable changed_;
  bool in_flight_ = false;
  bool released_ = false;
};

class NotifyKillTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / fmt::format("salesradar-notify-kill-{}", ::getpid());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    database_ = (dir_ / "salesradar.db").string();
    token_ = api::testing::SeedAdminWithToken(
        database_, {"notify-admin", "通知管理员", "notify-admin", "notify-Passw0rd-2026"});

    std::ofstream(dir_ / "pack.yaml") << kRulePack;
    std::string calendars = std::string(SALESRADAR_SOURCE_DIR) + "/examples/calendars";
    std::string publish =
        fmt::format("{} --database {} rules publish {} --calendar-dir {} --by notify-kill-test > {} 2>&1", kBinary,
                    database_, (dir_ / "pack.yaml").string(), calendars, (dir_ / "publish.log").string());
    ASSERT_EQ(std::system(publish.c_str()), 0) << "see " << (dir_ / "publish.log");

    fakes_ = std::make_unique<notify::testing::FakePlatforms>(notify::testing::FakeOptions{});
    fakes_->OnArrival([this](const notify::testing::Arrival& arrival) { gate_.OnArrival(arrival); });
    port_ = api::testing::FreeLoopbackPort();
    server_ = std::make_unique<api::testing::ServeProcess>(kBinary, dir_.string(), port_, "info");
  }

  void TearDown() override {
    gate_.Release();
    server_.reset();
    fakes_.reset();
    if (!HasFailure()) fs::remove_all(dir_);
  }

  Result<server::testing::HttpResult> Call(const std::string& method, const std::string& target, const std::string& body,
                                           const std::string& content_type = "application/json") {
    server::testing::TestClient client(port_, std::chrono::seconds(10));
    return client.Request(method, target, body,
                          {{"Authorization", "Bearer " + token_}, {"Content-Type", content_type}});
  }

  int64_t CreateChannel(const json& channel) {
    auto created = Call("POST", "/api/v1/notify/channels", channel.dump());
    EXPECT_TRUE(created.ok());
    if (!created.ok()) return 0;
    EXPECT_EQ(created->status, 201) << created->body;
    return json::parse(created->body, nullptr, false).value("id", int64_t{0});
  }

  static std::string SubjectId(int index) { return fmt::format("KQ-{:02}", index); }

  void PostQuotes(int first, int count) {
    std::string body;
    for (int i = first; i < first + count; ++i) {
      json event = {{"id", fmt::format("quote-{}", i)},
                    {"type", "quote_sent"},
                    {"occurred_at", "2026-03-02T10:00:00+08:00"},
                    {"subject", {{"type", "opportunity"}, {"id", SubjectId(i)}}},
                    {"payload", json::object()}};
      body += event.dump() + "\n";
    }
    auto posted = Call("POST", "/api/v1/events", body, "application/x-ndjson");
    ASSERT_TRUE(posted.ok());
    ASSERT_EQ(posted->status, 200) << posted->body;
  }

  // The messages per state and channel, read from the database beside the running server.
  std::map<std::pair<int64_t, std::string>, int64_t> Counts() {
    std::map<std::pair<int64_t, std::string>, int64_t> counts;
    auto store = store::Open(database_);
    if (!store.ok()) return counts;
    auto notify = (*store)->OpenNotifyStore();
    if (!notify.ok()) return counts;
    auto rows = (*notify)->CountMessages();
    if (!rows.ok()) return counts;
    for (const store::NotifyStateCount& row : *rows) counts[{row.channel_id, row.state}] = row.count;
    return counts;
  }

  static int64_t At(const std::map<std::pair<int64_t, std::string>, int64_t>& counts, int64_t channel,
                    const std::string& state) {
    auto it = counts.find({channel, state});
    return it == counts.end() ? 0 : it->second;
  }

  size_t OutboxRows() {
    auto store = store::Open(database_);
    if (!store.ok()) return 0;
    auto notify = (*store)->OpenNotifyStore();
    if (!notify.ok()) return 0;
    auto rows = (*notify)->ReadOutbox({0, std::nullopt, 500});
    return rows.ok() ? rows->size() : 0;
  }

  // How often each subject's alert reached `platform`.
  std::map<std::string, int> Deliveries(const std::string& platform) {
    std::map<std::string, int> deliveries;
    for (const notify::testing::Arrival& arrival : fakes_->Arrivals()) {
      if (arrival.platform != platform) continue;
      std::string text = arrival.body.dump();
      for (int i = 1; i <= 2 * kWaveSize; ++i) {
        if (text.find("[" + SubjectId(i) + "]") != std::string::npos) ++deliveries[SubjectId(i)];
      }
    }
    return deliveries;
  }

  fs::path dir_;
  std::string database_;
  std::string token_;
  uint16_t port_ = 0;
  SlowFirstWecom gate_;
  std::unique_ptr<notify::testing::FakePlatforms> fakes_;
  std::unique_ptr<api::testing::ServeProcess> server_;
};

TEST_F(NotifyKillTest, EachAlertArrivesOnceAcrossSigkill) {
  server_->Start();
  ASSERT_TRUE(server_->WaitReady(std::chrono::seconds(30))) << "see " << (dir_ / "server.log");

  int64_t wecom = CreateChannel({{"name", "企业微信群"},
                                 {"kind", "wecom"},
                                 {"config", {{"endpoint", fakes_->BaseUrl() + "/cgi-bin/webhook/send"}}},
                                 {"secrets", {{"key", "wecom-key"}}}});
  int64_t dingtalk = CreateChannel({{"name", "钉钉群"},
                                    {"kind", "dingtalk"},
                                    {"config", {{"endpoint", fakes_->BaseUrl() + "/robot/send"}}},
                                    {"secrets", {{"access_token", "ding-token"}}}});
  ASSERT_LT(wecom, dingtalk);  // the worker sends channel by channel in id order
  json addresses = {{"items", {{{"channel_id", wecom}}, {{"channel_id", dingtalk}}}}};
  auto put = Call("PUT", "/api/v1/notify/addresses/departments/sales_ops", addresses.dump());
  ASSERT_TRUE(put.ok());
  ASSERT_EQ(put->status, 200) << put->body;

  // Wave 1 raises alerts. The worker's first WeCom request stays in flight in the fake, so the
  // DingTalk rows of the same pass stay pending behind it.
  PostQuotes(1, kWaveSize);
  ASSERT_TRUE(gate_.WaitInFlight(std::chrono::seconds(30))) << "no WeCom request; see " << (dir_ / "server.log");

  // Wave 2 is committed and processed by the engine, but the worker, busy sending, has not read
  // its alert_outbox rows yet.
  PostQuotes(kWaveSize + 1, kWaveSize);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (OutboxRows() < 2 * kWaveSize && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_GE(OutboxRows(), static_cast<size_t>(2 * kWaveSize));

  auto before = Counts();
  int64_t in_flight = At(before, wecom, "sending");
  EXPECT_GT(in_flight, 0);
  EXPECT_GT(At(before, dingtalk, "pending"), 0);
  EXPECT_EQ(At(before, dingtalk, "sent"), 0);

  server_->Kill(SIGKILL);
  gate_.Release();
  std::map<std::string, int> wecom_before_restart = Deliveries("wecom");

  server_->Start();
  ASSERT_TRUE(server_->WaitReady(std::chrono::seconds(30))) << "see " << (dir_ / "server.log");

  // Every alert reaches DingTalk, and WeCom gets every alert that was not in the killed request.
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline &&
         (Deliveries("dingtalk").size() < 2 * kWaveSize || Deliveries("wecom").size() < 2 * kWaveSize)) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  server_->Kill(SIGTERM);

  for (std::string platform : {"wecom", "dingtalk"}) {
    std::map<std::string, int> deliveries = Deliveries(platform);
    EXPECT_EQ(deliveries.size(), static_cast<size_t>(2 * kWaveSize)) << platform;
    for (const auto& [subject, count] : deliveries) EXPECT_EQ(count, 1) << platform << " " << subject;
  }
  for (const notify::testing::Arrival& arrival : fakes_->Arrivals()) {
    EXPECT_TRUE(arrival.accepted) << arrival.platform << ": " << arrival.problem;
  }

  // The rows of the request in flight at the kill are 'unknown' and were not sent a second time.
  // Their alerts had reached the fake before the kill.
  auto after = Counts();
  EXPECT_EQ(At(after, wecom, "unknown"), in_flight);
  EXPECT_EQ(static_cast<int64_t>(wecom_before_restart.size()), in_flight);
  EXPECT_EQ(At(after, wecom, "sending") + At(after, dingtalk, "sending"), 0);
  EXPECT_EQ(At(after, wecom, "sent"), 2 * kWaveSize - in_flight);
  EXPECT_EQ(At(after, dingtalk, "sent"), 2 * kWaveSize);
}

}  // namespace
}  // namespace salesradar::api
