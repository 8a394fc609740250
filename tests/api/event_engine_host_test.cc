// In-process tests of EventIntake and EngineHost: group commit with duplicates, the alert on the
// stream, replay of committed events, alert actions, escalation on a manual clock, restart, and
// publishing a pack that does not check. They run over a real SQLite file, and over a PostgreSQL
// schema in the pg run (test_database.h).
#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "api/engine_host.h"
#include "api/event_intake.h"
#include "api/store_pool.h"
#include "server/metrics.h"
#include "server/sse.h"
#include "store/store.h"
#include "test_database.h"

namespace salesradar::api {
namespace {

namespace fs = std::filesystem;

constexpr const char* kPack = R"(pack: intake-test
version: 1
name: {zh: 接收测试, en: Intake test}
rules:
  - id: hot-lead
    name: {zh: 高分线索, en: Hot lead}
    subject: lead
    kind: condition
    trigger:
      event: lead_scored
      condition: event.payload.score > 80
    level: yellow
    escalation:
      - {after: 1h, level: orange}
    recipients: [owner]
    message: {zh: 高分线索, en: hot lead}
)";

rules::Event LeadScored(const std::string& id, int score, Timestamp at, const std::string& lead = "L-1") {
  rules::Event event;
  event.id = id;
  event.type = "lead_scored";
  event.subject = {"lead", lead};
  event.occurred_at = at;
  event.received_at = at;
  event.payload = {{"score", score}};
  return event;
}

class EngineHostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("salesradar-engine-host-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            std::to_string(reinterpret_cast<uintptr_t>(this)));
    fs::create_directories(dir_);
    database_ = testing::CreateTestDatabase(dir_);
    ASSERT_FALSE(database_.empty());
    auto pool = StorePool::Open(database_, 2);
    ASSERT_TRUE(pool.ok()) << pool.error().ToLogString();
    pool_ = std::move(*pool);
  }

  void TearDown() override {
    intake_.reset();
    host_.reset();
    metrics_.reset();
    pool_.reset();
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }

  void StartHost(size_t intake_capacity = 10'000) {
    EngineHostOptions options;
    options.timer_poll = std::chrono::milliseconds(10);
    options.calendar_dir = std::string(SALESRADAR_SOURCE_DIR) + "/examples/calendars";
    // Each host registers its own callback gauges, as each App has its own registry.
    metrics_ = std::make_unique<server::MetricsRegistry>();
    auto host = EngineHost::Start(*pool_, clock_, hub_, *metrics_, options);
    ASSERT_TRUE(host.ok()) << host.error().ToLogString();
    host_ = std::move(*host);

    EventIntakeOptions intake_options;
    intake_options.queue_capacity = intake_capacity;
    auto intake = EventIntake::Start(*pool_, *host_, *metrics_, intake_options);
    ASSERT_TRUE(intake.ok()) << intake.error().ToLogString();
    intake_ = std::move(*intake);
  }

  void StopHost() {
    intake_.reset();
    host_.reset();
  }

  void PublishTestPack() {
    auto published = host_->PublishPack(kPack, "test");
    ASSERT_TRUE(published.ok()) << published.error().ToLogString();
  }

  std::vector<store::AlertRow> Alerts(const std::vector<std::string>& statuses = {}) {
    auto store = pool_->Acquire();
    EXPECT_TRUE(store.ok());
    store::AlertFilter filter;
    filter.statuses = statuses;
    auto page = (*store)->ListAlerts(filter, nullptr);
    EXPECT_TRUE(page.ok()) << page.error().ToLogString();
    return page.ok() ? page->rows : std::vector<store::AlertRow>();
  }

  fs::path dir_;
  std::string database_;
  ManualClock clock_{FromUnixMicros(1'800'000'000'000'000)};
  server::SseHub hub_{256};
  std::unique_ptr<server::MetricsRegistry> metrics_;
  std::unique_ptr<StorePool> pool_;
  std::unique_ptr<EngineHost> host_;
  std::unique_ptr<EventIntake> intake_;
};

TEST_F(EngineHostTest, IntakeCountsRepeatedIdsAsDuplicates) {
  StartHost();
  auto first = intake_->Submit({LeadScored("e1", 10, clock_.Now()), LeadScored("e2", 10, clock_.Now())});
  ASSERT_TRUE(first.ok()) << first.error().ToLogString();
  EXPECT_EQ(first->inserted, 2);
  EXPECT_EQ(first->duplicates, 0);

  auto again = intake_->Submit({LeadScored("e2", 10, clock_.Now()), LeadScored("e3", 10, clock_.Now())});
  ASSERT_TRUE(again.ok()) << again.error().ToLogString();
  EXPECT_EQ(again->inserted, 1);
  EXPECT_EQ(again->duplicates, 1);
}

TEST_F(EngineHostTest, IntakeRejectsBatchLargerThanQueue) {
  StartHost(/*intake_capacity=*/2);
  auto result = intake_->Submit({LeadScored("a", 1, clock_.Now()), LeadScored("b", 1, clock_.Now()),
                                 LeadScored("c", 1, clock_.Now())});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(EngineHostTest, IntakeAnswersConcurrentRequests) {
  StartHost();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  std::atomic<int> inserted{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto result = intake_->Submit({LeadScored(fmt::format("t{}-{}", t, i), 1, clock_.Now())});
        if (result.ok()) inserted += static_cast<int>(result->inserted);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(inserted.load(), kThreads * kPerThread);
  EXPECT_TRUE(host_->Drain(std::chrono::seconds(10)).ok());
}

TEST_F(EngineHostTest, AlertReachesStreamWithinOneSecond) {
  StartHost();
  PublishTestPack();
  auto subscription = hub_.Subscribe(nullptr, "test");

  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(intake_->Submit({LeadScored("hot-1", 95, clock_.Now())}).ok());

  std::vector<server::SseEvent> received;
  while (received.empty() && std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) {
    subscription->TakeEvents(received);
    if (received.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].event, "alert");
  auto data = nlohmann::json::parse(received[0].data);
  EXPECT_EQ(data["rule_id"], "hot-lead");
  EXPECT_EQ(data["status"], "open");
  EXPECT_EQ(data["rule_name"]["en"], "Hot lead");
  EXPECT_EQ(data["history_count"], 1);
}

TEST_F(EngineHostTest, StartReplaysCommittedUnprocessedEvents) {
  StartHost();
  PublishTestPack();
  StopHost();
  {
    auto store = pool_->Acquire();
    ASSERT_TRUE(store.ok());
    std::vector<rules::Event> events = {LeadScored("crash-1", 99, clock_.Now())};
    ASSERT_TRUE((*store)->AppendEvents(events).ok());
  }
  EXPECT_TRUE(Alerts().empty());

  StartHost();
  ASSERT_EQ(Alerts().size(), 1u);
  EXPECT_EQ(Alerts()[0].alert.key.occurrence, "crash-1");
}

TEST_F(EngineHostTest, ActionsChangeStatusAndHistory) {
  StartHost();
  PublishTestPack();
  ASSERT_TRUE(intake_->Submit({LeadScored("hot-2", 95, clock_.Now())}).ok());
  ASSERT_TRUE(host_->Drain(std::chrono::seconds(5)).ok());
  ASSERT_EQ(Alerts().size(), 1u);
  std::string id = Alerts()[0].alert.id;

  ASSERT_TRUE(host_->Acknowledge(id, "7", "seen").ok());
  EXPECT_EQ(Alerts()[0].alert.status, rules::AlertStatus::kAcknowledged);

  auto again = host_->Acknowledge(id, "7", "seen twice");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);

  ASSERT_TRUE(host_->Snooze(id, "7", clock_.Now() + std::chrono::hours(2), "later").ok());
  EXPECT_EQ(Alerts()[0].alert.status, rules::AlertStatus::kSnoozed);

  ASSERT_TRUE(host_->Resolve(id, "7", "done").ok());
  EXPECT_TRUE(Alerts({"open", "acknowledged", "snoozed"}).empty());
  auto store = pool_->Acquire();
  ASSERT_TRUE(store.ok());
  auto history = (*store)->ListAlertHistory(id);
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);
  EXPECT_EQ((*history)[3].action, rules::AlertAction::kResolvedByPerson);
  EXPECT_EQ((*history)[3].actor, "7");

  auto missing = host_->Resolve("no/such@1/alert/x/y", "7", "");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

TEST_F(EngineHostTest, EscalatesOnManualClock) {
  StartHost();
  PublishTestPack();
  ASSERT_TRUE(intake_->Submit({LeadScored("hot-3", 95, clock_.Now())}).ok());
  ASSERT_TRUE(host_->Drain(std::chrono::seconds(5)).ok());
  ASSERT_EQ(Alerts()[0].alert.level, rules::Level::kYellow);

  clock_.Advance(std::chrono::hours(1) + std::chrono::seconds(2));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (Alerts()[0].alert.level != rules::Level::kOrange && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(Alerts()[0].alert.level, rules::Level::kOrange);
}

TEST_F(EngineHostTest, RestartKeepsPacksAndAlerts) {
  StartHost();
  PublishTestPack();
  ASSERT_TRUE(intake_->Submit({LeadScored("hot-4", 95, clock_.Now())}).ok());
  ASSERT_TRUE(host_->Drain(std::chrono::seconds(5)).ok());
  StopHost();

  StartHost();
  EXPECT_EQ(host_->RuleName("intake-test", "hot-lead").en, "Hot lead");
  std::string id = Alerts()[0].alert.id;
  EXPECT_TRUE(host_->Acknowledge(id, "7", "after restart").ok());

  ASSERT_TRUE(intake_->Submit({LeadScored("hot-4", 95, clock_.Now())}).ok());
  ASSERT_TRUE(host_->Drain(std::chrono::seconds(5)).ok());
  EXPECT_EQ(Alerts().size(), 1u);
}

TEST_F(EngineHostTest, PublishPackListsProblems) {
  StartHost();
  std::string broken = kPack;
  broken.replace(broken.find("event.payload.score > 80"), 24, "event.payload.score >");
  auto published = host_->PublishPack(broken, "test");
  ASSERT_FALSE(published.ok());
  EXPECT_EQ(published.error().code(), ErrorCode::kInvalidArgument);
  ASSERT_FALSE(published.error().details().empty());
  EXPECT_NE(published.error().details()[0].key.find("hot-lead"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::api
