#include "auth/secret_token.h"

#include <set>

#include <gtest/gtest.h>

#include "auth/digest.h"

namespace salesradar::auth {
namespace {

TEST(SecretTokenTest, ApiTokenHasPrefixAndLength) {
  std::string token = GenerateApiToken();
  EXPECT_TRUE(token.starts_with("srt_"));
  EXPECT_EQ(token.size(), 4 + kSecretEncodedLength);
  EXPECT_TRUE(HasSecretFormat(token, kApiTokenPrefix));
  EXPECT_FALSE(HasSecretFormat(token, kSessionIdPrefix));
}

TEST(SecretTokenTest, SessionIdHasPrefix) {
  std::string id = GenerateSessionId();
  EXPECT_TRUE(id.starts_with("srs_"));
  EXPECT_TRUE(HasSecretFormat(id, kSessionIdPrefix));
}

TEST(SecretTokenTest, TokensDoNotRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(seen.insert(GenerateApiToken()).second);
  }
}

TEST(SecretTokenTest, FormatRejectsMalformed) {
  std::string token = GenerateApiToken();
  EXPECT_FALSE(HasSecretFormat(token.substr(0, token.size() - 1), kApiTokenPrefix));
  EXPECT_FALSE(HasSecretFormat(token + "A", kApiTokenPrefix));
  std::string bad_character = token;
  bad_character[10] = '+';
  EXPECT_FALSE(HasSecretFormat(bad_character, kApiTokenPrefix));
  EXPECT_FALSE(HasSecretFormat("", kApiTokenPrefix));
}

TEST(SecretTokenTest, HashIsSha256Hex) {
  // The SHA-256 test vector of "abc" from FIPS 180-2.
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string token = GenerateApiToken();
  EXPECT_EQ(HashSecret(token), Sha256Hex(token));
  EXPECT_EQ(HashSecret(token).size(), 64u);
}

TEST(SecretTokenTest, ConstantTimeEqualsComparesContent) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
}

}  // namespace
}  // namespace salesradar::auth
