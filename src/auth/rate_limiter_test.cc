#include "auth/rate_limiter.h"

#include <gtest/gtest.h>

namespace salesradar::auth {
namespace {

using std::chrono::seconds;

class RateLimiterTest : public ::testing::Test {
 protected:
  ManualClock clock_{FromUnixMicros(1'704'067'200'000'000)};
};

TEST_F(RateLimiterTest, UserBurstThenWait) {
  SignInRateLimiter limiter(clock_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(limiter.TryAcquire("alice", "10.0.0.1").allowed) << "attempt " << i;
  }
  RateDecision sixth = limiter.TryAcquire("alice", "10.0.0.2");
  EXPECT_FALSE(sixth.allowed);
  EXPECT_EQ(sixth.retry_after, Microseconds(seconds(60)));

  clock_.Advance(seconds(59));
  EXPECT_FALSE(limiter.TryAcquire("alice", "10.0.0.3").allowed);
  clock_.Advance(seconds(1));
  EXPECT_TRUE(limiter.TryAcquire("alice", "10.0.0.3").allowed);
}

TEST_F(RateLimiterTest, UserNameIgnoresAsciiCase) {
  SignInRateLimiter limiter(clock_);
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(limiter.TryAcquire(i % 2 == 0 ? "Alice" : "ALICE", "10.0.0.1").allowed);
  }
  EXPECT_FALSE(limiter.TryAcquire("alice", "10.0.0.1").allowed);
}

TEST_F(RateLimiterTest, AddressLimitAcrossUsers) {
  SignInRateLimiter limiter(clock_);
  for (int i = 0; i < 30; ++i) {
    EXPECT_TRUE(limiter.TryAcquire("user" + std::to_string(i), "10.0.0.9").allowed);
  }
  RateDecision next = limiter.TryAcquire("someone-new", "10.0.0.9");
  EXPECT_FALSE(next.allowed);
  EXPECT_EQ(next.retry_after, Microseconds(seconds(2)));
  EXPECT_TRUE(limiter.TryAcquire("someone-new", "10.0.0.10").allowed);
}

TEST_F(RateLimiterTest, RejectedAttemptTakesNoToken) {
  SignInRateLimiter limiter(clock_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(limiter.TryAcquire("alice", "10.0.0.1").allowed);
  }
  for (int i = 0; i < 10; ++i) {
    EXPECT_FALSE(limiter.TryAcquire("alice", "10.0.0.1").allowed);
  }
  // The address bucket lost only the 5 allowed attempts.
  for (int i = 0; i < 25; ++i) {
    EXPECT_TRUE(limiter.TryAcquire("bob" + std::to_string(i), "10.0.0.1").allowed) << i;
  }
}

TEST_F(RateLimiterTest, SuccessRefillsUser) {
  SignInRateLimiter limiter(clock_);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(limiter.TryAcquire("alice", "10.0.0.1").allowed);
  }
  limiter.RecordSuccess("ALICE");
  EXPECT_TRUE(limiter.TryAcquire("alice", "10.0.0.1").allowed);
}

TEST_F(RateLimiterTest, FullMapRejectsNewKeys) {
  SignInLimits limits;
  limits.max_keys = 2;
  SignInRateLimiter limiter(clock_, limits);
  EXPECT_TRUE(limiter.TryAcquire("a", "10.0.0.1").allowed);
  EXPECT_TRUE(limiter.TryAcquire("b", "10.0.0.2").allowed);
  EXPECT_FALSE(limiter.TryAcquire("c", "10.0.0.3").allowed);

  // Once the buckets are full again they carry no state and make room.
  clock_.Advance(seconds(120));
  EXPECT_TRUE(limiter.TryAcquire("c", "10.0.0.3").allowed);
}

}  // namespace
}  // namespace salesradar::auth
