// The sign-in rate limiter: one token bucket per user name and one per client address. An
// attempt is allowed only when both buckets have a token, and then takes one from each.
//
// Default limits (SignInLimits):
//   per user name       a burst of 5 attempts, then 1 more every 60 s (60 per hour)
//   per client address  a burst of 30 attempts, then 1 more every 2 s (1,800 per hour)
// The user-name limit stops password guessing against one account from many addresses; the
// address limit stops one client from trying many accounts. A successful sign-in refills the
// user name's bucket, so a user who mistyped a few times is not locked out after signing in.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/clock.h"

namespace salesradar::auth {

// One token bucket's shape.
struct BucketLimit {
  double capacity = 1;        // the burst: tokens in a full bucket
  Microseconds refill_every{std::chrono::seconds(1)};  // the time that adds one token
};

struct SignInLimits {
  BucketLimit per_user{5, std::chrono::seconds(60)};
  BucketLimit per_address{30, std::chrono::seconds(2)};
  // The maximum number of buckets kept per kind. When a new key would exceed it, full buckets
  // are dropped first (they carry no state); if every bucket is partly used, the new key is
  // rejected, which bounds memory under an attack from many addresses.
  size_t max_keys = 100'000;
};

// The outcome of one sign-in attempt's check.
struct RateDecision {
  bool allowed = false;
  Microseconds retry_after{0};  // when !allowed: the wait until an attempt may succeed
};

// Thread-safe: every method locks `mutex_`.
class SignInRateLimiter {
 public:
  // `clock` is not owned and must outlive the limiter.
  explicit SignInRateLimiter(const Clock& clock, SignInLimits limits = {});

  // Checks an attempt to sign in as `user_name` from `client_address` and, when allowed, takes
  // one token from both buckets. User names compare ignoring ASCII case.
  RateDecision TryAcquire(std::string_view user_name, std::string_view client_address);

  // Refills the bucket of `user_name` after a successful sign-in.
  void RecordSuccess(std::string_view user_name);

 private:
  struct Bucket {
    double tokens = 0;
    Timestamp updated;
  };
  using BucketMap = std::unordered_map<std::string, Bucket>;

  // Returns the bucket of `key`, refilled up to now, or nullptr when the map is full.
  Bucket* Refill(BucketMap& buckets, const BucketLimit& limit, const std::string& key,
                 Timestamp now);
  static Microseconds WaitForToken(const Bucket& bucket, const BucketLimit& limit);
  void DropFullBuckets(BucketMap& buckets, const BucketLimit& limit, Timestamp now);

  const Clock& clock_;
  const SignInLimits limits_;
  std::mutex mutex_;
  BucketMap users_;      // guarded by mutex_
  BucketMap addresses_;  // guarded by mutex_
};

}  // namespace salesradar::auth
