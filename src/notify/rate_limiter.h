// Per-robot send limits over sliding windows, so that the worker stays under each platform's
// documented limit: WeCom and DingTalk robots 20 messages per minute, Feishu custom bots 100 per
// minute and 5 per second. A platform's rate-limit reply blocks the robot for a while on top.
// Not thread-safe; the worker thread owns it.
#pragma once

#include <cstdint>
#include <deque>
#include <map>

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

 private:
  struct Window {
    std::deque<Timestamp> sent;  // within the last minute
    Timestamp blocked_until;
  };
  std::map<int64_t, Window> windows_;
};

}  // namespace salesradar::notify
