// Sign-in, sign-out, the signed-in user, CSRF and password changes over real HTTP.
#include <gtest/gtest.h>

#include "api/api_context.h"
#include "api_test_env.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

class AuthSignInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
  }

  std::unique_ptr<ApiTestEnv> env_;
};

TEST_F(AuthSignInTest, SignInReturnsUserAndCsrfToken) {
  ApiClient client = env_->Anonymous();
  ApiResponse response =
      client.Post("/api/v1/auth/sign-in", json{{"login", "rep_sh"}, {"password", kTestPassword}});

  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["user"]["id"], env_->UserId("rep_sh"));
  EXPECT_EQ(response.json["user"]["login"], "rep_sh");
  EXPECT_EQ(response.json["user"]["display_name"], "上海销售一");
  EXPECT_EQ(response.json["user"]["role"], "rep");
  EXPECT_EQ(response.json["user"]["org_unit_id"], env_->OrgUnitId("sh"));
  EXPECT_EQ(response.json["user"]["time_zone"], "Asia/Shanghai");
  ASSERT_TRUE(response.json["csrf_token"].is_string());
  EXPECT_EQ(client.cookies().at("sr_csrf"), response.json["csrf_token"].get<std::string>());
  EXPECT_TRUE(client.cookies().at("sr_session").starts_with("srs_"));
}

TEST_F(AuthSignInTest, CookieFlags) {
  ApiClient client = env_->Anonymous();
  ApiResponse response =
      client.Post("/api/v1/auth/sign-in", json{{"login", "rep_sh"}, {"password", kTestPassword}});
  ASSERT_EQ(response.status, 200);

  std::string set_cookie = response.Header("set-cookie");
  size_t newline = set_cookie.find('\n');
  ASSERT_NE(newline, std::string::npos) << set_cookie;
  std::string session = set_cookie.substr(0, newline);
  std::string csrf = set_cookie.substr(newline + 1);
  if (!session.starts_with("sr_session=")) {
    std::swap(session, csrf);
  }
  ASSERT_TRUE(session.starts_with("sr_session=")) << session;
  EXPECT_NE(session.find("HttpOnly"), std::string::npos) << session;
  EXPECT_NE(session.find("SameSite=Lax"), std::string::npos) << session;
  EXPECT_NE(session.find("Path=/"), std::string::npos) << session;
  EXPECT_EQ(session.find("Secure"), std::string::npos) << session;  // off by default
  ASSERT_TRUE(csrf.starts_with("sr_csrf=")) << csrf;
  EXPECT_EQ(csrf.find("HttpOnly"), std::string::npos) << csrf;
  EXPECT_NE(csrf.find("SameSite=Lax"), std::string::npos) << csrf;
}

TEST_F(AuthSignInTest, MeReturnsSignedInUser) {
  ApiClient client = env_->SignIn("mgr_sh");
  ApiResponse response = client.Get("/api/v1/auth/me");

  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["user"]["login"], "mgr_sh");
  EXPECT_EQ(response.json["user"]["role"], "manager");
  EXPECT_EQ(response.json["via"], "session");
}

TEST_F(AuthSignInTest, MeWithoutSignInIs401) {
  ApiClient client = env_->Anonymous();
  ApiResponse response = client.Get("/api/v1/auth/me");

  EXPECT_EQ(response.status, 401);
  EXPECT_EQ(response.json["code"], "unauthenticated");
}

TEST_F(AuthSignInTest, WrongPasswordAndUnknownLoginGiveSameAnswer) {
  ApiClient client = env_->Anonymous();
  client.SetAcceptLanguage("en");
  ApiResponse wrong_password =
      client.Post("/api/v1/auth/sign-in", json{{"login", "rep_sh"}, {"password", "not-it-123456"}});
  ApiResponse unknown_login =
      client.Post("/api/v1/auth/sign-in", json{{"login", "nobody"}, {"password", kTestPassword}});

  EXPECT_EQ(wrong_password.status, 401);
  EXPECT_EQ(unknown_login.status, 401);
  EXPECT_EQ(wrong_password.json["message"], "wrong login or password");
  EXPECT_EQ(unknown_login.json["message"], wrong_password.json["message"]);
  EXPECT_EQ(unknown_login.json["code"], wrong_password.json["code"]);
  EXPECT_TRUE(client.cookies().empty());
}

TEST_F(AuthSignInTest, ErrorLanguageFollowsAcceptLanguage) {
  ApiClient chinese = env_->Anonymous();
  ApiClient english = env_->Anonymous();
  english.SetAcceptLanguage("en-US,en;q=0.9");

  ApiResponse zh = chinese.Get("/api/v1/auth/me");
  ApiResponse en = english.Get("/api/v1/auth/me");

  EXPECT_EQ(zh.json["message"], "请先登录");
  EXPECT_EQ(en.json["message"], "sign in first");
}

TEST_F(AuthSignInTest, RateLimitAnswers429WithRetryAfter) {
  ApiClient client = env_->Anonymous();
  int last_status = 0;
  ApiResponse last;
  // The per-login bucket holds 5 attempts.
  for (int attempt = 0; attempt < 6; ++attempt) {
    last = client.Post("/api/v1/auth/sign-in",
                       json{{"login", "rep_gz"}, {"password", "wrong-password-1"}});
    last_status = last.status;
  }

  EXPECT_EQ(last_status, 429) << last.body;
  EXPECT_EQ(last.json["code"], "resource_exhausted");
  ASSERT_FALSE(last.Header("retry-after").empty());
  EXPECT_GE(std::stoi(last.Header("retry-after")), 1);

  // The right password is rejected too while the bucket is empty.
  ApiResponse right =
      client.Post("/api/v1/auth/sign-in", json{{"login", "rep_gz"}, {"password", kTestPassword}});
  EXPECT_EQ(right.status, 429);
}

TEST_F(AuthSignInTest, MissingFieldNamesIt) {
  ApiClient client = env_->Anonymous();
  client.SetAcceptLanguage("en");
  ApiResponse response = client.Post("/api/v1/auth/sign-in", json{{"login", "rep_sh"}});

  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.json["message"].get<std::string>().find("password"), std::string::npos)
      << response.body;
}

TEST_F(AuthSignInTest, SignOutEndsSession) {
  ApiClient client = env_->SignIn("rep_sh");
  std::map<std::string, std::string> before = client.cookies();
  ApiResponse out = client.Post("/api/v1/auth/sign-out");
  ASSERT_EQ(out.status, 204) << out.body;
  EXPECT_TRUE(client.cookies().empty());

  // The old cookie no longer works.
  ApiClient replay = env_->Anonymous();
  replay.SetHeader("Cookie", "sr_session=" + before.at("sr_session"));
  EXPECT_EQ(replay.Get("/api/v1/auth/me").status, 401);
}

TEST_F(AuthSignInTest, CookieWriteWithoutCsrfHeaderIs403) {
  ApiClient client = env_->SignIn("rep_sh");
  client.DropCsrfHeader(true);
  ApiResponse response = client.Post("/api/v1/auth/sign-out");

  EXPECT_EQ(response.status, 403) << response.body;
  EXPECT_NE(response.json["message"].get<std::string>().find("X-CSRF-Token"), std::string::npos);

  client.DropCsrfHeader(false);
  EXPECT_EQ(client.Get("/api/v1/auth/me").status, 200);
}

TEST_F(AuthSignInTest, CsrfTokenOfAnotherSessionIs403) {
  ApiClient first = env_->SignIn("rep_sh");
  ApiClient second = env_->SignIn("rep_sh");
  first.DropCsrfHeader(true);
  first.SetHeader("X-CSRF-Token", second.cookies().at("sr_csrf"));

  EXPECT_EQ(first.Post("/api/v1/tokens", json{{"name", "x"}}).status, 403);
}

TEST_F(AuthSignInTest, DisabledUserCannotSignInOrUseSession) {
  ApiClient client = env_->SignIn("rep_sh2");
  {
    StoreLease store = env_->Store();
    ASSERT_TRUE(store->SetCredentialsDisabled(env_->UserId("rep_sh2"), true,
                                              store::AuditContext::System())
                    .ok());
  }

  EXPECT_EQ(client.Get("/api/v1/auth/me").status, 401);
  ApiResponse again = env_->Anonymous().Post(
      "/api/v1/auth/sign-in", json{{"login", "rep_sh2"}, {"password", kTestPassword}});
  EXPECT_EQ(again.status, 401);
}

TEST_F(AuthSignInTest, ChangePasswordChecksOldAndPolicy) {
  ApiClient client = env_->SignIn("rep_sh");
  client.SetAcceptLanguage("en");

  ApiResponse wrong_old = client.Post(
      "/api/v1/auth/password", json{{"old_password", "nope-nope-nope"}, {"new_password", "x"}});
  EXPECT_EQ(wrong_old.status, 400);
  EXPECT_NE(wrong_old.body.find("old_password"), std::string::npos);

  ApiResponse weak = client.Post("/api/v1/auth/password",
                                 json{{"old_password", kTestPassword}, {"new_password", "short"}});
  EXPECT_EQ(weak.status, 400);
  EXPECT_NE(weak.body.find("new_password"), std::string::npos);

  const std::string fresh = "Another-Passw0rd-2026";
  ApiResponse changed = client.Post(
      "/api/v1/auth/password", json{{"old_password", kTestPassword}, {"new_password", fresh}});
  ASSERT_EQ(changed.status, 204) << changed.body;

  ApiClient other = env_->Anonymous();
  EXPECT_EQ(other.Post("/api/v1/auth/sign-in", json{{"login", "rep_sh"}, {"password", fresh}})
                .status,
            200);
}

TEST_F(AuthSignInTest, SessionSurvivesRestart) {
  ApiClient client = env_->SignIn("admin");
  std::string session = client.cookies().at("sr_session");
  env_->Restart();

  ApiClient after(env_->port());
  after.SetHeader("Cookie", "sr_session=" + session);
  EXPECT_EQ(after.Get("/api/v1/auth/me").status, 200);
}

}  // namespace
}  // namespace salesradar::api::testing
