// The notify worker: reads new rows of alert_outbox in order (a cursor row keeps its position),
// resolves each change's recipients to people and departments and those to channel addresses,
// writes one message row per (change, channel, target), and sends due rows with retries,
// exponential backoff with jitter, per-robot rate limits and digest merging. Once a week it
// writes each manager's digest.
//
// Delivery guarantee. A row is written before it is sent, marked 'sending' (committed) just
// before the request, and 'sent' right after the platform accepts it. A restart resumes every
// 'pending' row. A row still 'sending' at start was interrupted during its request: it may or
// may not have arrived, and none of the robots offers an idempotency key, so it is NOT sent
// again but marked 'unknown' and shown on the failures page, where an admin can resend it.
// So a message is never sent twice by the worker (at most once per row), and the only window
// where one can be lost is a crash during that one request. Webhook deliveries carry
// X-SalesRadar-Delivery and mails a stable Message-ID, so a receiver can drop a manual resend.
//
// Thread safety: Start and Stop from one thread; RunOnce only while the thread is not running.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "notify/secret_box.h"
#include "server/metrics.h"
#include "store/store.h"

namespace salesradar::notify {

struct DigestSchedule {
  bool enabled = true;
  int weekday = 1;  // ISO: 1 Monday ... 7 Sunday
  int hour = 9;     // local hour, 0..23
  std::string time_zone = "Asia/Shanghai";
};

struct WorkerOptions {
  std::string database;  // a path or URL for store::Open; the worker opens its own connection
  const Clock* clock = nullptr;  // nullptr: the system clock. Not owned.
  std::string secret_key_path;   // <data_dir>/secret.key
  std::string public_base_url;   // for links to alerts; may be empty
  server::MetricsRegistry* metrics = nullptr;  // may be null
  std::chrono::milliseconds poll{500};
  std::chrono::milliseconds request_timeout{10'000};
  int max_attempts = 8;
  std::chrono::seconds base_backoff{10};  // doubled per attempt, with +-25 % jitter
  std::chrono::seconds max_backoff{3600};
  DigestSchedule digest;
  // For tests: called after a request succeeded and before the row is marked sent. Returning
  // true makes RunOnce stop there, as if the process had died.
  std::function<bool(std::span<const int64_t> message_ids)> crash_after_send;
};

class Worker {
 public:
  // Opens the store and the secret key, and marks rows a stopped process left 'sending' as
  // 'unknown'.
  static Result<std::unique_ptr<Worker>> Open(WorkerOptions options);
  ~Worker();  // Stop()

  void Start();
  void Stop();  // waits for the current pass to finish

  // One pass: expand new outbox rows, write a due weekly digest, send due messages. Returns the
  // first store error; send failures are recorded on their rows instead. After a simulated
  // crash (crash_after_send) it returns kUnavailable and the worker must be destroyed.
  Status RunOnce();

 private:
  class Impl;
  explicit Worker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesradar::notify
