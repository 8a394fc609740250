#include "notify/rate_limiter.h"

namespace salesradar::notify {

RobotLimit LimitOf(ChannelKind kind) {
  switch (kind) {
    case ChannelKind::kWecom:
    case ChannelKind::kDingTalk: return {20, 0};
    case ChannelKind::kFeishu: return {100, 5};
    case ChannelKind::kSmtp:
    case ChannelKind::kWebhook: return {0, 0};
  }
  return {0, 0};
}

bool RateLimiter::Allows(int64_t channel_id, ChannelKind kind, Timestamp now) {
  Window& window = windows_[channel_id];
  if (now < window.blocked_until) return false;

  // A request at t counts against every window that contains t, i.e. until t + 60 s.
  while (!window.sent.empty() && window.sent.front() + std::chrono::minutes(1) <= now) window.sent.pop_front();

  RobotLimit limit = LimitOf(kind);
  if (limit.per_minute > 0 && static_cast<int>(window.sent.size()) >= limit.per_minute) return false;
  if (limit.per_second > 0) {
    int last_second = 0;
    for (auto it = window.sent.rbegin(); it != window.sent.rend() && *it + std::chrono::seconds(1) > now; ++it) {
      ++last_second;
    }
    if (last_second >= limit.per_second) return false;
  }
  return true;
}

void RateLimiter::Record(int64_t channel_id, Timestamp now) { windows_[channel_id].sent.push_back(now); }

void RateLimiter::Block(int64_t channel_id, Timestamp until) {
  Window& window = windows_[channel_id];
  if (until > window.blocked_until) window.blocked_until = until;
}

}  // namespace salesradar::notify
