// The Store contract for the rules engine: the event log, rule pack versions, and the engine
// state behind rules::EngineStateStore, as a typed test suite next to store_contract_test.h.
// A backend's test file instantiates it:
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, StoreRulesContractTest, MyBackend);
#pragma once

#include <chrono>

#include "rules/compiler.h"
#include "rules/engine.h"
#include "rules/memory_subject_resolver.h"
#include "rules/rule_pack_yaml.h"
#include "rules/state_json.h"
#include "store/store_contract_test.h"
#include "store/subject_bucket.h"

namespace salesradar::store::testing {

inline rules::Event LeadEvent(std::string id, std::string type, std::string lead, Timestamp at) {
  rules::Event event;
  event.id = std::move(id);
  event.type = std::move(type);
  event.subject = {"lead", std::move(lead)};
  event.actor = "rep-1";
  event.occurred_at = at;
  event.received_at = at;
  event.payload = {{"channel", "phone"}};
  return event;
}

inline Timestamp At(int64_t hours) { return FromUnixMicros(1'760'000'000'000'000) + std::chrono::hours(hours); }

// An absence rule on leads with a wall-time window, so that no calendar is needed.
inline constexpr const char* kFollowUpPack = R"yaml(
pack: contract
version: 1
name: {zh: 契约测试, en: contract test}
rules:
  - id: lead-no-call-48h
    name: {zh: 线索 48 小时未跟进, en: Lead without a call in 48 hours}
    subject: lead
    kind: absence
    trigger: {event: lead_created}
    awaited: {event: call_logged}
    window: 48h
    level: yellow
    recipients: {yellow: [owner]}
    message: {zh: "线索 {subject.name} 未跟进", en: "lead {subject.name} has no call"}
)yaml";

template <typename Backend>
class StoreRulesContractTest : public StoreContractTest<Backend> {
 protected:
  std::unique_ptr<rules::EngineStateStore> OpenStateOrFail() {
    Result<std::unique_ptr<rules::EngineStateStore>> state = this->store_->OpenEngineState();
    EXPECT_TRUE(state.ok()) << (state.ok() ? "" : state.error().message_en());
    return state.ok() ? std::move(state).value() : nullptr;
  }

  std::unique_ptr<rules::EngineStateStore> OpenScopedStateOrFail(const EngineStateScope& scope) {
    Result<std::unique_ptr<rules::EngineStateStore>> state = this->store_->OpenScopedEngineState(scope);
    EXPECT_TRUE(state.ok()) << (state.ok() ? "" : state.error().message_en());
    return state.ok() ? std::move(state).value() : nullptr;
  }

  // Returns the id of the first lead "L-<n>" whose bucket falls in `partition` of 2.
  static std::string LeadInPartition(int partition) {
    for (int n = 1;; ++n) {
      std::string id = "L-" + std::to_string(n);
      if (PartitionOfBucket(SubjectBucket("lead", id), 2) == partition) return id;
    }
  }

  // A batch with a window, a counter, an alert and its ticket for lead `lead`.
  static rules::StateBatch LeadBatch(const std::string& lead) {
    rules::StateBatch batch = FullBatch();
    batch.windows_upserted[0].key.subject.id = lead;
    batch.counters_upserted[0].key.subject = {"lead", lead};
    rules::Alert& alert = batch.alerts_upserted[0];
    alert.key.subject.id = lead;
    alert.id = alert.key.ToString();
    alert.ticket_id = alert.id + "/ticket";
    rules::Ticket& ticket = batch.tickets_upserted[0];
    ticket.id = alert.ticket_id;
    ticket.alert_id = alert.id;
    ticket.subject = alert.key.subject;
    batch.processed_event_ids = {"processed-" + lead};
    batch.outbox[0].alert_id = alert.id;
    batch.outbox[0].key = alert.key;
    return batch;
  }

  // A batch that touches every kind of state: a window, a counter, an alert with history, a
  // ticket, processed ids and an outbox entry.
  static rules::StateBatch FullBatch() {
    rules::StateBatch batch;
    rules::RuleSubjectKey key{"pack", "rule", {"lead", "L-1"}};
    batch.windows_upserted.push_back({key, 1, LeadEvent("e-1", "lead_created", "L-1", At(0)), At(48), ""});
    rules::CounterState counter;
    counter.key = {"pack", "streak", {"rep", "rep-1"}};
    counter.version = 1;
    counter.events.push_back({"e-2", At(1), true});
    batch.counters_upserted.push_back(counter);

    rules::Alert alert;
    alert.key = {"pack", "rule", 1, {"lead", "L-2"}, "e-3"};
    alert.id = alert.key.ToString();
    alert.kind = rules::RuleKind::kAbsence;
    alert.raised_at = At(2);
    alert.created_at = At(2);
    alert.updated_at = At(3);
    alert.level_since = At(2);
    rules::RecordHistory(alert, At(2), rules::kSystemActor, rules::AlertAction::kRaised, "");
    alert.level = rules::Level::kRed;
    rules::RecordHistory(alert, At(3), rules::kSystemActor, rules::AlertAction::kEscalated, "");
    alert.ticket_id = alert.id + "/ticket";
    batch.alerts_upserted.push_back(alert);
    batch.tickets_upserted.push_back({alert.ticket_id, "sales_ops", alert.key.subject, alert.id,
                                      rules::TicketStatus::kOpen, At(3), std::nullopt});
    batch.processed_event_ids = {"e-1", "e-2", "e-3"};
    rules::AlertChange change;
    change.alert_id = alert.id;
    change.key = alert.key;
    batch.outbox.push_back(change);
    return batch;
  }

  static std::shared_ptr<const rules::CompiledPack> CompileFollowUpPack() {
    rules::RulePackLoad loaded = rules::LoadRulePack(kFollowUpPack, "contract.yaml");
    EXPECT_TRUE(loaded.ok());
    rules::CompileContext context;
    rules::SubjectSchema lead{"lead", {"Lead", {{"name", cel::Type::String()}}}};
    context.subjects.push_back(lead);
    rules::CompileResult compiled = rules::CompileRulePack(*loaded.pack, context);
    EXPECT_TRUE(compiled.ok());
    return compiled.pack;
  }
};

TYPED_TEST_SUITE_P(StoreRulesContractTest);

TYPED_TEST_P(StoreRulesContractTest, EventsAppendIdempotentAndOrdered) {
  std::vector<rules::Event> events = {LeadEvent("b", "call_logged", "L-1", At(5)),
                                      LeadEvent("a", "lead_created", "L-1", At(1)),
                                      LeadEvent("c", "call_logged", "L-2", At(1))};
  Result<AppendEventsResult> first = this->store_->AppendEvents(events);
  ASSERT_TRUE(first.ok()) << first.error().message_en();
  EXPECT_EQ(first->inserted, 3);

  events[0].type = "changed";  // a duplicate id keeps the stored event
  Result<AppendEventsResult> again = this->store_->AppendEvents(events);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->inserted, 0);
  EXPECT_EQ(again->duplicates, 3);

  Result<std::unique_ptr<Cursor<rules::Event>>> cursor = this->store_->OpenEventCursor({});
  ASSERT_TRUE(cursor.ok());
  std::vector<rules::Event> read;
  rules::Event event;
  while (*(*cursor)->Next(&event)) read.push_back(event);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].id, "a");  // same time as "c": ordered by id
  EXPECT_EQ(read[1].id, "c");
  EXPECT_EQ(read[2], LeadEvent("b", "call_logged", "L-1", At(5)));
}

TYPED_TEST_P(StoreRulesContractTest, EventCursorFiltersByTime) {
  std::vector<rules::Event> events = {LeadEvent("a", "x", "L-1", At(1)), LeadEvent("b", "x", "L-1", At(2)),
                                      LeadEvent("c", "x", "L-1", At(3))};
  ASSERT_TRUE(this->store_->AppendEvents(events).ok());

  Result<std::unique_ptr<Cursor<rules::Event>>> cursor = this->store_->OpenEventCursor({At(2), At(3)});
  ASSERT_TRUE(cursor.ok());
  rules::Event event;
  ASSERT_TRUE(*(*cursor)->Next(&event));
  EXPECT_EQ(event.id, "b");
  EXPECT_FALSE(*(*cursor)->Next(&event));
}

TYPED_TEST_P(StoreRulesContractTest, InvalidEventWritesNothing) {
  std::vector<rules::Event> events = {LeadEvent("a", "x", "L-1", At(1)), LeadEvent("", "x", "L-1", At(1))};
  Result<AppendEventsResult> appended = this->store_->AppendEvents(events);
  ASSERT_FALSE(appended.ok());
  EXPECT_EQ(appended.error().code(), ErrorCode::kInvalidArgument);

  Result<std::unique_ptr<Cursor<rules::Event>>> cursor = this->store_->OpenEventCursor({});
  ASSERT_TRUE(cursor.ok());
  rules::Event event;
  EXPECT_FALSE(*(*cursor)->Next(&event));
}

TYPED_TEST_P(StoreRulesContractTest, RulePackVersionsRiseAndOneIsActive) {
  ASSERT_TRUE(this->store_->PublishRulePack("p", 1, "pack: p\nversion: 1\n", "admin").ok());
  Result<RulePackVersion> second = this->store_->PublishRulePack("p", 2, "pack: p\nversion: 2\n", "admin");
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->active);

  Result<RulePackVersion> stale = this->store_->PublishRulePack("p", 2, "again", "admin");
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.error().code(), ErrorCode::kFailedPrecondition);

  this->Reopen();
  Result<std::vector<RulePackVersion>> versions = this->store_->ListRulePackVersions();
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2u);
  EXPECT_FALSE((*versions)[0].active);
  EXPECT_TRUE((*versions)[1].active);
  EXPECT_EQ((*versions)[1].yaml, "pack: p\nversion: 2\n");
  EXPECT_EQ((*versions)[1].published_by, "admin");
}

TYPED_TEST_P(StoreRulesContractTest, SnapshotSurvivesReopen) {
  rules::StateBatch batch = TestFixture::FullBatch();
  {
    auto state = this->OpenStateOrFail();
    ASSERT_TRUE(state->Apply(batch).ok());
  }
  this->Reopen();
  auto state = this->OpenStateOrFail();

  Result<rules::EngineSnapshot> snapshot = state->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message_en();
  EXPECT_EQ(snapshot->windows, batch.windows_upserted);
  EXPECT_EQ(snapshot->counters, batch.counters_upserted);
  ASSERT_EQ(snapshot->unresolved_alerts.size(), 1u);
  EXPECT_EQ(rules::AlertToJson(snapshot->unresolved_alerts[0]), rules::AlertToJson(batch.alerts_upserted[0]));
  ASSERT_EQ(snapshot->open_tickets.size(), 1u);
  EXPECT_EQ(snapshot->open_tickets[0].id, batch.tickets_upserted[0].id);
}

TYPED_TEST_P(StoreRulesContractTest, RemovalsAndResolvedAlertsLeaveSnapshot) {
  auto state = this->OpenStateOrFail();
  rules::StateBatch batch = TestFixture::FullBatch();
  ASSERT_TRUE(state->Apply(batch).ok());

  rules::StateBatch later;
  later.windows_removed.push_back(batch.windows_upserted[0].key);
  later.counters_removed.push_back(batch.counters_upserted[0].key);
  rules::Alert resolved = batch.alerts_upserted[0];
  resolved.status = rules::AlertStatus::kResolvedByPerson;
  rules::RecordHistory(resolved, At(4), "manager-1", rules::AlertAction::kResolvedByPerson, "called back");
  later.alerts_upserted.push_back(resolved);
  rules::Ticket closed = batch.tickets_upserted[0];
  closed.status = rules::TicketStatus::kClosed;
  closed.closed_at = At(4);
  later.tickets_upserted.push_back(closed);
  ASSERT_TRUE(state->Apply(later).ok());

  Result<rules::EngineSnapshot> snapshot = state->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->windows.empty());
  EXPECT_TRUE(snapshot->counters.empty());
  EXPECT_TRUE(snapshot->unresolved_alerts.empty());
  EXPECT_TRUE(snapshot->open_tickets.empty());
}

// The engine lists a window that closed and opened again within one batch as removed (possibly
// more than once) and as upserted. Removals apply first, so the new window stays.
TYPED_TEST_P(StoreRulesContractTest, RemovedAndUpsertedKeyKeepsUpsert) {
  auto state = this->OpenStateOrFail();
  rules::StateBatch first = TestFixture::FullBatch();
  ASSERT_TRUE(state->Apply(first).ok());

  rules::StateBatch reopened;
  rules::WindowState window = first.windows_upserted[0];
  window.deadline = At(96);
  reopened.windows_removed = {window.key, window.key};
  reopened.windows_upserted.push_back(window);
  rules::CounterState counter = first.counters_upserted[0];
  counter.version = 2;
  reopened.counters_removed = {counter.key, counter.key};
  reopened.counters_upserted.push_back(counter);
  ASSERT_TRUE(state->Apply(reopened).ok());

  Result<rules::EngineSnapshot> snapshot = state->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->windows.size(), 1u);
  EXPECT_EQ(snapshot->windows[0].deadline, At(96));
  ASSERT_EQ(snapshot->counters.size(), 1u);
  EXPECT_EQ(snapshot->counters[0].version, 2);
}

TYPED_TEST_P(StoreRulesContractTest, IsProcessedAfterApply) {
  auto state = this->OpenStateOrFail();
  ASSERT_TRUE(state->Apply(TestFixture::FullBatch()).ok());
  EXPECT_TRUE(*state->IsProcessed("e-2"));
  EXPECT_FALSE(*state->IsProcessed("e-9"));

  this->Reopen();
  state = this->OpenStateOrFail();
  EXPECT_TRUE(*state->IsProcessed("e-3"));
}

// A batch that cannot be written leaves nothing: here another writer holds the lock.
TYPED_TEST_P(StoreRulesContractTest, ApplyWhileLockedLeavesNothing) {
  if (std::string_view(TypeParam::kName) == "postgres") {
    GTEST_SKIP() << "Begin takes no lock in PostgreSQL; pg_store_test locks the tables instead";
  }
  // Open both Stores before the lock is taken: opening a database may itself need the write
  // lock briefly (to check migrations).
  this->store_.reset();
  this->store_ = this->OpenOrFail(/*busy_timeout_ms=*/50);
  ASSERT_NE(this->store_, nullptr);
  auto state = this->OpenStateOrFail();
  ASSERT_NE(state, nullptr);
  std::unique_ptr<Store> writer = this->OpenOrFail();
  ASSERT_NE(writer, nullptr);
  ASSERT_TRUE(writer->Begin().ok());

  Status applied = state->Apply(TestFixture::FullBatch());
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code(), ErrorCode::kUnavailable);
  ASSERT_TRUE(writer->Rollback().ok());

  Result<rules::EngineSnapshot> snapshot = state->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->windows.empty());
  EXPECT_TRUE(snapshot->unresolved_alerts.empty());
  EXPECT_FALSE(*state->IsProcessed("e-1"));
}

TYPED_TEST_P(StoreRulesContractTest, ApplyInsideStoreTransactionIsRejected) {
  auto state = this->OpenStateOrFail();
  ASSERT_TRUE(this->store_->Begin().ok());
  Status applied = state->Apply(TestFixture::FullBatch());
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code(), ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(this->store_->Rollback().ok());
}

// A deadline that passed while the engine was down fires once after the restart, and not again
// after a second restart.
TYPED_TEST_P(StoreRulesContractTest, EngineRestartFiresPassedDeadlineOnce) {
  auto pack = TestFixture::CompileFollowUpPack();
  ASSERT_NE(pack, nullptr);
  ManualClock clock(At(0));
  rules::MemorySubjectResolver subjects({{"lead", {"Lead", {{"name", cel::Type::String()}}}}});
  subjects.Put({"lead", "L-1"}, {{"name", "L-1"}}, "L-1", "rep-1");
  subjects.Put({"lead", "L-2"}, {{"name", "L-2"}}, "L-2", "rep-1");

  {
    auto state = this->OpenStateOrFail();
    rules::Engine engine(clock, subjects, *state);
    ASSERT_TRUE(engine.Publish(pack).ok());
    ASSERT_TRUE(engine.Restore().ok());
    ASSERT_TRUE(engine.OnEvent(LeadEvent("created-1", "lead_created", "L-1", At(0))).ok());
    ASSERT_TRUE(engine.OnEvent(LeadEvent("created-2", "lead_created", "L-2", At(0))).ok());
    ASSERT_TRUE(engine.OnEvent(LeadEvent("call-2", "call_logged", "L-2", At(1))).ok());
  }

  this->Reopen();
  clock.Set(At(72));  // the 48-hour deadline of L-1 passed while the engine was down
  int raised = 0;
  {
    auto state = this->OpenStateOrFail();
    rules::Engine engine(clock, subjects, *state);
    ASSERT_TRUE(engine.Publish(pack).ok());
    Result<rules::RestoreSummary> restored = engine.Restore();
    ASSERT_TRUE(restored.ok());
    EXPECT_EQ(restored->windows, 1u);
    Result<std::vector<rules::AlertChange>> fired = engine.FireDueTimers();
    ASSERT_TRUE(fired.ok());
    for (const rules::AlertChange& change : *fired) {
      if (change.action == rules::AlertAction::kRaised) {
        ++raised;
        EXPECT_EQ(change.key.subject.id, "L-1");
      }
    }
    EXPECT_TRUE(*state->IsProcessed("call-2"));
  }
  EXPECT_EQ(raised, 1);

  this->Reopen();
  clock.Set(At(96));
  auto state = this->OpenStateOrFail();
  rules::Engine engine(clock, subjects, *state);
  ASSERT_TRUE(engine.Publish(pack).ok());
  Result<rules::RestoreSummary> restored = engine.Restore();
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->alerts, 1u);
  Result<std::vector<rules::AlertChange>> fired = engine.FireDueTimers();
  ASSERT_TRUE(fired.ok());
  for (const rules::AlertChange& change : *fired) EXPECT_NE(change.action, rules::AlertAction::kRaised);
}

// A scope of the buckets of partition 0 of 2 loads the state of its subjects only.
TYPED_TEST_P(StoreRulesContractTest, ScopedSnapshotHasOnlyItsBuckets) {
  std::string inside = TestFixture::LeadInPartition(0);
  std::string outside = TestFixture::LeadInPartition(1);
  {
    auto everything = this->OpenStateOrFail();
    ASSERT_TRUE(everything->Apply(TestFixture::LeadBatch(inside)).ok());
    ASSERT_TRUE(everything->Apply(TestFixture::LeadBatch(outside)).ok());
  }

  EngineStateScope scope;
  scope.buckets = PartitionBuckets(0, 2);
  auto state = this->OpenScopedStateOrFail(scope);
  ASSERT_NE(state, nullptr);
  Result<rules::EngineSnapshot> snapshot = state->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok()) << snapshot.error().message_en();

  ASSERT_EQ(snapshot->windows.size(), 1u);
  EXPECT_EQ(snapshot->windows[0].key.subject.id, inside);
  ASSERT_EQ(snapshot->counters.size(), 1u);
  EXPECT_EQ(snapshot->counters[0].key.subject.id, inside);
  ASSERT_EQ(snapshot->unresolved_alerts.size(), 1u);
  EXPECT_EQ(snapshot->unresolved_alerts[0].key.subject.id, inside);
  ASSERT_EQ(snapshot->open_tickets.size(), 1u);
  EXPECT_EQ(snapshot->open_tickets[0].subject.id, inside);

  Result<rules::EngineSnapshot> all = this->OpenStateOrFail()->LoadSnapshot();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->windows.size(), 2u);
  EXPECT_EQ(all->unresolved_alerts.size(), 2u);
}

TYPED_TEST_P(StoreRulesContractTest, UnprocessedEventsFilterByBucket) {
  std::string inside = TestFixture::LeadInPartition(0);
  std::string outside = TestFixture::LeadInPartition(1);
  std::vector<rules::Event> events = {LeadEvent("in-1", "x", inside, At(1)), LeadEvent("out-1", "x", outside, At(1)),
                                      LeadEvent("in-2", "x", inside, At(2)), LeadEvent("in-done", "x", inside, At(3))};
  ASSERT_TRUE(this->store_->AppendEvents(events).ok());
  rules::StateBatch processed;
  processed.processed_event_ids = {"in-done"};
  ASSERT_TRUE(this->OpenStateOrFail()->Apply(processed).ok());

  std::vector<int> buckets = PartitionBuckets(0, 2);
  Result<std::vector<StoredEvent>> scoped = this->store_->ListUnprocessedEventsInBuckets(0, 10, buckets);
  ASSERT_TRUE(scoped.ok()) << scoped.error().message_en();
  ASSERT_EQ(scoped->size(), 2u);
  EXPECT_EQ((*scoped)[0].event.id, "in-1");
  EXPECT_EQ((*scoped)[1].event.id, "in-2");
  EXPECT_LT((*scoped)[0].seq, (*scoped)[1].seq);

  Result<std::vector<StoredEvent>> after = this->store_->ListUnprocessedEventsInBuckets((*scoped)[0].seq, 10, buckets);
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), 1u);
  EXPECT_EQ((*after)[0].event.id, "in-2");

  Result<std::vector<StoredEvent>> every = this->store_->ListUnprocessedEventsInBuckets(0, 10, {});
  ASSERT_TRUE(every.ok());
  EXPECT_EQ(every->size(), 3u);
}

// Two engines that write the same alert (a retried batch, or two nodes during a takeover) leave
// one alert with one copy of each history entry.
TYPED_TEST_P(StoreRulesContractTest, AlertWritesAreIdempotent) {
  rules::StateBatch batch = TestFixture::FullBatch();
  ASSERT_TRUE(this->OpenStateOrFail()->Apply(batch).ok());
  std::unique_ptr<Store> other = this->OpenOrFail();
  ASSERT_NE(other, nullptr);
  Result<std::unique_ptr<rules::EngineStateStore>> other_state = other->OpenEngineState();
  ASSERT_TRUE(other_state.ok());
  Status again = (*other_state)->Apply(batch);
  ASSERT_TRUE(again.ok()) << again.error().message_en();

  Result<rules::EngineSnapshot> snapshot = this->OpenStateOrFail()->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  ASSERT_EQ(snapshot->unresolved_alerts.size(), 1u);
  EXPECT_EQ(snapshot->unresolved_alerts[0].history.size(), 2u);
  EXPECT_EQ(rules::AlertToJson(snapshot->unresolved_alerts[0]), rules::AlertToJson(batch.alerts_upserted[0]));
  EXPECT_EQ(snapshot->open_tickets.size(), 1u);
}

REGISTER_TYPED_TEST_SUITE_P(StoreRulesContractTest, EventsAppendIdempotentAndOrdered, EventCursorFiltersByTime,
                            InvalidEventWritesNothing, RulePackVersionsRiseAndOneIsActive, SnapshotSurvivesReopen,
                            RemovalsAndResolvedAlertsLeaveSnapshot, RemovedAndUpsertedKeyKeepsUpsert,
                            IsProcessedAfterApply,
                            ApplyWhileLockedLeavesNothing, ApplyInsideStoreTransactionIsRejected,
                            EngineRestartFiresPassedDeadlineOnce, ScopedSnapshotHasOnlyItsBuckets,
                            UnprocessedEventsFilterByBucket, AlertWritesAreIdempotent);

}  // namespace salesradar::store::testing
