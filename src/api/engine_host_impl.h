// The state of EngineHost, shared by engine_host*.cc. Everything below `engine` is touched only
// by the engine thread, except where a comment names the mutex that guards it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/engine_host.h"
#include "calendar/calendar_registry.h"
#include "common/locale.h"
#include "rules/engine.h"
#include "server/metrics.h"
#include "server/sse.h"
#include "store/store.h"
#include "store/store_subject_resolver.h"

namespace salesradar::api {

// A StoreSubjectResolver that the host rebuilds every `max_age`, so that the engine sees owners
// and fields of records changed since, while each subject is read at most once per period.
class RefreshingSubjectResolver final : public rules::SubjectResolver {
 public:
  RefreshingSubjectResolver(store::Store& store, const Clock& clock, Microseconds max_age);

  std::optional<rules::SubjectInfo> Resolve(const rules::SubjectRef& subject) override;

  // Drops the cached subjects when they are older than max_age. Call it only between engine
  // calls, because records that Resolve returned must stay valid during a call.
  Status RefreshIfOld();

  store::Store& store_;
  const Clock& clock_;
  const Microseconds max_age_;
  std::unique_ptr<store::StoreSubjectResolver> current_;
  Timestamp built_at_;
};

// One unit of work for the engine thread: a run of committed events, or a task.
struct EngineWork {
  std::vector<rules::Event> events;
  std::function<void()> task;
  uint64_t sequence = 0;  // the number of events queued up to and including this item
};

class EngineHost::Impl {
 public:
  Impl(StorePool& pool, const Clock& engine_clock, server::SseHub& hub, server::MetricsRegistry& metrics,
       EngineHostOptions host_options);
  ~Impl();

  // engine_host_start.cc
  Status LoadCalendars();
  Status Open();
  Status RestorePacks();
  // Compiles and loads the stored versions not in loaded_versions. Runs on the engine thread,
  // or before it starts.
  Status LoadNewVersions();
  Status ReplayUnprocessed();
  Result<std::shared_ptr<const rules::CompiledPack>> Compile(store::Store& store, const std::string& yaml,
                                                            const std::string& file_name);
  void RememberRuleNames(const rules::CompiledPack& pack);

  // engine_host.cc
  void Run();
  bool Push(EngineWork work);
  // Runs `task` on the engine thread and waits for it. kUnavailable when the host is stopping.
  Status RunOnEngine(std::function<void()> task);
  void ProcessEvent(const rules::Event& event);
  void FireDueTimers();
  void FlushAndPublish();
  void PublishChanges(const std::vector<rules::AlertChange>& changes);
  void UpdateGauges(bool force);
  void OnEvaluationFailure(const rules::EvaluationFailure& failure);
  Result<std::vector<rules::AlertChange>> ApplyAction(
      std::string_view what, const std::string& alert_id,
      const std::function<Result<std::vector<rules::AlertChange>>()>& action);

  StorePool& stores;
  const Clock& clock;
  server::SseHub& stream;
  const EngineHostOptions options;

  std::unique_ptr<calendar::CalendarRegistry> calendars;
  std::unique_ptr<store::Store> state_store_connection;  // engine state, replay, alert reads
  std::unique_ptr<rules::EngineStateStore> state;
  std::unique_ptr<store::Store> resolver_store_connection;
  std::unique_ptr<RefreshingSubjectResolver> subjects;
  std::unique_ptr<rules::Engine> engine;  // null when the backend keeps no engine state
  std::optional<Error> disabled_reason;    // set when engine is null

  // Alert changes made but not yet written; published once a flush succeeds.
  std::vector<rules::AlertChange> unflushed_changes;
  std::chrono::steady_clock::time_point gauges_updated_at;
  std::chrono::steady_clock::time_point backlog_counted_at;
  std::set<std::string> loaded_versions;  // "pack@version.yaml"
  std::mutex front_mutex;                  // serializes ReloadPacks of a host without an engine
  std::map<std::string, uint64_t> failures_logged;  // by "pack/rule", for rate-limiting logs

  // Metrics.
  server::CounterFamily* events_processed = nullptr;
  server::CounterFamily* evaluation_failures = nullptr;
  server::CounterFamily* engine_errors = nullptr;
  server::GaugeFamily* alerts_unresolved = nullptr;
  std::atomic<double> pending_timers{0};
  std::atomic<double> outbox_backlog{0};

  // Rule names by "pack/rule", for the alert JSON. Guarded by names_mutex.
  mutable std::mutex names_mutex;
  std::map<std::string, LocalizedText, std::less<>> rule_names;

  // The work queue. Guarded by mutex.
  mutable std::mutex mutex;
  std::condition_variable work_ready;
  std::condition_variable work_done;
  std::deque<EngineWork> queue;
  size_t queued_events = 0;
  uint64_t queued_sequence = 0;     // events queued so far
  uint64_t processed_sequence = 0;  // events processed so far
  bool stopping = false;

  std::thread thread;
};

}  // namespace salesradar::api
