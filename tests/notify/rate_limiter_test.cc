#include "notify/rate_limiter.h"

#include <gtest/gtest.h>

namespace salesradar::notify {
namespace {

Timestamp At(int64_t seconds) { return FromUnixMicros(seconds * 1'000'000); }

TEST(RateLimiter, WecomAllowsTwentyPerMinute) {
  RateLimiter limiter;
  for (int i = 0; i < 20; ++i) {
    ASSERT_TRUE(limiter.Allows(1, ChannelKind::kWecom, At(i)));
    limiter.Record(1, At(i));
  }
  EXPECT_FALSE(limiter.Allows(1, ChannelKind::kWecom, At(59)));
  EXPECT_TRUE(limiter.Allows(1, ChannelKind::kWecom, At(60)));
  EXPECT_TRUE(limiter.Allows(2, ChannelKind::kWecom, At(59)));
}

TEST(RateLimiter, FeishuAllowsFivePerSecond) {
  RateLimiter limiter;
  Timestamp now = At(100);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(limiter.Allows(1, ChannelKind::kFeishu, now));
    limiter.Record(1, now);
  }
  EXPECT_FALSE(limiter.Allows(1, ChannelKind::kFeishu, now));
  EXPECT_TRUE(limiter.Allows(1, ChannelKind::kFeishu, At(101)));
}

TEST(RateLimiter, BlockHoldsUntilItEnds) {
  RateLimiter limiter;
  limiter.Block(1, At(600));
  EXPECT_FALSE(limiter.Allows(1, ChannelKind::kDingTalk, At(599)));
  EXPECT_TRUE(limiter.Allows(1, ChannelKind::kDingTalk, At(600)));
}

TEST(RateLimiter, WebhooksAreUnlimited) {
  RateLimiter limiter;
  for (int i = 0; i < 100; ++i) limiter.Record(1, At(0));
  EXPECT_TRUE(limiter.Allows(1, ChannelKind::kWebhook, At(0)));
}

}  // namespace
}  // namespace salesradar::notify
