// EngineHost: the engine thread, its work queue, timers, alert actions, publishing rule packs,
// and the alert changes it sends to the live stream.
#include "api/engine_host.h"

#include <array>
#include <set>

#include <fmt/format.h>

#include "api/alert_json.h"
#include "api/engine_host_impl.h"
#include "api/store_pool.h"
#include "common/logging.h"

namespace salesradar::api {
namespace {

// Events the engine processes between two flushes at most; one flush is one transaction.
constexpr size_t kMaxEventsPerFlush = 2000;
// The outbox backlog is counted at most this often, because it scans the unsent rows.
constexpr auto kBacklogCountInterval = std::chrono::seconds(5);
constexpr auto kGaugeInterval = std::chrono::seconds(1);
// Evaluation failures of one rule are logged the first kFailureLogBurst times, then every
// kFailureLogEvery-th time; the metric counts all of them.
constexpr uint64_t kFailureLogBurst = 10;
constexpr uint64_t kFailureLogEvery = 1000;

Error Stopping() {
  return Error(ErrorCode::kUnavailable, "规则引擎正在停止；请稍后重试", "the rules engine is stopping; retry later");
}

}  // namespace

EngineHost::Impl::Impl(StorePool& pool, const Clock& engine_clock, server::SseHub& hub,
                       server::MetricsRegistry& metrics, EngineHostOptions host_options)
    : stores(pool), clock(engine_clock), stream(hub), options(std::move(host_options)) {
  events_processed = &metrics.AddCounter("salesradar_engine_events_processed_total",
                                         "Events the rules engine processed, by outcome.", {"outcome"});
  evaluation_failures = &metrics.AddCounter("salesradar_rule_evaluation_failures_total",
                                            "Rule expressions that failed on an event or timer.",
                                            {"pack_id", "rule_id"});
  engine_errors = &metrics.AddCounter("salesradar_engine_errors_total",
                                      "Engine calls or state writes that failed, by step.", {"step"});
  alerts_unresolved = &metrics.AddGauge("salesradar_alerts_unresolved", "Unresolved alerts by level.", {"level"});
  if (options.scope || options.delegate != nullptr) return;  // the cluster node registers its own gauges
  metrics.AddCallbackGauge("salesradar_engine_pending_timers", "Timers armed in the rules engine.",
                           [this] { return pending_timers.load(); });
  metrics.AddCallbackGauge("salesradar_alert_outbox_backlog", "Alert changes in the outbox not yet sent.",
                           [this] { return outbox_backlog.load(); });
  metrics.AddCallbackGauge("salesradar_engine_queue_events", "Committed events waiting for the rules engine.",
                           [this] {
                             std::lock_guard lock(mutex);
                             return static_cast<double>(queued_events);
                           });
}

EngineHost::Impl::~Impl() {
  {
    std::lock_guard lock(mutex);
    stopping = true;
  }
  work_ready.notify_all();
  if (thread.joinable()) thread.join();
}

bool EngineHost::Impl::Push(EngineWork work) {
  if (engine == nullptr) return work.task == nullptr;  // without an engine, events wait in the log
  {
    std::lock_guard lock(mutex);
    if (stopping) return false;
    if (!work.events.empty() && queued_events + work.events.size() > options.queue_capacity) return false;
    queued_events += work.events.size();
    queued_sequence += work.events.size();
    work.sequence = queued_sequence;
    queue.push_back(std::move(work));
  }
  work_ready.notify_one();
  return true;
}

Status EngineHost::Impl::RunOnEngine(std::function<void()> task) {
  std::mutex done_mutex;
  std::condition_variable done_signal;
  bool done = false;
  EngineWork work;
  work.task = [&] {
    task();
    std::lock_guard lock(done_mutex);
    done = true;
    done_signal.notify_one();
  };
  if (engine == nullptr) return *disabled_reason;
  if (!Push(std::move(work))) return Stopping();

  std::unique_lock lock(done_mutex);
  done_signal.wait(lock, [&] { return done; });
  return OkStatus();
}

void EngineHost::Impl::Run() {
  while (true) {
    std::vector<EngineWork> batch;
    {
      std::unique_lock lock(mutex);
      work_ready.wait_for(lock, options.timer_poll, [this] { return !queue.empty() || stopping; });
      if (queue.empty() && stopping) break;

      size_t events = 0;
      while (!queue.empty() && events < kMaxEventsPerFlush) {
        events += queue.front().events.size();
        batch.push_back(std::move(queue.front()));
        queue.pop_front();
      }
    }

    if (Status refreshed = subjects->RefreshIfOld(); !refreshed.ok()) {
      Logger("engine")->error("reloading subject schemas failed, keeping the cached subjects: {}",
                              refreshed.error().ToLogString());
    }

    uint64_t sequence = 0;
    size_t events = 0;
    for (EngineWork& work : batch) {
      for (const rules::Event& event : work.events) ProcessEvent(event);
      if (work.task) {
        FlushAndPublish();
        work.task();
      }
      sequence = std::max(sequence, work.sequence);
      events += work.events.size();
    }
    FireDueTimers();
    FlushAndPublish();
    UpdateGauges(false);

    {
      std::lock_guard lock(mutex);
      queued_events -= events;
      processed_sequence = std::max(processed_sequence, sequence);
    }
    work_done.notify_all();
  }

  FlushAndPublish();
}

void EngineHost::Impl::ProcessEvent(const rules::Event& event) {
  Result<rules::EventOutcome> outcome = engine->OnEvent(event);
  if (!outcome.ok()) {
    engine_errors->WithLabels({"event"}).Increment();
    Logger("engine")->error("processing event {} failed: {}", event.id, outcome.error().ToLogString());
    return;
  }

  switch (outcome->status) {
    case rules::EventOutcome::Status::kProcessed:
      events_processed->WithLabels({"processed"}).Increment();
      break;
    case rules::EventOutcome::Status::kDuplicate:
      events_processed->WithLabels({"duplicate"}).Increment();
      break;
    case rules::EventOutcome::Status::kTooDeep:
      events_processed->WithLabels({"too_deep"}).Increment();
      break;
  }
  for (rules::AlertChange& change : outcome->changes) unflushed_changes.push_back(std::move(change));
}

void EngineHost::Impl::FireDueTimers() {
  std::optional<Timestamp> next = engine->NextTimerAt();
  if (!next || *next > clock.Now()) return;

  Result<std::vector<rules::AlertChange>> fired = engine->FireDueTimers();
  if (!fired.ok()) {
    engine_errors->WithLabels({"timers"}).Increment();
    Logger("engine")->error("firing due timers failed: {}", fired.error().ToLogString());
    return;
  }
  for (rules::AlertChange& change : *fired) unflushed_changes.push_back(std::move(change));
}

// Writes the engine's pending batch and then sends its alert changes to the stream, so that a
// client never sees an alert the database does not have. A failed write keeps both for the next
// try: the engine keeps its batch, and unflushed_changes keeps the changes.
void EngineHost::Impl::FlushAndPublish() {
  if (Status flushed = engine->Flush(); !flushed.ok()) {
    engine_errors->WithLabels({"flush"}).Increment();
    Logger("engine")->error("writing the engine state failed, retrying with the next batch: {}",
                            flushed.error().ToLogString());
    return;
  }
  if (unflushed_changes.empty()) return;

  std::vector<rules::AlertChange> changes = std::move(unflushed_changes);
  unflushed_changes.clear();
  if (options.on_flushed) {
    options.on_flushed();
    return;
  }
  PublishChanges(changes);
}

// Sends each changed alert once, in the state the database now has, in the order of its first
// change.
void EngineHost::Impl::PublishChanges(const std::vector<rules::AlertChange>& changes) {
  std::set<std::string> sent;
  for (const rules::AlertChange& change : changes) {
    if (!sent.insert(change.alert_id).second) continue;

    Result<std::optional<store::AlertRow>> row = state_store_connection->GetAlert(change.alert_id, nullptr);
    if (!row.ok() || !row->has_value()) {
      engine_errors->WithLabels({"stream"}).Increment();
      Logger("engine")->error("reading alert {} for the live stream failed: {}", change.alert_id,
                              row.ok() ? "not found" : row.error().ToLogString());
      continue;
    }

    LocalizedText name;
    {
      std::lock_guard lock(names_mutex);
      auto found = rule_names.find(change.key.pack_id + "/" + change.key.rule_id);
      if (found != rule_names.end()) name = found->second;
    }
    stream.Publish(AlertStreamEvent(**row, name));
  }
}

void EngineHost::Impl::UpdateGauges(bool force) {
  auto now = std::chrono::steady_clock::now();
  pending_timers.store(static_cast<double>(engine->timer_count()));
  if (options.scope) return;  // one partition's counts would overwrite the others'

  if (force || now - gauges_updated_at >= kGaugeInterval) {
    gauges_updated_at = now;
    std::array<size_t, rules::kLevelCount> by_level{};
    for (const rules::Alert* alert : engine->UnresolvedAlerts()) ++by_level[static_cast<size_t>(alert->level)];
    for (size_t level = 0; level < rules::kLevelCount; ++level) {
      std::string name(rules::LevelName(static_cast<rules::Level>(level)));
      alerts_unresolved->WithLabels({name}).Set(static_cast<double>(by_level[level]));
    }
  }

  if (force || now - backlog_counted_at >= kBacklogCountInterval) {
    backlog_counted_at = now;
    Result<int64_t> backlog = state_store_connection->CountOutboxBacklog();
    if (backlog.ok()) outbox_backlog.store(static_cast<double>(*backlog));
  }
}

void EngineHost::Impl::OnEvaluationFailure(const rules::EvaluationFailure& failure) {
  evaluation_failures->WithLabels({failure.pack_id, failure.rule_id}).Increment();

  uint64_t count = ++failures_logged[failure.pack_id + "/" + failure.rule_id];
  if (count > kFailureLogBurst && count % kFailureLogEvery != 0) return;
  Logger("engine")->warn("rule {}/{} version {} failed in {} on event '{}' ({} failures so far): {}", failure.pack_id,
                         failure.rule_id, failure.version, failure.part, failure.event_id, count, failure.message);
}

Result<std::vector<rules::AlertChange>> EngineHost::Impl::ApplyAction(
    std::string_view what, const std::string& alert_id,
    const std::function<Result<std::vector<rules::AlertChange>>()>& action) {
  std::optional<Result<std::vector<rules::AlertChange>>> result;
  SR_RETURN_IF_ERROR(RunOnEngine([&] {
    result = action();
    if (!result->ok()) return;
    for (const rules::AlertChange& change : **result) unflushed_changes.push_back(change);
    FlushAndPublish();
  }));

  if (!result->ok() && result->error().code() != ErrorCode::kNotFound) {
    Logger("engine")->info("{} of alert {} rejected: {}", what, alert_id, result->error().ToLogString());
  }
  return std::move(*result);
}

// ---- EngineHost ----

Result<std::unique_ptr<EngineHost>> EngineHost::Start(StorePool& stores, const Clock& clock, server::SseHub& stream,
                                                      server::MetricsRegistry& metrics, EngineHostOptions options) {
  auto impl = std::make_unique<Impl>(stores, clock, stream, metrics, std::move(options));
  if (impl->options.delegate != nullptr) {
    SR_RETURN_IF_ERROR(impl->LoadCalendars());
    SR_ASSIGN_OR_RETURN(impl->state_store_connection, store::Open(stores.database()));
    SR_RETURN_IF_ERROR(impl->LoadNewVersions());
    impl->disabled_reason = Error(ErrorCode::kFailedPrecondition, "此节点的请求处理不运行规则引擎",
                                  "the request handlers of this node run no rules engine");
    return std::unique_ptr<EngineHost>(new EngineHost(std::move(impl)));
  }
  Status opened = impl->Open();
  if (!opened.ok() && opened.error().code() == ErrorCode::kFailedPrecondition) {
    // The backend keeps no engine state (both SQLite and PostgreSQL keep it). The rest of the
    // server still runs, and committed events stay in the log for a later engine.
    Logger("engine")->warn("the rules engine is off: {}", opened.error().ToLogString());
    impl->disabled_reason = opened.error();
    impl->engine.reset();
    return std::unique_ptr<EngineHost>(new EngineHost(std::move(impl)));
  }
  SR_RETURN_IF_ERROR(opened);
  SR_RETURN_IF_ERROR(impl->RestorePacks());
  if (!impl->options.scope) SR_RETURN_IF_ERROR(impl->ReplayUnprocessed());
  impl->UpdateGauges(true);

  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Run(); });
  return std::unique_ptr<EngineHost>(new EngineHost(std::move(impl)));
}

EngineHost::EngineHost(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EngineHost::~EngineHost() = default;

bool EngineHost::Enqueue(std::vector<rules::Event> events) {
  if (events.empty()) return true;
  EngineWork work;
  work.events = std::move(events);
  return impl_->Push(std::move(work));
}

Result<std::vector<rules::AlertChange>> EngineHost::Acknowledge(std::string alert_id, std::string actor,
                                                                std::string note) {
  if (EngineDelegate* delegate = impl_->options.delegate) {
    return delegate->Act({AlertActionRequest::Kind::kAcknowledge, alert_id, actor, Timestamp(), note});
  }
  return impl_->ApplyAction("acknowledge", alert_id, [&] { return impl_->engine->Acknowledge(alert_id, actor, note); });
}

Result<std::vector<rules::AlertChange>> EngineHost::Snooze(std::string alert_id, std::string actor, Timestamp until,
                                                           std::string note) {
  if (EngineDelegate* delegate = impl_->options.delegate) {
    return delegate->Act({AlertActionRequest::Kind::kSnooze, alert_id, actor, until, note});
  }
  return impl_->ApplyAction("snooze", alert_id,
                            [&] { return impl_->engine->Snooze(alert_id, actor, until, note); });
}

Result<std::vector<rules::AlertChange>> EngineHost::Resolve(std::string alert_id, std::string actor,
                                                            std::string note) {
  if (EngineDelegate* delegate = impl_->options.delegate) {
    return delegate->Act({AlertActionRequest::Kind::kResolve, alert_id, actor, Timestamp(), note});
  }
  return impl_->ApplyAction("resolve", alert_id, [&] { return impl_->engine->Resolve(alert_id, actor, note); });
}

Result<store::RulePackVersion> EngineHost::PublishPack(std::string yaml, std::string published_by) {
  if (impl_->engine == nullptr && impl_->options.delegate == nullptr) return *impl_->disabled_reason;
  SR_ASSIGN_OR_RETURN(StoreLease store, impl_->stores.Acquire());
  SR_ASSIGN_OR_RETURN(std::shared_ptr<const rules::CompiledPack> pack, impl_->Compile(*store, yaml, "rule-pack.yaml"));
  SR_ASSIGN_OR_RETURN(store::RulePackVersion stored,
                      store->PublishRulePack(pack->id(), pack->version(), yaml, published_by));
  if (EngineDelegate* delegate = impl_->options.delegate) {
    impl_->RememberRuleNames(*pack);
    delegate->PackPublished();
    Logger("engine")->info("rule pack {} version {} published by {}", pack->id(), pack->version(), published_by);
    return stored;
  }

  Status published;
  SR_RETURN_IF_ERROR(impl_->RunOnEngine([&] { published = impl_->engine->Publish(pack); }));
  if (!published.ok()) {
    Logger("engine")->error("rule pack {} version {} is stored but the engine did not take it: {}", pack->id(),
                            pack->version(), published.error().ToLogString());
    return published.error();
  }
  impl_->RememberRuleNames(*pack);
  Logger("engine")->info("rule pack {} version {} published by {}", pack->id(), pack->version(), published_by);
  return stored;
}

Status EngineHost::ReloadPacks() {
  if (impl_->options.delegate != nullptr) {
    std::lock_guard lock(impl_->front_mutex);
    return impl_->LoadNewVersions();
  }
  Status loaded;
  SR_RETURN_IF_ERROR(impl_->RunOnEngine([&] { loaded = impl_->LoadNewVersions(); }));
  return loaded;
}

Status EngineHost::Drain(std::chrono::milliseconds timeout) {
  if (EngineDelegate* delegate = impl_->options.delegate) return delegate->Drain(timeout);
  std::unique_lock lock(impl_->mutex);
  uint64_t target = impl_->queued_sequence;
  bool drained = impl_->work_done.wait_for(lock, timeout, [&] { return impl_->processed_sequence >= target; });
  if (drained) return OkStatus();
  return Error(ErrorCode::kUnavailable,
               fmt::format("规则引擎在 {} 毫秒内未处理完排队的事件", timeout.count()),
               fmt::format("the rules engine did not process the queued events within {} ms", timeout.count()));
}

size_t EngineHost::queued_events() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->queued_events;
}

size_t EngineHost::pending_timers() const {
  if (EngineDelegate* delegate = impl_->options.delegate) return delegate->pending_timers();
  return static_cast<size_t>(impl_->pending_timers.load());
}

LocalizedText EngineHost::RuleName(std::string_view pack_id, std::string_view rule_id) const {
  std::lock_guard lock(impl_->names_mutex);
  auto found = impl_->rule_names.find(fmt::format("{}/{}", pack_id, rule_id));
  return found == impl_->rule_names.end() ? LocalizedText{} : found->second;
}

}  // namespace salesradar::api
