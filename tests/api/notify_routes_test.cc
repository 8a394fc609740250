// The notification admin API: channel CRUD with write-only secrets, admin only, addresses of
// users and departments, the test send to a local fake robot, and the failures page.
#include <fstream>
#include <iterator>

#include <gtest/gtest.h>

#include "api_test_env.h"
#include "fake_platforms.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

class NotifyRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
    fakes_ = std::make_unique<notify::testing::FakePlatforms>(notify::testing::FakeOptions{});
  }

  json WecomChannel(const std::string& name) {
    return {{"name", name},
            {"kind", "wecom"},
            {"config", {{"endpoint", fakes_->BaseUrl() + "/cgi-bin/webhook/send"}, {"format", "markdown"}}},
            {"secrets", {{"key", "wecom-key"}}}};
  }

  std::unique_ptr<ApiTestEnv> env_;
  std::unique_ptr<notify::testing::FakePlatforms> fakes_;
};

TEST_F(NotifyRoutesTest, ChannelSecretsAreWriteOnly) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse created = admin.Post("/api/v1/notify/channels", WecomChannel("华东群机器人"));
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["kind"], "wecom");
  EXPECT_EQ(created.json["secrets_set"], json::array({"key"}));
  EXPECT_EQ(created.body.find("wecom-key"), std::string::npos);

  int64_t id = created.json["id"];
  ApiResponse listed = admin.Get("/api/v1/notify/channels");
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json["items"].size(), 1u);
  EXPECT_EQ(listed.body.find("wecom-key"), std::string::npos);

  // The stored row contains the secret only in sealed form.
  StoreLease store = env_->Store();
  Result<std::unique_ptr<store::NotifyStore>> notify = store->OpenNotifyStore();
  ASSERT_TRUE(notify.ok());
  Result<std::optional<store::NotifyChannel>> row = (*notify)->GetChannel(id);
  ASSERT_TRUE(row.ok());
  ASSERT_TRUE(row->has_value());
  EXPECT_EQ((**row).sealed_secrets.find("wecom-key"), std::string::npos);
  EXPECT_FALSE((**row).sealed_secrets.empty());

  // The audit row names the change without the secret.
  ApiResponse audit = admin.Get("/api/v1/audit?entity_kind=notify_channel");
  ASSERT_EQ(audit.status, 200);
  EXPECT_EQ(audit.json["items"].size(), 1u);
  EXPECT_EQ(audit.body.find("wecom-key"), std::string::npos);
}

TEST_F(NotifyRoutesTest, PatchKeepsSecretsNotNamed) {
  ApiClient admin = env_->SignIn("admin");
  json channel = {{"name", "钉钉群"},
                  {"kind", "dingtalk"},
                  {"config", {{"endpoint", fakes_->BaseUrl() + "/robot/send"}}},
                  {"secrets", {{"access_token", "ding-token"}, {"sign_secret", "SECold"}}}};
  ApiResponse created = admin.Post("/api/v1/notify/channels", channel);
  ASSERT_EQ(created.status, 201) << created.body;
  std::string path = "/api/v1/notify/channels/" + std::to_string(created.json["id"].get<int64_t>());

  ApiResponse patched = admin.Patch(path, {{"enabled", false}, {"secrets", {{"sign_secret", nullptr}}}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json["enabled"], false);
  EXPECT_EQ(patched.json["secrets_set"], json::array({"access_token"}));

  ApiResponse removed = admin.Delete(path);
  EXPECT_EQ(removed.status, 204);
  EXPECT_EQ(admin.Get(path).status, 404);
}

TEST_F(NotifyRoutesTest, InvalidChannelNamesTheField) {
  ApiClient admin = env_->SignIn("admin");
  json channel = WecomChannel("坏渠道");
  channel["secrets"] = json::object();
  ApiResponse created = admin.Post("/api/v1/notify/channels", channel);
  EXPECT_EQ(created.status, 400);
  EXPECT_NE(created.body.find("secrets.key"), std::string::npos);

  ASSERT_EQ(admin.Post("/api/v1/notify/channels", WecomChannel("同名")).status, 201);
  EXPECT_EQ(admin.Post("/api/v1/notify/channels", WecomChannel("同名")).status, 409);
}

TEST_F(NotifyRoutesTest, OnlyAdminsMayConfigure) {
  ApiClient manager = env_->SignIn("mgr_sh");
  EXPECT_EQ(manager.Get("/api/v1/notify/channels").status, 403);
  EXPECT_EQ(manager.Post("/api/v1/notify/channels", WecomChannel("x")).status, 403);
  EXPECT_EQ(env_->Anonymous().Get("/api/v1/notify/messages").status, 401);
}

TEST_F(NotifyRoutesTest, TestSendReachesFakeRobot) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse created = admin.Post("/api/v1/notify/channels", WecomChannel("测试群"));
  ASSERT_EQ(created.status, 201);
  std::string path = "/api/v1/notify/channels/" + std::to_string(created.json["id"].get<int64_t>()) + "/test";

  ApiResponse sent = admin.Post(path);
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.json["sent"], true);
  std::vector<notify::testing::Arrival> arrivals = fakes_->Arrivals();
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_TRUE(arrivals[0].accepted) << arrivals[0].problem;
  EXPECT_NE(arrivals[0].body.dump().find("销售雷达测试消息"), std::string::npos);

  fakes_->RateLimitNext(1);
  ApiResponse limited = admin.Post(path);
  ASSERT_EQ(limited.status, 200);
  EXPECT_EQ(limited.json["sent"], false);
  EXPECT_NE(limited.json["error"].get<std::string>().find("45009"), std::string::npos);

  // The platform's rate-limit reply blocks the robot for the worker and the test route alike.
  ApiResponse blocked = admin.Post(path);
  ASSERT_EQ(blocked.status, 429) << blocked.body;
  EXPECT_FALSE(blocked.Header("retry-after").empty());
  EXPECT_EQ(fakes_->Arrivals().size(), 2u);
}

TEST_F(NotifyRoutesTest, TestSendsCountAgainstTheRobotLimit) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse created = admin.Post("/api/v1/notify/channels", WecomChannel("限流群"));
  ASSERT_EQ(created.status, 201);
  std::string path = "/api/v1/notify/channels/" + std::to_string(created.json["id"].get<int64_t>()) + "/test";

  for (int i = 0; i < 20; ++i) ASSERT_EQ(admin.Post(path).status, 200) << i;
  ApiResponse refused = admin.Post(path);
  ASSERT_EQ(refused.status, 429) << refused.body;
  int retry_after = std::stoi(refused.Header("retry-after"));
  EXPECT_GE(retry_after, 1);
  EXPECT_LE(retry_after, 60);
  EXPECT_EQ(fakes_->Arrivals().size(), 20u);
}

TEST_F(NotifyRoutesTest, DigestSettingsDefaultToTheConfiguration) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse settings = admin.Get("/api/v1/notify/settings");
  ASSERT_EQ(settings.status, 200) << settings.body;
  EXPECT_EQ(settings.json["digest_weekday"], 1);
  EXPECT_EQ(settings.json["digest_hour"], 9);
  EXPECT_EQ(settings.json["digest_time_zone"], "Asia/Shanghai");
  EXPECT_EQ(settings.json["configured"]["digest_weekday"], 1);
}

TEST_F(NotifyRoutesTest, DigestSettingsAreStoredAndAudited) {
  ApiClient admin = env_->SignIn("admin");
  json change = {{"digest_weekday", 5}, {"digest_hour", 17}, {"digest_time_zone", "UTC"}};
  ApiResponse put = admin.Put("/api/v1/notify/settings", change);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json["digest_weekday"], 5);
  EXPECT_EQ(put.json["digest_hour"], 17);
  EXPECT_EQ(put.json["digest_time_zone"], "UTC");
  EXPECT_EQ(admin.Get("/api/v1/notify/settings").json["digest_hour"], 17);

  ApiResponse reset = admin.Put("/api/v1/notify/settings", {{"digest_hour", nullptr}});
  ASSERT_EQ(reset.status, 200) << reset.body;
  EXPECT_EQ(reset.json["digest_hour"], 9);
  EXPECT_EQ(reset.json["digest_weekday"], 5);

  ApiResponse audit = admin.Get("/api/v1/audit?entity_kind=notify_settings");
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.json["items"].size(), 2u);
}

TEST_F(NotifyRoutesTest, DigestSettingsErrorsNameValueAndRange) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse weekday = admin.Put("/api/v1/notify/settings", {{"digest_weekday", 8}});
  ASSERT_EQ(weekday.status, 400);
  EXPECT_NE(weekday.body.find("digest_weekday 为 8"), std::string::npos) << weekday.body;
  EXPECT_NE(weekday.body.find("7（星期日）"), std::string::npos) << weekday.body;

  admin.SetHeader("Accept-Language", "en");
  ApiResponse hour = admin.Put("/api/v1/notify/settings", {{"digest_hour", -1}});
  ASSERT_EQ(hour.status, 400);
  EXPECT_NE(hour.body.find("digest_hour -1 is out of range; write 0 to 23"), std::string::npos) << hour.body;
  EXPECT_EQ(admin.Put("/api/v1/notify/settings", {{"digest_time_zone", "Mars/Olympus"}}).status, 400);
  EXPECT_EQ(admin.Put("/api/v1/notify/settings", {{"digest_hour", "9"}}).status, 400);

  // A rejected request changes nothing, also not the valid fields next to the wrong one.
  EXPECT_EQ(admin.Put("/api/v1/notify/settings", {{"digest_hour", 10}, {"digest_weekday", 0}}).status, 400);
  EXPECT_EQ(admin.Get("/api/v1/notify/settings").json["digest_hour"], 9);

  ApiClient manager = env_->SignIn("mgr_sh");
  EXPECT_EQ(manager.Get("/api/v1/notify/settings").status, 403);
  EXPECT_EQ(manager.Put("/api/v1/notify/settings", {{"digest_hour", 10}}).status, 403);
}

TEST_F(NotifyRoutesTest, AddressesOfUsersAndDepartments) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse created = admin.Post("/api/v1/notify/channels", WecomChannel("部门群"));
  ASSERT_EQ(created.status, 201);
  int64_t channel = created.json["id"];

  std::string user_path = "/api/v1/notify/addresses/users/" + std::to_string(env_->UserId("rep_sh"));
  ApiResponse put = admin.Put(user_path, {{"items", {{{"channel_id", channel}, {"locale", "en"}}}}});
  ASSERT_EQ(put.status, 200) << put.body;
  ASSERT_EQ(put.json["items"].size(), 1u);
  EXPECT_EQ(put.json["items"][0]["locale"], "en");
  EXPECT_EQ(admin.Get(user_path).json["items"].size(), 1u);

  ApiResponse department = admin.Put("/api/v1/notify/addresses/departments/finance",
                                     {{"items", {{{"channel_id", channel}}}}});
  ASSERT_EQ(department.status, 200) << department.body;
  EXPECT_EQ(department.json["items"][0]["locale"], "zh-CN");

  EXPECT_EQ(admin.Put(user_path, {{"items", {{{"channel_id", 9999}}}}}).status, 404);
  EXPECT_EQ(admin.Put("/api/v1/notify/addresses/users/999999", {{"items", json::array()}}).status, 404);
  EXPECT_EQ(admin.Put(user_path, {{"items", {{{"channel_id", channel}, {"locale", "fr"}}}}}).status, 400);
}

TEST_F(NotifyRoutesTest, FailuresPageListsFailedMessages) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse messages = admin.Get("/api/v1/notify/messages?state=failed");
  ASSERT_EQ(messages.status, 200) << messages.body;
  EXPECT_TRUE(messages.json["items"].empty());
  EXPECT_TRUE(messages.json["next_cursor"].is_null());
  EXPECT_EQ(admin.Get("/api/v1/notify/messages?state=lost").status, 400);
  EXPECT_EQ(admin.Post("/api/v1/notify/messages/12345/resend").status, 404);
}

}  // namespace
}  // namespace salesradar::api::testing
