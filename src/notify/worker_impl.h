// The worker's state, shared by worker.cc (outbox expansion, digests, the thread) and
// worker_send.cc (sending). Internal to the notify library.
#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "common/logging.h"
#include "notify/channel_config.h"
#include "notify/channel_sender.h"
#include "notify/rate_limiter.h"
#include "notify/worker.h"

namespace salesradar::notify {

struct ChannelMetrics {
  server::Counter* sent = nullptr;
  server::Counter* failed = nullptr;
  server::Counter* retries = nullptr;
  server::Gauge* backlog = nullptr;
};

class Worker::Impl {
 public:
  Impl(WorkerOptions options, std::unique_ptr<store::Store> store, std::unique_ptr<store::NotifyStore> notify,
       SecretBox box);

  Status RunOnce();
  void Start();
  void Stop();

 private:
  // worker.cc
  Status ExpandOutbox();
  DigestSchedule Schedule();
  Status WriteDueDigests();
  void UpdateBacklog();

  // worker_send.cc
  Status SendDue();
  Status SendChannel(const ChannelSpec& spec, std::vector<store::NotifyMessage>& due);
  Status SendBatch(const ChannelSpec& spec, std::span<const store::NotifyMessage> batch);
  Status RecordOutcome(const ChannelSpec& spec, std::span<const store::NotifyMessage> batch, const SendOutcome& outcome);
  Timestamp NextAttempt(int64_t attempts);
  ChannelMetrics& MetricsOf(int64_t channel_id);

  Timestamp Now() const { return clock_->Now(); }

  WorkerOptions options_;
  const Clock* clock_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::NotifyStore> notify_;
  SecretBox box_;
  std::shared_ptr<RateLimiter> limiter_;  // shared with the API's test route
  std::mt19937_64 random_{std::random_device{}()};
  std::map<int64_t, ChannelMetrics> metrics_;
  std::shared_ptr<spdlog::logger> logger_ = Logger("notify");
  bool crashed_ = false;

  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace salesradar::notify
