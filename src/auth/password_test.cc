#include "auth/password.h"

#include <gtest/gtest.h>

namespace salesradar::auth {
namespace {

TEST(PasswordTest, HashVerifiesSamePassword) {
  Result<std::string> hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$")) << "libsodium's Argon2id string format";
  EXPECT_TRUE(VerifyPassword("correct horse battery", *hash));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
}

TEST(PasswordTest, WrongPasswordFails) {
  Result<std::string> hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_FALSE(VerifyPassword("correct horse batterY", *hash));
  EXPECT_FALSE(VerifyPassword("", *hash));
}

TEST(PasswordTest, SamePasswordGetsDifferentSalts) {
  Result<std::string> first = HashPassword("correct horse battery");
  Result<std::string> second = HashPassword("correct horse battery");
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_NE(*first, *second);
}

TEST(PasswordTest, MalformedHashFailsVerification) {
  EXPECT_FALSE(VerifyPassword("anything at all", "not a hash"));
  EXPECT_FALSE(VerifyPassword("anything at all", ""));
  EXPECT_TRUE(PasswordNeedsRehash("not a hash"));
}

TEST(PasswordPolicyTest, AcceptsLongMixedPassword) {
  EXPECT_TRUE(CheckPasswordPolicy("correct horse battery", "admin").ok());
  EXPECT_TRUE(CheckPasswordPolicy("销售雷达的密码足够长了吗对", "admin").ok());
}

TEST(PasswordPolicyTest, RejectsShortPasswordCountingCodePoints) {
  Status status = CheckPasswordPolicy("密码密码密码", "admin");  // 6 code points, 18 bytes
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message_en().find("6 characters"), std::string::npos)
      << status.error().message_en();
  EXPECT_NE(status.error().message_zh().find("至少需要 12"), std::string::npos);
}

TEST(PasswordPolicyTest, RejectsRepeatedCharacter) {
  EXPECT_FALSE(CheckPasswordPolicy("aaaaaaaaaaaaaaaa", "admin").ok());
  EXPECT_FALSE(CheckPasswordPolicy("密密密密密密密密密密密密", "admin").ok());
}

TEST(PasswordPolicyTest, RejectsLoginAsPassword) {
  EXPECT_FALSE(CheckPasswordPolicy("Administrator1", "administrator1").ok());
}

TEST(PasswordPolicyTest, RejectsInvalidUtf8AndOversize) {
  EXPECT_FALSE(CheckPasswordPolicy("abcdefghijkl\xff", "admin").ok());
  EXPECT_FALSE(CheckPasswordPolicy(std::string(kMaxPasswordBytes + 1, 'x') + "y", "admin").ok());
}

TEST(PasswordPolicyTest, ErrorNeverContainsPassword) {
  Status status = CheckPasswordPolicy("s3cr3t!", "admin");
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().message_en().find("s3cr3t!"), std::string::npos);
  EXPECT_EQ(status.error().message_zh().find("s3cr3t!"), std::string::npos);
}

TEST(PasswordTest, GeneratedPasswordPassesPolicy) {
  std::string first = GeneratePassword();
  EXPECT_EQ(first.size(), 20u);
  EXPECT_TRUE(CheckPasswordPolicy(first, "admin").ok());
  EXPECT_NE(first, GeneratePassword());
}

}  // namespace
}  // namespace salesradar::auth
