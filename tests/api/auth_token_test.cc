// API tokens: create, use as a bearer token, list without secrets, revoke, scopes and ownership.
#include <gtest/gtest.h>

#include "api_test_env.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

class AuthTokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
  }

  std::unique_ptr<ApiTestEnv> env_;
};

TEST_F(AuthTokenTest, CreateUseAndRevoke) {
  ApiClient owner = env_->SignIn("mgr_sh");
  ApiResponse created = owner.Post("/api/v1/tokens", json{{"name", "erp-sync"}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string secret = created.json["secret"];
  EXPECT_TRUE(secret.starts_with("srt_"));
  EXPECT_EQ(created.json["name"], "erp-sync");
  EXPECT_EQ(created.json["user_id"], env_->UserId("mgr_sh"));
  int64_t token_id = created.json["id"];

  ApiClient integration = env_->Anonymous();
  integration.SetBearerToken(secret);
  ApiResponse me = integration.Get("/api/v1/auth/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["user"]["login"], "mgr_sh");
  EXPECT_EQ(me.json["via"], "api_token");

  ApiResponse listed = owner.Get("/api/v1/tokens");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json["items"].size(), 1u);
  EXPECT_FALSE(listed.json["items"][0].contains("secret"));
  EXPECT_EQ(listed.body.find(secret), std::string::npos);

  ApiResponse revoked = owner.Delete("/api/v1/tokens/" + std::to_string(token_id));
  EXPECT_EQ(revoked.status, 204) << revoked.body;
  EXPECT_EQ(integration.Get("/api/v1/auth/me").status, 401);
}

TEST_F(AuthTokenTest, BearerWritesNeedNoCsrf) {
  ApiClient integration = env_->Anonymous();
  integration.SetBearerToken(env_->CreateToken("rep_sh"));
  ApiResponse created = integration.Post("/api/v1/tokens", json{{"name", "second"}});
  EXPECT_EQ(created.status, 201) << created.body;
}

TEST_F(AuthTokenTest, ReadScopeCannotWrite) {
  ApiClient integration = env_->Anonymous();
  integration.SetBearerToken(env_->CreateToken("rep_sh", {"read"}));
  EXPECT_EQ(integration.Get("/api/v1/auth/me").status, 200);
  EXPECT_EQ(integration.Post("/api/v1/tokens", json{{"name", "x"}}).status, 403);
}

TEST_F(AuthTokenTest, MalformedOrUnknownTokenIs401) {
  ApiClient client = env_->Anonymous();
  client.SetBearerToken("srt_not-a-real-token");
  EXPECT_EQ(client.Get("/api/v1/auth/me").status, 401);
  client.SetBearerToken("srt_" + std::string(43, 'A'));
  EXPECT_EQ(client.Get("/api/v1/auth/me").status, 401);
}

TEST_F(AuthTokenTest, OthersTokensAreHiddenFromNonAdmins) {
  ApiClient owner = env_->SignIn("rep_sh");
  ApiResponse created = owner.Post("/api/v1/tokens", json{{"name", "mine"}});
  ASSERT_EQ(created.status, 201);
  std::string path = "/api/v1/tokens/" + std::to_string(created.json["id"].get<int64_t>());

  ApiClient other = env_->SignIn("rep_gz");
  EXPECT_EQ(other.Delete(path).status, 404);
  EXPECT_EQ(other.Get("/api/v1/tokens?user_id=" + std::to_string(env_->UserId("rep_sh"))).status,
            403);

  ApiClient admin = env_->SignIn("admin");
  ApiResponse listed =
      admin.Get("/api/v1/tokens?user_id=" + std::to_string(env_->UserId("rep_sh")));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json["items"].size(), 1u);
  EXPECT_EQ(admin.Delete(path).status, 204);
}

TEST_F(AuthTokenTest, AdminCreatesTokenForAnotherUser) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse created = admin.Post(
      "/api/v1/tokens", json{{"name", "for-rep"}, {"user_id", env_->UserId("rep_gz")}, {"scopes", {"read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["user_id"], env_->UserId("rep_gz"));
  EXPECT_EQ(created.json["scopes"], json({"read"}));

  ApiClient rep = env_->SignIn("rep_sh");
  EXPECT_EQ(rep.Post("/api/v1/tokens", json{{"name", "x"}, {"user_id", env_->UserId("rep_gz")}})
                .status,
            403);
}

TEST_F(AuthTokenTest, InvalidScopeNamesTheField) {
  ApiClient owner = env_->SignIn("rep_sh");
  owner.SetAcceptLanguage("en");
  ApiResponse response = owner.Post("/api/v1/tokens", json{{"name", "x"}, {"scopes", {"admin"}}});
  EXPECT_EQ(response.status, 400);
  EXPECT_NE(response.body.find("scopes"), std::string::npos);
}

TEST_F(AuthTokenTest, ListPaginates) {
  ApiClient owner = env_->SignIn("rep_sh");
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(owner.Post("/api/v1/tokens", json{{"name", "t" + std::to_string(i)}}).status, 201);
  }
  ApiResponse first = owner.Get("/api/v1/tokens?limit=2");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(first.json["items"].size(), 2u);
  ASSERT_TRUE(first.json["next_cursor"].is_string());

  ApiResponse second =
      owner.Get("/api/v1/tokens?limit=2&cursor=" + first.json["next_cursor"].get<std::string>());
  ASSERT_EQ(second.status, 200);
  ASSERT_EQ(second.json["items"].size(), 1u);
  EXPECT_TRUE(second.json["next_cursor"].is_null());
  EXPECT_EQ(second.json["items"][0]["name"], "t2");

  EXPECT_EQ(owner.Get("/api/v1/tokens?limit=0").status, 400);
  EXPECT_EQ(owner.Get("/api/v1/tokens?limit=501").status, 400);
}

}  // namespace
}  // namespace salesradar::api::testing
