#include "rules/engine.h"

#include <algorithm>
#include <utility>

namespace salesradar::rules {
namespace {

// FireDue stops after this many rounds of timers that arm timers already due, which only a bug
// could cause: each escalation step and snooze end moves an alert forward.
constexpr int kMaxTimerRounds = 1000;

std::string VersionText(const std::string& pack_id, int64_t version) {
  return "'" + pack_id + "' v" + std::to_string(version);
}

}  // namespace

bool Engine::Pending::empty() const {
  return windows.empty() && counters.empty() && alerts.present().empty() && tickets.empty() && finished_alerts.empty() &&
         closed_tickets.empty() && processed_ids.empty() && outbox.empty();
}

Engine::Engine(const Clock& clock, SubjectResolver& subjects, EngineStateStore& store, EngineOptions options)
    : clock_(clock),
      subjects_(subjects),
      store_(store),
      options_(std::move(options)),
      timers_(clock.Now(), options_.timer_tick),
      recent_ids_(options_.dedupe_cache_size),
      last_memory_sweep_(clock.Now()),
      last_counter_sweep_(clock.Now()) {}

// --- Versions -----------------------------------------------------------------------------------

Status Engine::Publish(std::shared_ptr<const CompiledPack> pack) {
  if (pack == nullptr) return InvalidArgument("发布的规则包为空", "the pack to publish is null");

  auto active = active_.find(pack->id());
  if (active != active_.end()) {
    if (active->second->version() == pack->version() && active->second == pack) return OkStatus();
    if (active->second->version() >= pack->version()) {
      return Error(ErrorCode::kFailedPrecondition,
                   "规则包 " + VersionText(pack->id(), pack->version()) + " 不能发布：已生效的是 v" +
                       std::to_string(active->second->version()) + "；新版本号必须更大",
                   "cannot publish pack " + VersionText(pack->id(), pack->version()) + ": v" +
                       std::to_string(active->second->version()) + " is active, and a new version needs a higher number");
    }
  }

  versions_[{pack->id(), pack->version()}] = pack;
  active_[pack->id()] = pack;
  stats_by_rule_.clear();  // the version may replace a kept pack object of the same number
  DropCountersOfOldVersions(*pack);
  UnloadUnusedVersions();
  if (!options_.flush_after_each_call) return OkStatus();
  return Flush();
}

Status Engine::KeepVersion(std::shared_ptr<const CompiledPack> pack) {
  if (pack == nullptr) return InvalidArgument("保留的规则包为空", "the pack to keep is null");
  versions_.emplace(VersionKey{pack->id(), pack->version()}, std::move(pack));
  return OkStatus();
}

bool Engine::HasVersion(std::string_view pack_id, int64_t version) const {
  return versions_.count({std::string(pack_id), version}) > 0;
}

std::shared_ptr<const CompiledPack> Engine::ActiveVersion(std::string_view pack_id) const {
  auto it = active_.find(pack_id);
  return it == active_.end() ? nullptr : it->second;
}

void Engine::DropCountersOfOldVersions(const CompiledPack& pack) {
  for (auto it = counters_.begin(); it != counters_.end();) {
    auto next = std::next(it);
    if (it->first.pack_id == pack.id() && it->second.version != pack.version()) pending_.counters.Erase(counters_, it);
    it = next;
  }
}

// Drops the stored counters of versions that a published version replaced. A pack with no active
// version (its active version failed to load) keeps its counters and versions.
void Engine::DropCountersOfInactiveVersions() {
  for (auto it = counters_.begin(); it != counters_.end();) {
    bool replaced = active_.count(it->first.pack_id) > 0 && !IsActiveVersion({it->first.pack_id, it->second.version});
    auto next = std::next(it);
    if (replaced) pending_.counters.Erase(counters_, it);
    it = next;
  }
}

void Engine::CountAlertOfVersion(const AlertKey& key, int delta) {
  size_t& count = alerts_per_version_[{key.pack_id, key.version}];
  if (delta > 0) {
    ++count;
  } else if (count > 0 && --count == 0) {
    unload_check_due_ = true;
  }
}

// Drops the versions that are not active and that no window or unresolved alert refers to.
// Counters need no check: they exist for active versions only, except in packs without an
// active version, whose versions stay. Before Restore, the versions kept for the stored state
// are not known to be unused yet.
void Engine::UnloadUnusedVersions() {
  if (!restored_ && !started_) return;
  unload_check_due_ = false;
  for (auto it = versions_.begin(); it != versions_.end();) {
    const VersionKey& version = it->first;
    auto windows = windows_per_version_.find(version);
    auto alerts = alerts_per_version_.find(version);
    bool used = IsActiveVersion(version) || active_.count(version.first) == 0 ||
                (windows != windows_per_version_.end() && windows->second > 0) ||
                (alerts != alerts_per_version_.end() && alerts->second > 0);
    if (used) {
      ++it;
      continue;
    }
    if (windows != windows_per_version_.end()) windows_per_version_.erase(windows);
    if (alerts != alerts_per_version_.end()) alerts_per_version_.erase(alerts);
    it = versions_.erase(it);
    stats_by_rule_.clear();
  }
}

// --- Restore ------------------------------------------------------------------------------------

Status Engine::CheckSnapshotVersions(const EngineSnapshot& snapshot) const {
  auto check = [this](const std::string& pack_id, int64_t version) -> Status {
    if (versions_.count({pack_id, version}) > 0) return OkStatus();
    return Error(ErrorCode::kFailedPrecondition,
                 "存储的规则状态引用了规则包 " + VersionText(pack_id, version) + "，但引擎没有这个版本；请在 Restore 之前发布或保留它",
                 "stored rule state refers to pack " + VersionText(pack_id, version) +
                     ", which the engine was not given; publish or keep that version before Restore");
  };
  for (const WindowState& window : snapshot.windows) SR_RETURN_IF_ERROR(check(window.key.pack_id, window.version));
  for (const CounterState& counter : snapshot.counters) SR_RETURN_IF_ERROR(check(counter.key.pack_id, counter.version));
  for (const Alert& alert : snapshot.unresolved_alerts) SR_RETURN_IF_ERROR(check(alert.key.pack_id, alert.key.version));
  return OkStatus();
}

Result<RestoreSummary> Engine::Restore() {
  if (restored_ || started_) {
    return Error(ErrorCode::kFailedPrecondition, "Restore 只能在处理任何事件之前调用一次",
                 "Restore may be called once, before any event is processed");
  }
  SR_ASSIGN_OR_RETURN(EngineSnapshot snapshot, store_.LoadSnapshot());
  SR_RETURN_IF_ERROR(CheckSnapshotVersions(snapshot));

  RestoreSummary summary;
  for (WindowState& window : snapshot.windows) {
    ++windows_per_version_[{window.key.pack_id, window.version}];
    RuleSubjectKey key = window.key;
    auto stored = windows_.emplace(std::move(key), std::move(window)).first;
    if (!stored->second.fired()) timers_.ArmWindow(&stored->first, stored->second.deadline + options_.allowed_lateness);
    ++summary.windows;
  }
  for (CounterState& counter : snapshot.counters) {
    if (!counter.recent_awaited.empty()) awaited_remembered_ = true;
    RuleSubjectKey key = counter.key;
    counters_.emplace(std::move(key), std::move(counter));
    ++summary.counters;
  }
  for (Alert& alert : snapshot.unresolved_alerts) {
    CountAlertOfVersion(alert.key, +1);
    std::string id = alert.id;
    auto stored = alerts_.emplace(std::move(id), std::move(alert)).first;
    const AlertKey& key = stored->second.key;
    open_alert_by_subject_[{key.pack_id, key.rule_id, key.subject}] = &stored->second;
    std::optional<Timestamp> due = stored->second.snoozed_until ? stored->second.snoozed_until : stored->second.escalation_due_at;
    if (due) timers_.ArmAlert(&stored->first, *due);
    ++summary.alerts;
  }
  for (Ticket& ticket : snapshot.open_tickets) {
    std::string alert_id = ticket.alert_id;
    tickets_.emplace(std::move(alert_id), std::move(ticket));
    ++summary.tickets;
  }
  restored_ = true;
  DropCountersOfInactiveVersions();
  UnloadUnusedVersions();
  return summary;
}

// --- Inputs -------------------------------------------------------------------------------------

Result<bool> Engine::IsDuplicate(const Event& event) {
  if (recent_ids_.Contains(event.id)) return true;
  return store_.IsProcessed(event.id);
}

Result<EventOutcome> Engine::OnEvent(const Event& event) {
  SR_RETURN_IF_ERROR(ValidateEvent(event));
  SR_ASSIGN_OR_RETURN(bool duplicate, IsDuplicate(event));
  EventOutcome outcome;
  if (duplicate) {
    outcome.status = EventOutcome::Status::kDuplicate;
    return outcome;
  }

  started_ = true;
  pending_.processed_ids.push_back(event.id);
  recent_ids_.Pin(pending_.processed_ids.size());  // before the insert, so that no pending id is dropped
  recent_ids_.Insert(event.id);

  if (event.causation_depth > options_.max_causation_depth) {
    outcome.status = EventOutcome::Status::kTooDeep;
  } else {
    // Deadlines that passed before the event happened fire first, so that the event can resolve
    // the alerts they raise. The event could not have closed those windows anyway.
    FireDue(std::min(clock_.Now(), event.occurred_at));
    ApplyAwaited(event);
    ApplyTriggers(event);
    FireDue(clock_.Now());
    ForgetOldAwaited();
    ReleaseIdleCounters();
  }

  SR_ASSIGN_OR_RETURN(outcome.changes, EndCall());
  return outcome;
}

Result<std::vector<AlertChange>> Engine::FireDueTimers() {
  started_ = true;
  FireDue(clock_.Now());
  ForgetOldAwaited();
  ReleaseIdleCounters();
  return EndCall();
}

void Engine::FireDue(Timestamp now) {
  for (int round = 0; round < kMaxTimerRounds; ++round) {
    if (!timers_.AdvanceTo(now)) return;
    while (std::optional<TimerTarget> target = timers_.TakeNextReady()) FireTimer(*target);
  }
}

void Engine::FireTimer(const TimerTarget& target) {
  if (target.kind == TimerTarget::Kind::kWindowDeadline) {
    FireWindow(*target.window);
    return;
  }

  auto it = alerts_.find(*target.alert_id);
  if (it == alerts_.end()) return;
  Alert& alert = it->second;
  if (alert.status == AlertStatus::kSnoozed) {
    EndSnooze(alert);
  } else {
    Escalate(alert);
  }
}

Result<std::vector<AlertChange>> Engine::EndCall() {
  subjects_.Clear();
  if (unload_check_due_) UnloadUnusedVersions();
  std::vector<AlertChange> changes = std::move(call_changes_);
  call_changes_.clear();
  if (options_.flush_after_each_call) SR_RETURN_IF_ERROR(Flush());
  return changes;
}

// --- Persistence --------------------------------------------------------------------------------

namespace {

// Moves the values of `changed` into `upserted`, noting where each came from in `lent`.
template <typename Value, typename Key>
void Lend(const ChangedEntries<Value, Key>& changed, std::vector<Value>& upserted, std::vector<Value*>& lent) {
  upserted.reserve(changed.present().size());
  lent.reserve(changed.present().size());
  for (Value* value : changed.present()) {
    upserted.push_back(std::move(*value));
    lent.push_back(value);
  }
}

template <typename Value>
void PutBack(std::vector<Value>& lent_values, std::vector<Value*>& lent) {
  for (size_t i = 0; i < lent.size(); ++i) *lent[i] = std::move(lent_values[i]);
  lent.clear();
}

}  // namespace

// Builds the batch by moving state out of the engine. Changed windows, counters and alerts are
// lent for the store's Apply, and PutBackState returns them. The erased keys, closed tickets,
// processed ids and outbox leave pending_, and ReturnBatch puts them back when the store fails.
StateBatch Engine::TakeBatch() {
  StateBatch batch;
  // Keys erased and added again stay in both lists, because stores apply removals first.
  Lend(pending_.windows, batch.windows_upserted, lent_windows_);
  batch.windows_removed = std::exchange(pending_.windows.erased(), {});
  Lend(pending_.counters, batch.counters_upserted, lent_counters_);
  batch.counters_removed = std::exchange(pending_.counters.erased(), {});

  batch.alerts_upserted.reserve(pending_.alerts.present().size() + pending_.finished_alerts.size());
  lent_alerts_.reserve(batch.alerts_upserted.capacity());
  Lend(pending_.alerts, batch.alerts_upserted, lent_alerts_);
  for (auto& [id, alert] : pending_.finished_alerts) {
    if (alerts_.find(id) != alerts_.end()) continue;  // raised again: the unresolved one is current
    batch.alerts_upserted.push_back(std::move(alert));
    lent_alerts_.push_back(&alert);
  }

  for (const std::string& alert_id : pending_.tickets) {
    auto open = tickets_.find(alert_id);
    if (open != tickets_.end()) {
      batch.tickets_upserted.push_back(open->second);
      continue;
    }
    auto closed = pending_.closed_tickets.find(alert_id);
    if (closed != pending_.closed_tickets.end()) batch.tickets_upserted.push_back(std::move(closed->second));
  }
  batch.processed_event_ids = std::move(pending_.processed_ids);
  batch.outbox = std::move(pending_.outbox);
  return batch;
}

// Moves the windows, counters and alerts that TakeBatch lent to `batch` back to their places.
void Engine::PutBackState(StateBatch& batch) {
  PutBack(batch.windows_upserted, lent_windows_);
  PutBack(batch.counters_upserted, lent_counters_);
  PutBack(batch.alerts_upserted, lent_alerts_);
}

void Engine::ReturnBatch(StateBatch batch) {
  pending_.windows.erased() = std::move(batch.windows_removed);
  pending_.counters.erased() = std::move(batch.counters_removed);
  for (Ticket& ticket : batch.tickets_upserted) {
    auto closed = pending_.closed_tickets.find(ticket.alert_id);
    if (closed != pending_.closed_tickets.end() && tickets_.find(ticket.alert_id) == tickets_.end()) {
      closed->second = std::move(ticket);
    }
  }
  pending_.processed_ids = std::move(batch.processed_event_ids);
  pending_.outbox = std::move(batch.outbox);
}

Status Engine::Flush() {
  if (pending_.empty()) return OkStatus();
  StateBatch batch = TakeBatch();
  Status status = store_.Apply(batch);
  PutBackState(batch);
  if (!status.ok()) {
    ReturnBatch(std::move(batch));
    return status;
  }
  size_t outbox_size = batch.outbox.size();
  size_t processed = batch.processed_event_ids.size();
  pending_ = Pending();
  // The next batch is likely as large, and growing from empty would move every change record.
  pending_.outbox.reserve(outbox_size);
  pending_.processed_ids.reserve(processed);
  recent_ids_.Pin(0);
  return OkStatus();
}

// --- Queries and lookups ------------------------------------------------------------------------

const Alert* Engine::FindAlert(std::string_view alert_id) const {
  auto it = alerts_.find(alert_id);
  return it == alerts_.end() ? nullptr : &it->second;
}

std::vector<const Alert*> Engine::UnresolvedAlerts() const {
  std::vector<const Alert*> out;
  out.reserve(alerts_.size());
  for (const auto& [id, alert] : alerts_) out.push_back(&alert);
  std::sort(out.begin(), out.end(), [](const Alert* a, const Alert* b) { return a->id < b->id; });
  return out;
}

const Ticket* Engine::FindTicket(std::string_view alert_id) const {
  auto it = tickets_.find(alert_id);
  return it == tickets_.end() ? nullptr : &it->second;
}

const WindowState* Engine::FindWindow(const RuleSubjectKey& key) const {
  auto it = windows_.find(key);
  return it == windows_.end() ? nullptr : &it->second;
}

RuleStats Engine::Stats(std::string_view pack_id, std::string_view rule_id) const {
  auto it = stats_.find(std::string(pack_id) + "/" + std::string(rule_id));
  return it == stats_.end() ? RuleStats{} : it->second;
}

RuleStats& Engine::StatsOf(const CompiledRule& rule) {
  auto cached = stats_by_rule_.find(&rule);
  if (cached != stats_by_rule_.end()) return *cached->second;

  auto it = stats_.find(rule.qualified_id);
  if (it == stats_.end()) it = stats_.emplace(rule.qualified_id, RuleStats{}).first;
  stats_by_rule_.emplace(&rule, &it->second);
  return it->second;
}

const CompiledRule* Engine::RuleOf(std::string_view pack_id, std::string_view rule_id, int64_t version) const {
  auto it = versions_.find(VersionKey{std::string(pack_id), version});
  if (it == versions_.end()) return nullptr;
  return it->second->FindRule(rule_id);
}

bool Engine::IsActiveVersion(const VersionKey& version) const {
  auto it = active_.find(version.first);
  return it != active_.end() && it->second->version() == version.second;
}

bool Engine::IsActive(const CompiledRule& rule) const {
  auto it = active_.find(rule.pack_id);
  return it != active_.end() && it->second->version() == rule.version;
}

}  // namespace salesradar::rules
