// The engine's memory over time: counters released once they can no longer matter, and old
// pack versions unloaded once nothing refers to them.
#include <gtest/gtest.h>

#include "rules/engine.h"
#include "rules/memory_state_store.h"
#include "rules/memory_subject_resolver.h"
#include "rules/rules_test_util.h"

namespace salesradar::rules {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

constexpr char kCounterPack[] = R"yaml(pack: counters
version: 1
name: {zh: 计数器, en: Counters}
rules:
  - id: objections
    name: {zh: 1 小时内 3 次异议, en: Three objections within an hour}
    subject: lead
    kind: count
    trigger: {event: objection_raised}
    count: {at_least: 3}
    window: 1h
    level: yellow
    recipients: [owner]
    message: {zh: 异议, en: objections}
  - id: visits-without-notes
    name: {zh: 连续 3 次拜访未填写纪要, en: Three visits in a row without notes}
    subject: rep
    kind: streak
    trigger: {event: visit_completed, subject_id: event.actor}
    streak:
      length: 3
      condition: "!('notes' in event.payload)"
    level: yellow
    recipients: [owner]
    message: {zh: 拜访, en: visits}
  - id: risk
    name: {zh: 风险高于 0.7, en: Risk above 0.7}
    subject: opportunity
    kind: threshold
    trigger: {event: risk_scored}
    threshold: {value: event.payload.risk, above: 0.7, rearm: 0.6}
    level: yellow
    recipients: [owner]
    message: {zh: 风险, en: risk}
)yaml";

std::string AbsencePack(int version) {
  return "pack: demo\nversion: " + std::to_string(version) + R"(
name: {zh: 示例, en: Demo}
rules:
  - id: follow-up
    name: {zh: 跟进, en: Follow-up}
    subject: lead
    kind: absence
    trigger: {event: lead_created}
    awaited: {event: call_logged}
    window: 2h
    level: yellow
    recipients: [owner]
    message: {zh: 未跟进, en: no follow-up}
)";
}

class EngineMemoryTest : public ::testing::Test {
 protected:
  EngineMemoryTest() {
    context_.subjects = testing::TestSchemas();
    subjects_.Put({"opportunity", "O1"}, {{"risk", 0.1}}, "商机一", "u1");
    subjects_.Put({"rep", "u1"}, nlohmann::json::object(), "张伟", "u1");
    options_.counter_idle_release = minutes(10);
  }

  std::unique_ptr<Engine> NewEngine() { return std::make_unique<Engine>(clock_, subjects_, store_, options_); }

  std::shared_ptr<const CompiledPack> Compile(const std::string& yaml) {
    return testing::CompileOrFail(yaml, context_);
  }

  Event MakeEvent(const std::string& id, const std::string& type, SubjectRef subject,
                  nlohmann::json payload = nlohmann::json::object()) {
    Event event;
    event.id = id;
    event.type = type;
    event.subject = std::move(subject);
    event.actor = "u1";
    event.occurred_at = clock_.Now();
    event.received_at = clock_.Now();
    event.payload = std::move(payload);
    return event;
  }

  void Send(Engine& engine, const Event& event) {
    Result<EventOutcome> outcome = engine.OnEvent(event);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message_en();
  }

  size_t StoredCounters() {
    Result<EngineSnapshot> snapshot = store_.LoadSnapshot();
    EXPECT_TRUE(snapshot.ok());
    return snapshot.ok() ? snapshot->counters.size() : 0;
  }

  ManualClock clock_{FromUnixMicros(1'800'000'000'000'000)};
  CompileContext context_;
  MemorySubjectResolver subjects_{testing::TestSchemas()};
  MemoryStateStore store_;
  EngineOptions options_;
};

TEST_F(EngineMemoryTest, ManyCountersReleasedAfterWindows) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Compile(kCounterPack)).ok());
  ASSERT_TRUE(engine->Restore().ok());

  constexpr int kLeads = 1000;
  for (int i = 0; i < kLeads; ++i) {
    Send(*engine, MakeEvent("o" + std::to_string(i), "objection_raised", {"lead", "L" + std::to_string(i)}));
  }
  EXPECT_EQ(engine->counter_count(), static_cast<size_t>(kLeads));
  EXPECT_EQ(StoredCounters(), static_cast<size_t>(kLeads));

  // Inside their windows the counters still matter. L0 gets a second objection.
  clock_.Advance(minutes(50));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  EXPECT_EQ(engine->counter_count(), static_cast<size_t>(kLeads));
  Send(*engine, MakeEvent("o-late", "objection_raised", {"lead", "L0"}));

  // An hour after the first objections (plus the idle period) only L0's counter is left.
  clock_.Advance(minutes(25));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  EXPECT_EQ(engine->counter_count(), 1u);
  EXPECT_EQ(StoredCounters(), 1u);

  clock_.Advance(hours(1));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  EXPECT_EQ(engine->counter_count(), 0u);
  EXPECT_EQ(StoredCounters(), 0u);
}

TEST_F(EngineMemoryTest, StreakReleasedOnlyAtZero) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Compile(kCounterPack)).ok());
  ASSERT_TRUE(engine->Restore().ok());

  Send(*engine, MakeEvent("v1", "visit_completed", {"visit", "V1"}));
  Send(*engine, MakeEvent("v2", "visit_completed", {"visit", "V2"}));
  clock_.Advance(hours(5));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  EXPECT_EQ(engine->counter_count(), 1u);  // a run of two still matters

  Send(*engine, MakeEvent("v3", "visit_completed", {"visit", "V3"}, {{"notes", "纪要"}}));
  clock_.Advance(minutes(11));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  EXPECT_EQ(engine->counter_count(), 0u);
  EXPECT_EQ(StoredCounters(), 0u);
}

TEST_F(EngineMemoryTest, ThresholdReleasedOnceBackBelow) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Compile(kCounterPack)).ok());
  ASSERT_TRUE(engine->Restore().ok());

  Send(*engine, MakeEvent("r1", "risk_scored", {"opportunity", "O1"}, {{"risk", 0.9}}));
  ASSERT_EQ(engine->UnresolvedAlerts().size(), 1u);
  clock_.Advance(hours(5));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  EXPECT_EQ(engine->counter_count(), 1u);  // crossed: the alert is pending

  Send(*engine, MakeEvent("r2", "risk_scored", {"opportunity", "O1"}, {{"risk", 0.5}}));
  EXPECT_EQ(engine->UnresolvedAlerts().size(), 0u);
  clock_.Advance(minutes(11));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  EXPECT_EQ(engine->counter_count(), 0u);
  EXPECT_EQ(StoredCounters(), 0u);
}

TEST_F(EngineMemoryTest, OldVersionUnloadedAfterLastWindow) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Compile(AbsencePack(1))).ok());
  ASSERT_TRUE(engine->Restore().ok());
  Send(*engine, MakeEvent("t1", "lead_created", {"lead", "L1"}));
  Send(*engine, MakeEvent("t2", "lead_created", {"lead", "L2"}));

  ASSERT_TRUE(engine->Publish(Compile(AbsencePack(2))).ok());
  EXPECT_TRUE(engine->HasVersion("demo", 1));
  EXPECT_EQ(engine->version_count(), 2u);

  clock_.Advance(minutes(30));
  Send(*engine, MakeEvent("c1", "call_logged", {"lead", "L1"}));
  EXPECT_TRUE(engine->HasVersion("demo", 1));  // L2's window is still open

  Send(*engine, MakeEvent("c2", "call_logged", {"lead", "L2"}));
  EXPECT_FALSE(engine->HasVersion("demo", 1));
  EXPECT_TRUE(engine->HasVersion("demo", 2));
  EXPECT_EQ(engine->version_count(), 1u);
}

TEST_F(EngineMemoryTest, OldVersionKeptWhileAlertUnresolved) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Compile(AbsencePack(1))).ok());
  ASSERT_TRUE(engine->Restore().ok());
  Send(*engine, MakeEvent("t1", "lead_created", {"lead", "L1"}));
  clock_.Advance(hours(3));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  ASSERT_EQ(engine->UnresolvedAlerts().size(), 1u);

  ASSERT_TRUE(engine->Publish(Compile(AbsencePack(2))).ok());
  clock_.Advance(hours(1));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  EXPECT_TRUE(engine->HasVersion("demo", 1));

  std::string alert_id = engine->UnresolvedAlerts()[0]->id;
  ASSERT_TRUE(engine->Resolve(alert_id, "u1", "done").ok());
  EXPECT_FALSE(engine->HasVersion("demo", 1));
}

TEST_F(EngineMemoryTest, UnusedKeptVersionUnloadedByRestore) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->KeepVersion(Compile(AbsencePack(1))).ok());
  ASSERT_TRUE(engine->Publish(Compile(AbsencePack(2))).ok());
  EXPECT_TRUE(engine->HasVersion("demo", 1));

  ASSERT_TRUE(engine->Restore().ok());
  EXPECT_FALSE(engine->HasVersion("demo", 1));
  EXPECT_EQ(engine->version_count(), 1u);
}

}  // namespace
}  // namespace salesradar::rules
