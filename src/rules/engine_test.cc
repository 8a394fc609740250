#include "rules/engine.h"

#include <gtest/gtest.h>

#include "rules/memory_state_store.h"
#include "rules/memory_subject_resolver.h"
#include "rules/rules_test_util.h"

namespace salesradar::rules {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

std::string PackText(int version, const std::string& window) {
  return "pack: demo\nversion: " + std::to_string(version) + R"(
name: {zh: 示例, en: Demo}
rules:
  - id: follow-up
    name: {zh: 跟进, en: Follow-up}
    subject: lead
    kind: absence
    trigger: {event: lead_created}
    awaited: {event: call_logged}
    window: )" + window + R"(
    level: yellow
    recipients: [owner]
    message: {zh: "{subject.name}", en: "{subject.name}"}
  - id: hot-lead
    name: {zh: 高分线索, en: Hot lead}
    subject: lead
    kind: condition
    trigger:
      event: lead_scored
      condition: event.payload.score > 80 && subject.score >= 0
    level: yellow
    recipients: [owner]
    message: {zh: 高分, en: hot}
)";
}

class EngineTest : public ::testing::Test {
 protected:
  EngineTest() {
    context_.subjects = testing::TestSchemas();
    subjects_.Put({"lead", "L1"}, {{"score", 1}}, "线索一", "u1");
    options_.on_evaluation_failure = [this](const EvaluationFailure& failure) { failures_.push_back(failure); };
  }

  std::unique_ptr<Engine> NewEngine() { return std::make_unique<Engine>(clock_, subjects_, store_, options_); }

  std::shared_ptr<const CompiledPack> Pack(int version, const std::string& window = "2h") {
    return testing::CompileOrFail(PackText(version, window), context_);
  }

  Event MakeEvent(const std::string& id, const std::string& type, const std::string& lead = "L1") {
    Event event;
    event.id = id;
    event.type = type;
    event.subject = {"lead", lead};
    event.occurred_at = clock_.Now();
    event.received_at = clock_.Now();
    return event;
  }

  ManualClock clock_{FromUnixMicros(1'800'000'000'000'000)};
  CompileContext context_;
  MemorySubjectResolver subjects_{testing::TestSchemas()};
  MemoryStateStore store_;
  EngineOptions options_;
  std::vector<EvaluationFailure> failures_;
};

TEST_F(EngineTest, PublishRejectsOlderVersion) {
  auto engine = NewEngine();
  auto v2 = Pack(2);
  ASSERT_TRUE(engine->Publish(v2).ok());
  EXPECT_TRUE(engine->Publish(v2).ok());  // the active version again: nothing to do

  Status older = engine->Publish(Pack(1));
  ASSERT_FALSE(older.ok());
  EXPECT_EQ(older.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(older.error().message_en(),
            "cannot publish pack 'demo' v1: v2 is active, and a new version needs a higher number");
  EXPECT_EQ(engine->ActiveVersion("demo"), v2);
}

TEST_F(EngineTest, RestoreNeedsEveryReferencedVersion) {
  auto v1 = Pack(1);
  {
    auto engine = NewEngine();
    ASSERT_TRUE(engine->Publish(v1).ok());
    ASSERT_TRUE(engine->OnEvent(MakeEvent("e1", "lead_created")).ok());
  }

  auto missing = NewEngine();
  ASSERT_TRUE(missing->Publish(Pack(2)).ok());
  Result<RestoreSummary> failed = missing->Restore();
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(failed.error().message_en().find("pack 'demo' v1"), std::string::npos);

  auto with_old_version = NewEngine();
  ASSERT_TRUE(with_old_version->KeepVersion(v1).ok());
  ASSERT_TRUE(with_old_version->Publish(Pack(2)).ok());
  Result<RestoreSummary> restored = with_old_version->Restore();
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->windows, 1u);
  EXPECT_EQ(with_old_version->timer_count(), 1u);
  EXPECT_FALSE(with_old_version->Restore().ok());  // only once
}

TEST_F(EngineTest, StoreFailureKeepsTheBatch) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Pack(1)).ok());
  store_.FailNextApplies(1);

  Result<EventOutcome> first = engine->OnEvent(MakeEvent("e1", "lead_created"));
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(store_.window_count(), 0u);
  EXPECT_EQ(engine->window_count(), 1u);

  // The same event again is a duplicate: the engine remembers it although the store does not yet.
  Result<EventOutcome> again = engine->OnEvent(MakeEvent("e1", "lead_created"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, EventOutcome::Status::kDuplicate);

  ASSERT_TRUE(engine->OnEvent(MakeEvent("e2", "lead_created", "L2")).ok());
  EXPECT_EQ(store_.window_count(), 2u);
  EXPECT_EQ(store_.processed_count(), 2u);
}

TEST_F(EngineTest, StoreFailureKeepsResolvedAlertAndOutbox) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Pack(1)).ok());
  ASSERT_TRUE(engine->OnEvent(MakeEvent("e1", "lead_created")).ok());
  clock_.Advance(hours(3));
  ASSERT_TRUE(engine->FireDueTimers().ok());

  // The batch that resolves the alert fails, so the resolved alert and its change wait in memory.
  store_.FailNextApplies(1);
  Result<EventOutcome> failed = engine->OnEvent(MakeEvent("c1", "call_logged"));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(engine->UnresolvedAlerts().size(), 0u);

  ASSERT_TRUE(engine->Flush().ok());
  Result<std::vector<Alert>> alerts = store_.AllAlerts();
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].status, AlertStatus::kResolvedAutomatically);
  EXPECT_EQ((*alerts)[0].history.size(), 2u);

  Result<std::vector<AlertChange>> outbox = store_.Outbox();
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 2u);
  EXPECT_EQ((*outbox)[0].action, AlertAction::kRaised);
  EXPECT_EQ((*outbox)[1].action, AlertAction::kResolvedAutomatically);
  EXPECT_EQ(store_.processed_count(), 2u);
}

TEST_F(EngineTest, FailedEvaluationIsReportedAndCounted) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Pack(1)).ok());

  Event no_score = MakeEvent("s1", "lead_scored");
  ASSERT_TRUE(engine->OnEvent(no_score).ok());
  ASSERT_EQ(failures_.size(), 1u);
  EXPECT_EQ(failures_[0].event_id, "s1");
  EXPECT_EQ(failures_[0].rule_id, "hot-lead");
  EXPECT_EQ(failures_[0].part, "trigger.condition");
  EXPECT_NE(failures_[0].message.find("score"), std::string::npos) << failures_[0].message;

  // An unknown subject leaves `subject` unbound, which fails too.
  Event unknown = MakeEvent("s2", "lead_scored", "L404");
  unknown.payload = {{"score", 90}};
  ASSERT_TRUE(engine->OnEvent(unknown).ok());
  EXPECT_EQ(failures_.size(), 2u);

  Event hot = MakeEvent("s3", "lead_scored");
  hot.payload = {{"score", 90}};
  Result<EventOutcome> outcome = engine->OnEvent(hot);
  ASSERT_TRUE(outcome.ok());
  ASSERT_EQ(outcome->changes.size(), 1u);
  EXPECT_EQ(outcome->changes[0].message.zh, "高分");

  RuleStats stats = engine->Stats("demo", "hot-lead");
  EXPECT_EQ(stats.evaluations, 3u);
  EXPECT_EQ(stats.failures, 2u);
  EXPECT_EQ(stats.alerts_raised, 1u);
}

TEST_F(EngineTest, PeopleActionsValidateInput) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Pack(1)).ok());
  ASSERT_TRUE(engine->OnEvent(MakeEvent("e1", "lead_created")).ok());
  clock_.Advance(hours(3));
  Result<std::vector<AlertChange>> raised = engine->FireDueTimers();
  ASSERT_TRUE(raised.ok());
  ASSERT_EQ(raised->size(), 1u);
  std::string id = raised->at(0).alert_id;

  EXPECT_EQ(engine->Snooze(id, "u1", clock_.Now(), "").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(engine->Acknowledge(id, "", "").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(engine->Resolve("nope", "u1", "").error().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(engine->Snooze(id, "u1", clock_.Now() + hours(1), "").ok());
  EXPECT_EQ(engine->FindAlert(id)->status, AlertStatus::kSnoozed);
}

TEST_F(EngineTest, NextTimerAtFollowsWindows) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Pack(1)).ok());
  EXPECT_FALSE(engine->NextTimerAt().has_value());

  ASSERT_TRUE(engine->OnEvent(MakeEvent("e1", "lead_created")).ok());
  ASSERT_TRUE(engine->NextTimerAt().has_value());
  EXPECT_LE(*engine->NextTimerAt(), clock_.Now() + hours(2));

  ASSERT_TRUE(engine->OnEvent(MakeEvent("c1", "call_logged")).ok());
  EXPECT_EQ(engine->window_count(), 0u);
  EXPECT_EQ(engine->timer_count(), 0u);
}

TEST_F(EngineTest, DuplicatesFoundInStoreWhenCacheIsSmall) {
  options_.dedupe_cache_size = 1;
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Pack(1)).ok());
  ASSERT_TRUE(engine->OnEvent(MakeEvent("e1", "lead_created")).ok());
  ASSERT_TRUE(engine->OnEvent(MakeEvent("e2", "lead_created", "L2")).ok());

  Result<EventOutcome> again = engine->OnEvent(MakeEvent("e1", "lead_created"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, EventOutcome::Status::kDuplicate);
}

TEST_F(EngineTest, ManualFlushWritesOneBatch) {
  options_.flush_after_each_call = false;
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Pack(1)).ok());
  ASSERT_TRUE(engine->OnEvent(MakeEvent("e1", "lead_created")).ok());
  ASSERT_TRUE(engine->OnEvent(MakeEvent("e2", "lead_created", "L2")).ok());
  EXPECT_EQ(store_.applied_batches(), 0);

  ASSERT_TRUE(engine->Flush().ok());
  EXPECT_EQ(store_.applied_batches(), 1);
  EXPECT_EQ(store_.window_count(), 2u);
  EXPECT_TRUE(engine->Flush().ok());
  EXPECT_EQ(store_.applied_batches(), 1);  // nothing pending
}

TEST_F(EngineTest, OutboxKeepsChangeOrder) {
  auto engine = NewEngine();
  ASSERT_TRUE(engine->Publish(Pack(1)).ok());
  ASSERT_TRUE(engine->OnEvent(MakeEvent("e1", "lead_created")).ok());
  clock_.Advance(hours(2));
  ASSERT_TRUE(engine->FireDueTimers().ok());
  clock_.Advance(minutes(5));
  ASSERT_TRUE(engine->OnEvent(MakeEvent("c1", "call_logged")).ok());

  Result<std::vector<AlertChange>> outbox = store_.Outbox();
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 2u);
  EXPECT_EQ(outbox->at(0).action, AlertAction::kRaised);
  EXPECT_EQ(outbox->at(0).recipients.at(0).user_id, "u1");
  EXPECT_EQ(outbox->at(1).action, AlertAction::kResolvedAutomatically);

  Result<std::vector<Alert>> alerts = store_.AllAlerts();
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ(alerts->at(0).history.size(), 2u);
  EXPECT_EQ(alerts->at(0).status, AlertStatus::kResolvedAutomatically);
}

TEST_F(EngineTest, InvalidEventIsRejected) {
  auto engine = NewEngine();
  Event event = MakeEvent("", "lead_created");
  Result<EventOutcome> outcome = engine->OnEvent(event);
  ASSERT_FALSE(outcome.ok());
  EXPECT_EQ(outcome.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace salesradar::rules
