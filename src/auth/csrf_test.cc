#include "auth/csrf.h"

#include <gtest/gtest.h>

#include "auth/secret_token.h"

namespace salesradar::auth {
namespace {

TEST(CsrfTest, TokenVerifiesForItsSession) {
  std::string secret = GenerateCsrfSecret();
  std::string session_hash = HashSecret(GenerateSessionId());
  std::string token = CsrfTokenFor(secret, session_hash);
  EXPECT_EQ(token.size(), 43u);
  EXPECT_TRUE(VerifyCsrfToken(token, secret, session_hash));
}

TEST(CsrfTest, TokenFailsForOtherSession) {
  std::string secret = GenerateCsrfSecret();
  std::string token = CsrfTokenFor(secret, HashSecret(GenerateSessionId()));
  EXPECT_FALSE(VerifyCsrfToken(token, secret, HashSecret(GenerateSessionId())));
  EXPECT_FALSE(VerifyCsrfToken(token, GenerateCsrfSecret(), HashSecret(GenerateSessionId())));
}

TEST(CsrfTest, EmptyTokenOrSecretFails) {
  std::string session_hash = HashSecret(GenerateSessionId());
  EXPECT_FALSE(VerifyCsrfToken("", GenerateCsrfSecret(), session_hash));
  EXPECT_FALSE(VerifyCsrfToken(CsrfTokenFor("", session_hash), "", session_hash));
}

}  // namespace
}  // namespace salesradar::auth
