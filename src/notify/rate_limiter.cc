#include "notify/rate_limiter.h"

#include <algorithm>

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
  std::lock_guard lock(mutex_);
  return AllowsLocked(channel_id, kind, now);
}

bool RateLimiter::AllowsLocked(int64_t channel_id, ChannelKind kind, Timestamp now) {
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

void RateLimiter::Record(int64_t channel_id, Timestamp now) {
  std::lock_guard lock(mutex_);
  windows_[channel_id].sent.push_back(now);
}

void RateLimiter::Block(int64_t channel_id, Timestamp until) {
  std::lock_guard lock(mutex_);
  Window& window = windows_[channel_id];
  if (until > window.blocked_until) window.blocked_until = until;
}

std::optional<Timestamp> RateLimiter::TryAcquire(int64_t channel_id, ChannelKind kind, Timestamp now) {
  std::lock_guard lock(mutex_);
  if (!AllowsLocked(channel_id, kind, now)) return NextAllowedLocked(channel_id, kind, now);
  windows_[channel_id].sent.push_back(now);
  return std::nullopt;
}

// Returns the latest of: the end of a block, the time the oldest request leaves a full minute window,
// and the time the oldest request of a full second leaves it.
Timestamp RateLimiter::NextAllowedLocked(int64_t channel_id, ChannelKind kind, Timestamp now) {
  const Window& window = windows_[channel_id];
  Timestamp next = std::max(now, window.blocked_until);
  RobotLimit limit = LimitOf(kind);
  int size = static_cast<int>(window.sent.size());
  if (limit.per_minute > 0 && size >= limit.per_minute) {
    next = std::max(next, window.sent[static_cast<size_t>(size - limit.per_minute)] + std::chrono::minutes(1));
  }
  if (limit.per_second > 0 && size >= limit.per_second) {
    next = std::max(next, window.sent[static_cast<size_t>(size - limit.per_second)] + std::chrono::seconds(1));
  }
  return next;
}

std::shared_ptr<RateLimiter> SharedRateLimiter(const std::string& database) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<RateLimiter>> limiters;
  std::lock_guard lock(mutex);
  std::shared_ptr<RateLimiter> limiter = limiters[database].lock();
  if (limiter == nullptr) {
    limiter = std::make_shared<RateLimiter>();
    limiters[database] = limiter;
  }
  return limiter;
}

}  // namespace salesradar::notify
