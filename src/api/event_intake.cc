// EventIntake: the bounded queue of validated events, the writer thread that commits them in
// groups (one transaction for every request waiting at that moment, up to max_batch events), and
// the hand-over of committed events to the engine host.
#include "api/event_intake.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "api/engine_host.h"
#include "api/store_pool.h"
#include "common/logging.h"
#include "server/metrics.h"
#include "store/store.h"

namespace salesradar::api {
namespace {

// How long the writer waits for room in the engine's queue before it gives a run of committed
// events up to the replay at the next start.
constexpr auto kEngineHandOverTimeout = std::chrono::seconds(30);
constexpr auto kEngineHandOverRetry = std::chrono::milliseconds(2);

struct Submission {
  std::vector<rules::Event> events;
  std::optional<Result<store::AppendEventsResult>> result;  // set by the writer
};

}  // namespace

class EventIntake::Impl {
 public:
  Impl(EngineHost& engine, server::MetricsRegistry& metrics, EventIntakeOptions options)
      : engine_(engine), options_(options) {
    ingested_ = &metrics.AddCounter("salesradar_events_ingested_total",
                                    "Events accepted into the event log, by source.", {"source"})
                     .WithLabels({"api"});
    duplicates_ = &metrics.AddCounter("salesradar_events_duplicate_total",
                                      "Events whose id was in the event log already.")
                       .Get();
    rejected_ = &metrics.AddCounter("salesradar_intake_rejected_total",
                                    "Event batches rejected because the intake queue was full.")
                     .Get();
    failed_ = &metrics.AddCounter("salesradar_intake_commit_failures_total",
                                  "Group commits of the event intake that failed.")
                   .Get();
    commit_seconds_ = &metrics.AddHistogram("salesradar_intake_commit_seconds",
                                            "Time to commit one group of events.", {})
                           .Get();
    metrics.AddCallbackGauge("salesradar_intake_queue_events", "Events waiting for the intake's commit.",
                             [this] {
                               std::lock_guard lock(mutex_);
                               return static_cast<double>(queued_events_);
                             });
  }

  ~Impl() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    work_ready_.notify_all();
    if (writer_thread_.joinable()) writer_thread_.join();
  }

  Status Open(const std::string& database) {
    SR_ASSIGN_OR_RETURN(writer_, store::Open(database));
    writer_thread_ = std::thread([this] { Run(); });
    return OkStatus();
  }

  Result<store::AppendEventsResult> Submit(std::vector<rules::Event> events) {
    if (events.empty()) return store::AppendEventsResult{};
    if (events.size() > options_.queue_capacity) {
      return InvalidArgument(fmt::format("一批 {} 个事件超过了接收队列的容量 {}；请分成更小的批次发送", events.size(),
                                         options_.queue_capacity),
                             fmt::format("a batch of {} events exceeds the intake queue of {}; send smaller batches",
                                         events.size(), options_.queue_capacity));
    }

    auto submission = std::make_shared<Submission>();
    submission->events = std::move(events);
    std::unique_lock lock(mutex_);
    if (stopping_) {
      return Error(ErrorCode::kUnavailable, "服务正在停止；请稍后重试", "the server is stopping; retry later");
    }
    if (queued_events_ + submission->events.size() > options_.queue_capacity) {
      rejected_->Increment();
      return Error(ErrorCode::kResourceExhausted, "事件接收队列已满；请稍后重试",
                   "the event intake queue is full; retry later");
    }
    queued_events_ += submission->events.size();
    queue_.push_back(submission);
    work_ready_.notify_one();

    committed_.wait(lock, [&] { return submission->result.has_value(); });
    return std::move(*submission->result);
  }

  size_t queued_events() const {
    std::lock_guard lock(mutex_);
    return queued_events_;
  }

 private:
  void Run() {
    while (true) {
      std::vector<std::shared_ptr<Submission>> group;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [this] { return !queue_.empty() || stopping_; });
        if (queue_.empty()) break;

        size_t events = 0;
        while (!queue_.empty() && (group.empty() || events + queue_.front()->events.size() <= options_.max_batch)) {
          events += queue_.front()->events.size();
          group.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }

      Commit(group);
    }
  }

  // Commits every submission of `group` in one transaction, hands the events to the engine host,
  // and then wakes the waiting requests. Every event of a completed request is therefore queued
  // for the engine, and EngineHost::Drain called after the response covers it.
  void Commit(const std::vector<std::shared_ptr<Submission>>& group) {
    auto started = std::chrono::steady_clock::now();
    std::vector<store::AppendEventsResult> results;
    Status committed = CommitGroup(group, results);
    commit_seconds_->Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());

    size_t events = 0;
    for (const auto& submission : group) events += submission->events.size();
    if (!committed.ok()) {
      failed_->Increment();
      Logger("intake")->error("committing {} events of {} requests failed (first event {}): {}", events,
                              group.size(), group.front()->events.front().id, committed.error().ToLogString());
    }

    if (committed.ok()) HandOver(group);

    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < group.size(); ++i) {
      if (committed.ok()) {
        ingested_->Increment(static_cast<double>(results[i].inserted));
        duplicates_->Increment(static_cast<double>(results[i].duplicates));
        group[i]->result = results[i];
      } else {
        group[i]->result = committed.error();
      }
    }
    queued_events_ -= events;
    committed_.notify_all();
  }

  Status CommitGroup(const std::vector<std::shared_ptr<Submission>>& group,
                     std::vector<store::AppendEventsResult>& results) {
    store::Transaction transaction(*writer_);
    SR_RETURN_IF_ERROR(transaction.Begin());
    for (const auto& submission : group) {
      SR_ASSIGN_OR_RETURN(store::AppendEventsResult result, writer_->AppendEvents(submission->events));
      results.push_back(result);
    }
    return transaction.Commit();
  }

  // Gives the committed events to the engine host, waiting while its queue is full: the intake
  // queue then fills up and new requests get 429, which keeps memory bounded.
  void HandOver(const std::vector<std::shared_ptr<Submission>>& group) {
    for (const auto& submission : group) {
      auto deadline = std::chrono::steady_clock::now() + kEngineHandOverTimeout;
      while (!engine_.Enqueue(submission->events)) {
        if (std::chrono::steady_clock::now() > deadline) {
          Logger("intake")->error("the rules engine took no events for {} s; {} committed events (first {}) wait "
                                  "for the replay at the next start",
                                  kEngineHandOverTimeout.count(), submission->events.size(),
                                  submission->events.front().id);
          break;
        }
        std::this_thread::sleep_for(kEngineHandOverRetry);
      }
    }
  }

  EngineHost& engine_;
  const EventIntakeOptions options_;
  std::unique_ptr<store::Store> writer_;  // used by writer_thread_ only

  server::Counter* ingested_ = nullptr;
  server::Counter* duplicates_ = nullptr;
  server::Counter* rejected_ = nullptr;
  server::Counter* failed_ = nullptr;
  server::Histogram* commit_seconds_ = nullptr;

  mutable std::mutex mutex_;  // guards queue_, queued_events_, stopping_ and every Submission::result
  std::condition_variable work_ready_;
  std::condition_variable committed_;
  std::deque<std::shared_ptr<Submission>> queue_;
  size_t queued_events_ = 0;
  bool stopping_ = false;

  std::thread writer_thread_;
};

Result<std::unique_ptr<EventIntake>> EventIntake::Start(StorePool& stores, EngineHost& engine,
                                                        server::MetricsRegistry& metrics, EventIntakeOptions options) {
  auto impl = std::make_unique<Impl>(engine, metrics, options);
  SR_RETURN_IF_ERROR(impl->Open(stores.database()));
  return std::unique_ptr<EventIntake>(new EventIntake(std::move(impl)));
}

EventIntake::EventIntake(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventIntake::~EventIntake() = default;

Result<store::AppendEventsResult> EventIntake::Submit(std::vector<rules::Event> events) {
  return impl_->Submit(std::move(events));
}

size_t EventIntake::queued_events() const { return impl_->queued_events(); }

}  // namespace salesradar::api
