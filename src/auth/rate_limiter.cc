#include "auth/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace salesradar::auth {
namespace {

std::string FoldAsciiCase(std::string_view text) {
  std::string folded(text);
  for (char& c : folded) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return folded;
}

double TokensGained(Microseconds elapsed, const BucketLimit& limit) {
  return static_cast<double>(elapsed.count()) / static_cast<double>(limit.refill_every.count());
}

}  // namespace

SignInRateLimiter::SignInRateLimiter(const Clock& clock, SignInLimits limits)
    : clock_(clock), limits_(limits) {}

RateDecision SignInRateLimiter::TryAcquire(std::string_view user_name,
                                           std::string_view client_address) {
  std::lock_guard<std::mutex> lock(mutex_);
  Timestamp now = clock_.Now();

  Bucket* user = Refill(users_, limits_.per_user, FoldAsciiCase(user_name), now);
  Bucket* address = Refill(addresses_, limits_.per_address, std::string(client_address), now);
  if (user == nullptr || address == nullptr) {
    return RateDecision{false, limits_.per_address.refill_every};
  }

  if (user->tokens < 1 || address->tokens < 1) {
    Microseconds wait = std::max(WaitForToken(*user, limits_.per_user),
                                 WaitForToken(*address, limits_.per_address));
    return RateDecision{false, wait};
  }

  user->tokens -= 1;
  address->tokens -= 1;
  return RateDecision{true, Microseconds(0)};
}

void SignInRateLimiter::RecordSuccess(std::string_view user_name) {
  std::lock_guard<std::mutex> lock(mutex_);
  users_.erase(FoldAsciiCase(user_name));
}

SignInRateLimiter::Bucket* SignInRateLimiter::Refill(BucketMap& buckets, const BucketLimit& limit,
                                                     const std::string& key, Timestamp now) {
  auto found = buckets.find(key);
  if (found == buckets.end()) {
    if (buckets.size() >= limits_.max_keys) {
      DropFullBuckets(buckets, limit, now);
      if (buckets.size() >= limits_.max_keys) {
        return nullptr;
      }
    }
    found = buckets.emplace(key, Bucket{limit.capacity, now}).first;
    return &found->second;
  }

  Bucket& bucket = found->second;
  Microseconds elapsed = std::max(Microseconds(0), now - bucket.updated);
  bucket.tokens = std::min(limit.capacity, bucket.tokens + TokensGained(elapsed, limit));
  bucket.updated = now;
  return &bucket;
}

Microseconds SignInRateLimiter::WaitForToken(const Bucket& bucket, const BucketLimit& limit) {
  if (bucket.tokens >= 1) {
    return Microseconds(0);
  }
  double missing = 1 - bucket.tokens;
  auto micros = static_cast<int64_t>(
      std::ceil(missing * static_cast<double>(limit.refill_every.count())));
  return Microseconds(micros);
}

void SignInRateLimiter::DropFullBuckets(BucketMap& buckets, const BucketLimit& limit,
                                        Timestamp now) {
  std::erase_if(buckets, [&](const auto& entry) {
    const Bucket& bucket = entry.second;
    Microseconds elapsed = std::max(Microseconds(0), now - bucket.updated);
    return bucket.tokens + TokensGained(elapsed, limit) >= limit.capacity;
  });
}

}  // namespace salesradar::auth
