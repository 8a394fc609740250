// Rule-pack routes over real HTTP: checking packs and expressions, publishing, versions and a
// backtest on events stored in the test database.
#include <span>
#include <string>

#include <gtest/gtest.h>

#include "api_test_env.h"
#include "common/clock.h"
#include "event_test_support.h"
#include "rules/event.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

std::string PackVersion(int version, std::string_view threshold = "80") {
  std::string text(kHotLeadPack);
  text.replace(text.find("version: 1"), 10, "version: " + std::to_string(version));
  text.replace(text.find("> 80"), 4, "> " + std::string(threshold));
  return text;
}

// Line 11 contains a condition with a misspelt field, and line 18 a rule of an unknown kind.
constexpr std::string_view kBrokenPack = R"(pack: broken
version: 1
name: {zh: 有错的包, en: Broken pack}
rules:
  - id: bad-condition
    name: {zh: 条件有错, en: Bad condition}
    subject: lead
    kind: condition
    trigger:
      event: lead_scored
      condition: event.paylod.score > 80
    level: yellow
    recipients: [owner]
    message: {zh: "x", en: "x"}
  - id: bad-kind
    name: {zh: 类型有错, en: Bad kind}
    subject: lead
    kind: sometimes
    trigger: {event: lead_scored}
    level: yellow
    recipients: [owner]
    message: {zh: "x", en: "x"}
)";

class RuleRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
  }

  std::unique_ptr<ApiTestEnv> env_;
};

TEST_F(RuleRoutesTest, CheckValidPack) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse response = admin.Post("/api/v1/rule-packs/check", {{"yaml", kHotLeadPack}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["ok"], true);
  EXPECT_TRUE(response.json["problems"].empty());
  EXPECT_EQ(response.json["pack_id"], "api-test");
  EXPECT_EQ(response.json["rule_ids"], json::array({"hot-lead"}));
}

TEST_F(RuleRoutesTest, CheckInvalidPackNamesLinesAndRules) {
  ApiClient admin = env_->SignIn("admin");
  admin.SetAcceptLanguage("en");
  ApiResponse response = admin.Post("/api/v1/rule-packs/check", {{"yaml", kBrokenPack}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["ok"], false);

  const json& problems = response.json["problems"];
  ASSERT_FALSE(problems.empty()) << response.body;
  bool found_kind = false;
  for (const json& problem : problems) {
    EXPECT_TRUE(problem["line"].is_number()) << problem;
    EXPECT_TRUE(problem["message"].is_string()) << problem;
    if (problem["rule_id"] == "bad-kind") {
      found_kind = true;
      EXPECT_EQ(problem["line"], 18) << problem;
      EXPECT_NE(problem["message"].get<std::string>().find("sometimes"), std::string::npos) << problem;
    }
  }
  EXPECT_TRUE(found_kind) << response.body;
}

TEST_F(RuleRoutesTest, CheckReportsCelErrorOnItsLine) {
  std::string pack = std::string(kBrokenPack).substr(0, std::string(kBrokenPack).find("  - id: bad-kind"));
  ApiClient admin = env_->SignIn("admin");
  ApiResponse response = admin.Post("/api/v1/rule-packs/check", {{"yaml", pack}});
  ASSERT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(response.json["problems"].size(), 1u) << response.body;
  const json& problem = response.json["problems"][0];
  EXPECT_EQ(problem["rule_id"], "bad-condition");
  EXPECT_EQ(problem["line"], 11);
  EXPECT_NE(problem["message"].get<std::string>().find("paylod"), std::string::npos) << problem;
}

TEST_F(RuleRoutesTest, CheckMessagesFollowAcceptLanguage) {
  ApiClient admin = env_->SignIn("admin");
  admin.SetAcceptLanguage("en");
  std::string english = admin.Post("/api/v1/rule-packs/check", {{"yaml", kBrokenPack}}).json["problems"][0]["message"];
  admin.SetAcceptLanguage("zh-CN");
  std::string chinese = admin.Post("/api/v1/rule-packs/check", {{"yaml", kBrokenPack}}).json["problems"][0]["message"];
  EXPECT_NE(english, chinese);
}

TEST_F(RuleRoutesTest, CheckNeedsAdmin) {
  ApiClient manager = env_->SignIn("mgr_sh");
  EXPECT_EQ(manager.Post("/api/v1/rule-packs/check", {{"yaml", kHotLeadPack}}).status, 403);
  EXPECT_EQ(env_->Anonymous().Post("/api/v1/rule-packs/check", {{"yaml", kHotLeadPack}}).status, 401);
}

TEST_F(RuleRoutesTest, CheckExpressionGood) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse response = admin.Post("/api/v1/rule-packs/check-expression",
                                    {{"subject_type", "lead"},
                                     {"event_type", "lead_scored"},
                                     {"expression", "event.payload.score > 80 && subject.name != ''"},
                                     {"part", "trigger"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["ok"], true);
  EXPECT_EQ(response.json["type"], "bool");
  EXPECT_TRUE(response.json["problems"].empty());
}

TEST_F(RuleRoutesTest, CheckExpressionSyntaxError) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse response = admin.Post("/api/v1/rule-packs/check-expression",
                                    {{"subject_type", "lead"}, {"expression", "event.payload.score >"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["ok"], false);
  ASSERT_EQ(response.json["problems"].size(), 1u);
  EXPECT_EQ(response.json["problems"][0]["line"], 1);
  EXPECT_TRUE(response.json["problems"][0]["column"].is_number());
}

TEST_F(RuleRoutesTest, CheckExpressionWrongResultType) {
  ApiClient admin = env_->SignIn("admin");
  admin.SetAcceptLanguage("en");
  ApiResponse response = admin.Post("/api/v1/rule-packs/check-expression",
                                    {{"subject_type", "lead"}, {"expression", "subject.name"}, {"part", "trigger"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["ok"], false);
  EXPECT_EQ(response.json["type"], "string");
  EXPECT_NE(response.body.find("must be a bool"), std::string::npos) << response.body;

  ApiResponse subject_id = admin.Post("/api/v1/rule-packs/check-expression",
                                      {{"subject_type", "lead"}, {"expression", "event.actor"}, {"part", "trigger_subject_id"}});
  EXPECT_EQ(subject_id.json["ok"], true) << subject_id.body;
}

TEST_F(RuleRoutesTest, CheckExpressionBadParameters) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse unknown_subject = admin.Post("/api/v1/rule-packs/check-expression",
                                           {{"subject_type", "leads"}, {"expression", "true"}});
  EXPECT_EQ(unknown_subject.status, 400);
  EXPECT_NE(unknown_subject.body.find("subject_type"), std::string::npos) << unknown_subject.body;

  ApiResponse unknown_part = admin.Post("/api/v1/rule-packs/check-expression",
                                        {{"subject_type", "lead"}, {"expression", "true"}, {"part", "window"}});
  EXPECT_EQ(unknown_part.status, 400);
  EXPECT_NE(unknown_part.body.find("part"), std::string::npos) << unknown_part.body;

  ApiResponse missing = admin.Post("/api/v1/rule-packs/check-expression", {{"subject_type", "lead"}});
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("expression"), std::string::npos) << missing.body;
}

// Needs EngineHost::PublishPack, which stores the version and hands it to the engine.
TEST_F(RuleRoutesTest, PublishThenVersions) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse first = admin.Post("/api/v1/rule-packs/publish", {{"yaml", PackVersion(1)}});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json["version"], 1);
  EXPECT_EQ(first.json["rules"][0]["id"], "hot-lead");

  ApiResponse second = admin.Post("/api/v1/rule-packs/publish", {{"yaml", PackVersion(2, "90")}});
  ASSERT_EQ(second.status, 201) << second.body;

  ApiResponse list = admin.Get("/api/v1/rule-packs");
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json["items"].size(), 1u);
  EXPECT_EQ(list.json["items"][0]["id"], "api-test");
  EXPECT_EQ(list.json["items"][0]["active_version"], 2);
  EXPECT_EQ(list.json["items"][0]["rule_count"], 1);
  EXPECT_EQ(list.json["items"][0]["published_by"], std::to_string(env_->UserId("admin")));

  ApiResponse versions = admin.Get("/api/v1/rule-packs/api-test/versions");
  ASSERT_EQ(versions.status, 200) << versions.body;
  ASSERT_EQ(versions.json["items"].size(), 2u);
  EXPECT_EQ(versions.json["items"][0]["version"], 2);
  EXPECT_EQ(versions.json["items"][0]["active"], true);
  EXPECT_EQ(versions.json["items"][1]["active"], false);

  ApiResponse old = admin.Get("/api/v1/rule-packs/api-test/versions/1");
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(old.json["yaml"], PackVersion(1));

  ApiResponse active = env_->SignIn("rep_sh").Get("/api/v1/rule-packs/api-test");
  ASSERT_EQ(active.status, 200) << active.body;
  EXPECT_EQ(active.json["version"], 2);
  EXPECT_EQ(active.json["rules"][0]["trigger"]["condition"], "event.payload.score > 90");

  EXPECT_EQ(admin.Post("/api/v1/rule-packs/publish", {{"yaml", PackVersion(2)}}).status, 409);
  EXPECT_EQ(admin.Get("/api/v1/rule-packs/api-test/versions/7").status, 404);
  EXPECT_EQ(admin.Get("/api/v1/rule-packs/nope").status, 404);

  StoreLease store = env_->Store();
  auto audit = store->ListAudit(0, 500);
  ASSERT_TRUE(audit.ok());
  int published = 0;
  for (const store::AuditEntry& entry : *audit) {
    if (entry.action == "publish" && entry.entity_kind == "rule_pack") ++published;
  }
  EXPECT_EQ(published, 2);
}

TEST_F(RuleRoutesTest, PublishRejectsBrokenPackWithProblems) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse response = admin.Post("/api/v1/rule-packs/publish", {{"yaml", kBrokenPack}});
  EXPECT_EQ(response.status, 400) << response.body;
  EXPECT_EQ(response.json["code"], "invalid_argument");
  EXPECT_FALSE(response.json["problems"].empty());
  EXPECT_EQ(env_->SignIn("mgr_sh").Post("/api/v1/rule-packs/publish", {{"yaml", kHotLeadPack}}).status, 403);
}

rules::Event Scored(const std::string& id, const std::string& lead, int score, Timestamp at) {
  rules::Event event;
  event.id = id;
  event.type = "lead_scored";
  event.subject = {"lead", lead};
  event.occurred_at = at;
  event.received_at = at;
  event.payload = {{"score", score}};
  return event;
}

TEST_F(RuleRoutesTest, BacktestOnStoredEvents) {
  SeedLead(*env_, "L-1", "rep_sh");
  SeedLead(*env_, "L-2", "rep_gz");
  Timestamp march = FromUnixMicros(int64_t{1772326800} * 1'000'000);  // 2026-03-01T01:00:00Z
  std::vector<rules::Event> events = {Scored("b-1", "L-1", 95, march), Scored("b-2", "L-2", 50, march),
                                      Scored("b-3", "L-2", 85, march + std::chrono::hours(24 * 8))};
  {
    StoreLease store = env_->Store();
    auto appended = store->AppendEvents(events);
    ASSERT_TRUE(appended.ok()) << appended.error().ToLogString();
  }

  ApiClient admin = env_->SignIn("admin");
  ApiResponse response = admin.Post("/api/v1/rule-packs/backtest",
                                    {{"yaml", kHotLeadPack}, {"outcomes", {"won=opportunity_won"}}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["pack"], "api-test");
  EXPECT_EQ(response.json["events"], 3);
  ASSERT_EQ(response.json["rules"].size(), 1u);
  const json& rule = response.json["rules"][0];
  EXPECT_EQ(rule["id"], "hot-lead");
  EXPECT_EQ(rule["alerts"], 2);
  EXPECT_EQ(rule["by_week"].size(), 2u) << rule;
  // by_level counts the highest level each alert reached: the L-1 alert stays open for weeks of
  // simulated time and escalates, so the two alerts are not both yellow.
  int by_level_total = rule["by_level"].value("yellow", 0) + rule["by_level"].value("orange", 0) +
                       rule["by_level"].value("red", 0);
  EXPECT_EQ(by_level_total, 2) << rule;
  EXPECT_EQ(rule["flagged"]["subjects"], 2);

  ApiResponse later = admin.Post("/api/v1/rule-packs/backtest", {{"yaml", kHotLeadPack}, {"from", "2026-03-05"}});
  ASSERT_EQ(later.status, 200) << later.body;
  EXPECT_EQ(later.json["events"], 1);

  ApiResponse bad_from = admin.Post("/api/v1/rule-packs/backtest", {{"yaml", kHotLeadPack}, {"from", "March"}});
  EXPECT_EQ(bad_from.status, 400);
  EXPECT_NE(bad_from.body.find("from"), std::string::npos) << bad_from.body;

  EXPECT_EQ(admin.Post("/api/v1/rule-packs/backtest", {{"yaml", kBrokenPack}}).status, 400);
}

}  // namespace
}  // namespace salesradar::api::testing
