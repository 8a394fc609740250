// Per-robot send limits over sliding windows, so that the worker stays under each platform's
// documented limit: WeCom and DingTalk robots 20 messages per minute, Feishu custom bots 100 per
// minute and 5 per second. A platform's rate-limit reply blocks the robot for a while on top.
// Thread-safe: the worker and the API's test route share one per database (SharedRateLimiter).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/clock.h"
#include "notify/channel_config.h"

namespace salesradar::notify {

struct RobotLimit {
  int per_minute = 0;  // 0: no limit
  int per_second = 0;
};

RobotLimit LimitOf(ChannelKind kind);

class RateLimiter {
 public:
  // True when one more request to `channel_id` at `now` stays within its limits.
  bool Allows(int64_t channel_id, ChannelKind kind, Timestamp now);
  // Records a request sent at `now`.
  void Record(int64_t channel_id, Timestamp now);
  // Refuses requests to `channel_id` until `until`.
  void Block(int64_t channel_id, Timestamp until);

  // Records one request at `now` and returns nullopt when the limits allow it. Otherwise it records
  // nothing and returns the earliest time at which one more request may be allowed.
  std::optional<Timestamp> TryAcquire(int64_t channel_id, ChannelKind kind, Timestamp now);

 private:
  bool AllowsLocked(int64_t channel_id, ChannelKind kind, Timestamp now);
  Timestamp NextAllowedLocked(int64_t channel_id, ChannelKind kind, Timestamp now);

  struct Window {
    std::deque<Timestamp> sent;  // within the last minute
    Timestamp blocked_until;
  };
  std::mutex mutex_;
  std::map<int64_t, Window> windows_;
};

// Returns the limiter of the robots of `database` in this process, shared by the worker and the API.
std::shared_ptr<RateLimiter> SharedRateLimiter(const std::string& database);

}  // namespace salesradar::notify
