// The rules engine: matches events against compiled rule packs, keeps per-subject state (absence
// windows, count and streak counters, threshold crossings), fires timers, and raises, escalates
// and resolves alerts.
//
// Time: event time decides. A window opened by an event at T closes when the awaited event
// occurred before the deadline, however late it arrives. A deadline fires when the injected
// clock passes it (in FireDueTimers, and in OnEvent after each event). Escalation and snoozes
// run on the clock, because they measure how long people have had to act.
//
// Persistence: every change is collected and written through EngineStateStore in one batch per
// call (or when Flush is called, with flush_after_each_call off), together with the ids of the
// events processed and the alert changes for the outbox. A new Engine over the same store
// continues after Restore, and deadlines that passed meanwhile fire once when the clock is past
// them.
//
// Thread-safety: not thread-safe. One engine owns the state of one partition of subjects, and
// one thread (or strand) makes every call, const ones included. Packs are compiled elsewhere and
// handed over as shared immutable CompiledPacks, so publishing a new version is a pointer switch
// between two events.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "cel/arena.h"
#include "common/clock.h"
#include "common/result.h"
#include "rules/alert.h"
#include "rules/changed_entries.h"
#include "rules/compiler.h"
#include "rules/dedupe_cache.h"
#include "rules/engine_timers.h"
#include "rules/rule_activation.h"
#include "rules/state_store.h"
#include "rules/subject.h"

namespace salesradar::rules {

// A rule expression that failed on one event (or a window the calendar could not compute).
// The engine counts it and goes on; the edge logs it.
struct EvaluationFailure {
  std::string event_id;  // empty for failures at a timer
  std::string pack_id;
  std::string rule_id;
  int64_t version = 0;
  std::string part;     // "trigger.condition", "awaited.condition", "window", "escalation" ...
  std::string message;  // in English, from CEL or the calendar
};

struct RuleStats {
  uint64_t evaluations = 0;  // CEL evaluations, all versions
  uint64_t failures = 0;     // evaluations that failed, and windows that could not be computed
  uint64_t alerts_raised = 0;
  uint64_t refires = 0;      // fired again while its alert was unresolved
  uint64_t loop_skips = 0;   // events caused by this rule on its own subject, not matched
};

struct EngineOptions {
  // Absence deadlines fire this much later than the window ends, so that an awaited event that
  // occurred in time but arrives late still prevents the alert. Whether it counts is decided by
  // event time either way; after the alert it resolves the alert instead.
  Microseconds allowed_lateness{0};
  // For trigger events that arrive after their awaited event: an absence rule keeps up to 4
  // awaited events per subject that matched no window, and drops each once it occurred longer
  // than this before the clock. 0 (the default) turns this off.
  Microseconds late_trigger_memory{0};
  // Events whose causation_depth is above this are recorded as processed and match no rule.
  int max_causation_depth = 3;
  // Event ids kept in memory to recognise duplicates before asking the store. The ids of the
  // batch not yet written are kept as well, whatever this size.
  size_t dedupe_cache_size = 100'000;
  // Write a batch at the end of every call. Backtests turn it off and call Flush themselves.
  bool flush_after_each_call = true;
  // How long a counter stays idle, by event time and on top of allowed_lateness, before it is
  // released. Idle means that no event arriving on time can make it fire: a count whose windows
  // have all ended, a streak back at zero, a threshold on the safe side of its limit. The engine
  // looks for idle counters at most once per this period of the clock. An event that arrives
  // later than that finds no counter and counts as its subject's first.
  Microseconds counter_idle_release = std::chrono::hours(1);
  // Tick length of the timing wheel; deadlines keep microsecond precision regardless.
  Microseconds timer_tick = std::chrono::seconds(1);
  // Called for every failed evaluation, from the engine's thread, before the call returns.
  std::function<void(const EvaluationFailure&)> on_evaluation_failure;
};

struct EventOutcome {
  enum class Status {
    kProcessed,
    kDuplicate,  // the id was processed before; nothing changed
    kTooDeep,    // causation_depth above max_causation_depth; recorded, matched no rule
  };
  Status status = Status::kProcessed;
  std::vector<AlertChange> changes;  // made by this call, in order, also in the outbox
};

struct RestoreSummary {
  size_t windows = 0;
  size_t counters = 0;
  size_t alerts = 0;
  size_t tickets = 0;
};

class Engine {
 public:
  // `clock`, `subjects` and `store` must outlive the engine. The timing wheel starts at the
  // clock's current time.
  Engine(const Clock& clock, SubjectResolver& subjects, EngineStateStore& store, EngineOptions options = {});

  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // --- Versions -------------------------------------------------------------------------------

  // Makes `pack` the active version of its pack id from the next event on. Open windows and
  // alerts keep the version that opened them. Counters of older versions are dropped, so count,
  // streak and threshold rules start again under the new version. An older version is unloaded
  // at the end of the call in which its last open window closes and its last unresolved alert
  // is resolved. Publishing the active version again does nothing. Fails with
  // kFailedPrecondition when a higher version is active.
  Status Publish(std::shared_ptr<const CompiledPack> pack);

  // Registers an old version that stored windows or alerts may refer to, without activating it.
  // Call it for each such version before Restore, which unloads it again when nothing refers
  // to it.
  Status KeepVersion(std::shared_ptr<const CompiledPack> pack);

  // Returns the active version of `pack_id`, or nullptr.
  std::shared_ptr<const CompiledPack> ActiveVersion(std::string_view pack_id) const;

  // Loads the stored state and arms its timers. Stored counters of versions that are not active
  // are dropped, as Publish drops them. Call once, after publishing the active versions
  // and keeping the old ones, before any event. Fails with kFailedPrecondition naming the pack
  // and version when stored state refers to a version the engine was not given, and with the
  // store's error when loading fails. The engine is unchanged after a failure.
  Result<RestoreSummary> Restore();

  // --- Inputs ---------------------------------------------------------------------------------

  // Processes one event: deadlines already passed by its event time fire first, then it closes
  // the windows it satisfies, then it triggers rules of the active versions, then the deadlines
  // due by the clock fire. Fails with kInvalidArgument for an invalid event (ValidateEvent), and
  // with the store's error when checking for a duplicate or writing the batch fails. After a
  // failed write the state in memory keeps the event's effects, and the next batch carries them.
  Result<EventOutcome> OnEvent(const Event& event);

  // Fires every timer due by the clock's current time: window deadlines, escalations and the
  // ends of snoozes. Returns the changes made.
  Result<std::vector<AlertChange>> FireDueTimers();

  // People's actions on an unresolved alert. `actor` is the user id recorded in the history.
  // Fail with kNotFound when no unresolved alert has `alert_id`, kInvalidArgument for an empty
  // actor or a snooze end not after the clock's time, and kFailedPrecondition when acknowledging
  // an acknowledged alert. Acknowledging a snoozed alert ends the snooze.
  Result<std::vector<AlertChange>> Acknowledge(std::string_view alert_id, std::string_view actor, std::string_view note);
  Result<std::vector<AlertChange>> Snooze(std::string_view alert_id, std::string_view actor, Timestamp until,
                                          std::string_view note);
  Result<std::vector<AlertChange>> Resolve(std::string_view alert_id, std::string_view actor, std::string_view note);

  // Writes the pending batch. Returns the store's error, keeping the batch, when it fails.
  Status Flush();

  // --- Queries --------------------------------------------------------------------------------

  // Returns a time before which no timer is due, for the edge to schedule FireDueTimers; nullopt
  // when no timer is armed.
  std::optional<Timestamp> NextTimerAt() const { return timers_.NextAt(); }

  // Returns the unresolved alert with `alert_id`, or nullptr.
  const Alert* FindAlert(std::string_view alert_id) const;
  // Returns the unresolved alerts ordered by id.
  std::vector<const Alert*> UnresolvedAlerts() const;
  // Returns the open ticket of alert `alert_id`, or nullptr.
  const Ticket* FindTicket(std::string_view alert_id) const;
  // Returns the window of a rule for a subject, open or fired, or nullptr.
  const WindowState* FindWindow(const RuleSubjectKey& key) const;

  size_t window_count() const { return windows_.size(); }
  size_t counter_count() const { return counters_.size(); }
  size_t timer_count() const { return timers_.size(); }
  // Returns true while `version` of `pack_id` is loaded: the active version, or an older one
  // that an open window or an unresolved alert still refers to.
  bool HasVersion(std::string_view pack_id, int64_t version) const;
  size_t version_count() const { return versions_.size(); }

  // Returns the counters of rule `rule_id` in pack `pack_id`, over all versions.
  RuleStats Stats(std::string_view pack_id, std::string_view rule_id) const;

 private:
  using VersionKey = std::pair<std::string, int64_t>;
  template <typename T>
  using KeyMap = std::unordered_map<RuleSubjectKey, T, RuleSubjectKeyHash, RuleSubjectKeyEqual>;
  using KeySet = std::unordered_set<RuleSubjectKey, RuleSubjectKeyHash, RuleSubjectKeyEqual>;
  template <typename T>
  using IdMap = std::unordered_map<std::string, T, TextHash, std::equal_to<>>;

  struct RaiseRequest {
    const CompiledRule* rule = nullptr;
    SubjectRef subject;
    const Event* event = nullptr;  // raises the alert; its id is the occurrence
    Timestamp raised_at;
    std::optional<Timestamp> deadline;
    std::optional<int64_t> count;
    std::optional<double> value;
  };

  // Changes waiting for the next batch. Flush moves the current state into the batch and back.
  // Resolved alerts and closed tickets are moved here, then into the batch.
  struct Pending {
    ChangedEntries<WindowState, RuleSubjectKey> windows;
    ChangedEntries<CounterState, RuleSubjectKey> counters;
    ChangedEntries<Alert, std::string> alerts;  // unresolved alerts (finished_alerts keeps the resolved ones)
    IdSet tickets;  // by alert id
    std::unordered_map<std::string, Alert, TextHash, std::equal_to<>> finished_alerts;
    std::unordered_map<std::string, Ticket, TextHash, std::equal_to<>> closed_tickets;
    std::vector<std::string> processed_ids;  // also pinned in recent_ids_ until written
    std::vector<AlertChange> outbox;

    bool empty() const;
  };

  // engine.cc
  Result<bool> IsDuplicate(const Event& event);
  void FireDue(Timestamp now);
  void FireTimer(const TimerTarget& target);
  Result<std::vector<AlertChange>> EndCall();
  StateBatch TakeBatch();
  void PutBackState(StateBatch& batch);
  void ReturnBatch(StateBatch batch);
  void UnloadUnusedVersions();
  void CountAlertOfVersion(const AlertKey& key, int delta);
  void DropCountersOfInactiveVersions();
  const CompiledRule* RuleOf(std::string_view pack_id, std::string_view rule_id, int64_t version) const;
  bool IsActive(const CompiledRule& rule) const;
  bool IsActiveVersion(const VersionKey& version) const;
  RuleStats& StatsOf(const CompiledRule& rule);
  void DropCountersOfOldVersions(const CompiledPack& pack);
  Status CheckSnapshotVersions(const EngineSnapshot& snapshot) const;

  // evaluation.cc
  std::optional<bool> EvaluateBool(const CompiledRule& rule, const cel::Program& program, const RuleActivation& activation,
                                   std::string_view part, std::string_view event_id);
  std::optional<std::string> EvaluateText(const CompiledRule& rule, const cel::Program& program,
                                          const RuleActivation& activation, std::string_view part,
                                          std::string_view event_id);
  std::optional<double> EvaluateNumber(const CompiledRule& rule, const cel::Program& program,
                                       const RuleActivation& activation, std::string_view part,
                                       std::string_view event_id);
  void ReportFailure(const CompiledRule& rule, std::string_view part, std::string_view event_id, std::string message);
  std::optional<Timestamp> EndOfWindow(const CompiledRule& rule, Timestamp start, const calendar::Window& window,
                                       std::string_view part, std::string_view event_id);
  std::optional<SubjectRef> RuleSubjectOf(const CompiledRule& rule, const Event& event, bool awaited_side);

  // triggers.cc
  void ApplyTriggers(const Event& event);
  void ApplyCondition(const CompiledRule& rule, const SubjectRef& subject, const Event& event);
  CounterState& CounterFor(const CompiledRule& rule, const SubjectRef& subject);

  // absence.cc
  void ApplyAwaited(const Event& event);
  bool TryAwaited(const RuleSubjectKey& key, const CompiledRule& rule, const Event& awaited);
  void RememberAwaited(const CompiledRule& rule, const SubjectRef& subject, const Event& awaited);
  void OpenWindow(const CompiledRule& rule, const SubjectRef& subject, const Event& trigger);
  void FireWindow(const RuleSubjectKey& key);
  void EraseWindow(const RuleSubjectKey& key);
  void ForgetOldAwaited();

  // counter_release.cc
  void ReleaseIdleCounters();

  // count.cc, streak.cc, threshold.cc
  void ApplyCount(const CompiledRule& rule, const SubjectRef& subject, const Event& event);
  void ApplyStreak(const CompiledRule& rule, const SubjectRef& subject, const Event& event);
  void ApplyThreshold(const CompiledRule& rule, const SubjectRef& subject, const Event& event);

  // alert_lifecycle.cc
  std::string RaiseAlert(const RaiseRequest& request);
  void RefireAlert(Alert& alert, const CompiledRule& rule, const Event& event);
  void ResolveAutomatically(const std::string& alert_id, std::string_view note);
  void FinishAlert(Alert& alert, std::string_view actor, AlertAction action, std::string_view note);
  void EndSnooze(Alert& alert);
  void Emit(const Alert& alert, std::optional<Ticket> ticket = std::nullopt);
  Result<Alert*> FindForPerson(std::string_view alert_id, std::string_view actor);
  // Returns the unresolved alert of `rule` for `subject`, or nullptr.
  Alert* OpenAlertFor(const CompiledRule& rule, const SubjectRef& subject) const;
  // Returns the key of the entry in alerts_ that contains `alert`, for its timer, or nullptr when
  // the alert is resolved.
  const std::string* StoredAlertId(const Alert& alert) const;

  // escalation.cc
  void ScheduleAlertTimer(Alert& alert);
  void Escalate(Alert& alert);
  std::optional<Ticket> OpenTicket(Alert& alert, const CompiledRule& rule);
  void RefreshPeople(Alert& alert);

  const Clock& clock_;
  SubjectCache subjects_;
  EngineStateStore& store_;
  EngineOptions options_;

  std::map<std::string, std::shared_ptr<const CompiledPack>, std::less<>> active_;
  // The active versions and the older ones that windows or unresolved alerts refer to.
  // Counters exist for active versions only.
  std::map<VersionKey, std::shared_ptr<const CompiledPack>> versions_;
  std::map<VersionKey, size_t> windows_per_version_;
  std::map<VersionKey, size_t> alerts_per_version_;  // unresolved alerts
  bool unload_check_due_ = false;  // a version may have lost its last window or alert

  KeyMap<WindowState> windows_;
  KeyMap<CounterState> counters_;
  IdMap<Alert> alerts_;                          // unresolved only
  KeyMap<Alert*> open_alert_by_subject_;         // unresolved alert of a rule and subject, in alerts_
  IdMap<Ticket> tickets_;                        // open, by alert id
  std::map<std::string, RuleStats, std::less<>> stats_;        // by "pack/rule"
  // The entry of stats_ for each loaded rule, found without building its name. It is cleared when
  // versions unload, so that the address of a freed rule is never found again.
  std::unordered_map<const CompiledRule*, RuleStats*> stats_by_rule_;

  EngineTimers timers_;
  DedupeCache recent_ids_;
  Pending pending_;
  // The state that TakeBatch moved into the batch, in the batch's order, for PutBackState.
  std::vector<WindowState*> lent_windows_;
  std::vector<CounterState*> lent_counters_;
  std::vector<Alert*> lent_alerts_;
  std::vector<AlertChange> call_changes_;
  cel::Arena arena_;
  Timestamp last_memory_sweep_;
  Timestamp last_counter_sweep_;
  bool restored_ = false;
  bool awaited_remembered_ = false;  // some counter may hold awaited events for late triggers
  bool started_ = false;  // an event or a timer was processed
};

}  // namespace salesradar::rules
