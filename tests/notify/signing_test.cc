#include "notify/signing.h"

#include <gtest/gtest.h>

namespace salesradar::notify {
namespace {

// Expected values computed independently with Python's hmac, hashlib and base64 modules.
TEST(Signing, DingTalkSignMatchesReference) {
  EXPECT_EQ(DingTalkSign(1700000000000, "SECtest-secret"), "LC7hxZ4wslL%2BP7j7gu1hoQ%2BwzByekL%2ByWgiUMekZs0g%3D");
}

TEST(Signing, FeishuSignMatchesReference) {
  EXPECT_EQ(FeishuSign(1700000000, "feishu-secret"), "OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=");
}

TEST(Signing, WebhookSignatureMatchesReference) {
  EXPECT_EQ(WebhookSignature(1700000000, R"({"a":1})", "whsec"),
            "t=1700000000,v1=8ad37ba156048ae0e0a5533c75cdf26fee88b07f93cb57ee4c80adb053012032");
}

TEST(Signing, Base64RoundTrip) {
  std::string bytes("\x00\x01\xfe\xff sales", 10);
  std::optional<std::string> decoded = DecodeBase64(Base64(bytes));
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(*decoded, bytes);
  EXPECT_FALSE(DecodeBase64("not base64!").has_value());
}

TEST(Signing, UrlEncodeKeepsUnreserved) {
  EXPECT_EQ(UrlEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(UrlEncode("a+b/c=d 销"), "a%2Bb%2Fc%3Dd%20%E9%94%80");
}

}  // namespace
}  // namespace salesradar::notify
