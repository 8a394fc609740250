// PATCH /api/v1/opportunities/{id}, POST /api/v1/activities and the opportunity timeline, over
// real HTTP.
#include <gtest/gtest.h>

#include "api_test_env.h"
#include "record_test_seed.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

class RecordWriteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
    ASSERT_NO_FATAL_FAILURE(seed_.Write(*env_));
  }

  std::string OpportunityPath(const std::string& name) {
    return "/api/v1/opportunities/" + std::to_string(seed_.Id(name));
  }

  // Returns the audit rows of `entity_kind` written by `actor`.
  std::vector<store::AuditEntry> AuditOf(const std::string& entity_kind,
                                         const std::string& actor) {
    StoreLease store = env_->Store();
    Result<std::vector<store::AuditEntry>> rows = store->ListAudit(0, 100'000);
    EXPECT_TRUE(rows.ok());
    std::vector<store::AuditEntry> matching;
    for (const store::AuditEntry& row : rows.ok() ? *rows : std::vector<store::AuditEntry>()) {
      if (row.entity_kind == entity_kind && row.actor == actor) {
        matching.push_back(row);
      }
    }
    return matching;
  }

  std::unique_ptr<ApiTestEnv> env_;
  RecordSeed seed_;
};

TEST_F(RecordWriteTest, RepChangesOwnOpportunityAudited) {
  ApiClient rep = env_->SignIn("rep_sh");
  ApiResponse response = rep.Patch(
      OpportunityPath("opp_sh"),
      json{{"stage", "Won"},
           {"amount", {{"amount_fen", 123'456}, {"currency", "CNY"}}},
           {"close_date", "2026-06-30"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["stage"], "won");
  EXPECT_EQ(response.json["amount"]["amount_fen"], 123'456);
  EXPECT_EQ(response.json["close_date"], "2026-06-30");

  std::vector<store::AuditEntry> audit =
      AuditOf("opportunity", "user:" + std::to_string(env_->UserId("rep_sh")));
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "update");
  EXPECT_EQ(audit[0].entity_id, std::to_string(seed_.Id("opp_sh")));
}

TEST_F(RecordWriteTest, PatchRejectsInvisibleCsAndBadValues) {
  ApiClient rep = env_->SignIn("rep_sh");
  EXPECT_EQ(rep.Patch(OpportunityPath("opp_gz"), json{{"stage", "won"}}).status, 404);

  rep.SetAcceptLanguage("en");
  ApiResponse stage = rep.Patch(OpportunityPath("opp_sh"), json{{"stage", "closed"}});
  EXPECT_EQ(stage.status, 400);
  EXPECT_NE(stage.body.find("prospecting, engaging, won, lost"), std::string::npos) << stage.body;
  ApiResponse amount =
      rep.Patch(OpportunityPath("opp_sh"), json{{"amount", {{"amount_fen", -1}}}});
  EXPECT_EQ(amount.status, 400);
  EXPECT_NE(amount.body.find("amount"), std::string::npos) << amount.body;
  ApiResponse unknown = rep.Patch(OpportunityPath("opp_sh"), json{{"owner", 3}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("close_date"), std::string::npos) << unknown.body;

  ApiClient cs = env_->SignIn("cs_east");
  EXPECT_EQ(cs.Patch(OpportunityPath("opp_won"), json{{"stage", "lost"}}).status, 403);
}

TEST_F(RecordWriteTest, RepLogsVisitOnOwnOpportunity) {
  ApiClient rep = env_->SignIn("rep_sh");
  ApiResponse response = rep.Post(
      "/api/v1/activities",
      json{{"type", "visit"},
           {"subject_type", "opportunity"},
           {"subject_id", seed_.Id("opp_sh")},
           {"occurred_at", "2026-03-02T10:00:00+08:00"},
           {"subject_text", "现场拜访，确认了预算"},
           {"payload", {{"next_step", "POC"}}}});
  ASSERT_EQ(response.status, 201) << response.body;
  EXPECT_EQ(response.json["actor_id"], env_->UserId("rep_sh"));
  EXPECT_EQ(response.json["occurred_at"], "2026-03-02T02:00:00Z");
  EXPECT_EQ(response.json["payload"]["next_step"], "POC");
  EXPECT_EQ(response.json["subject_name"], "商机 opp_sh");
  EXPECT_EQ(AuditOf("activity", "user:" + std::to_string(env_->UserId("rep_sh"))).size(), 1u);

  ApiClient manager = env_->SignIn("mgr_sh");
  ApiResponse listed = manager.Get("/api/v1/activities?opportunity_id=" +
                                   std::to_string(seed_.Id("opp_sh")));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json["items"].size(), 2u);
}

TEST_F(RecordWriteTest, LoggingOnInvisibleSubjectIsNotFound) {
  ApiClient rep = env_->SignIn("rep_sh");
  ApiResponse response = rep.Post("/api/v1/activities",
                                  json{{"type", "call"},
                                       {"subject_type", "opportunity"},
                                       {"subject_id", seed_.Id("opp_gz")}});
  EXPECT_EQ(response.status, 404) << response.body;
  ApiResponse bad_type = rep.Post("/api/v1/activities",
                                  json{{"type", "call"},
                                       {"subject_type", "product"},
                                       {"subject_id", 1}});
  EXPECT_EQ(bad_type.status, 400) << bad_type.body;
  ApiResponse missing = rep.Post("/api/v1/activities", json{{"subject_type", "opportunity"}});
  EXPECT_EQ(missing.status, 400) << missing.body;
}

TEST_F(RecordWriteTest, WriteWithoutCsrfIsRejected) {
  ApiClient rep = env_->SignIn("rep_sh");
  rep.DropCsrfHeader(true);
  EXPECT_EQ(rep.Patch(OpportunityPath("opp_sh"), json{{"stage", "won"}}).status, 403);
}

TEST_F(RecordWriteTest, TimelineMergesStageChangesAndActivities) {
  ApiClient rep = env_->SignIn("rep_sh");
  ASSERT_EQ(rep.Patch(OpportunityPath("opp_sh"), json{{"stage", "won"}}).status, 200);

  ApiResponse response = rep.Get(OpportunityPath("opp_sh") + "/timeline");
  ASSERT_EQ(response.status, 200) << response.body;
  const json& items = response.json["items"];
  ASSERT_EQ(items.size(), 3u) << response.body;
  int stage_changes = 0;
  int activities = 0;
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i]["kind"] == "stage_change") {
      ++stage_changes;
    } else {
      ++activities;
      EXPECT_EQ(items[i]["activity"]["external_id"], "act_sh");
    }
    if (i > 0) {
      EXPECT_LE(items[i - 1]["at"].get<std::string>(), items[i]["at"].get<std::string>());
    }
  }
  EXPECT_EQ(stage_changes, 2);  // inserted as engaging, then won
  EXPECT_EQ(activities, 1);
  EXPECT_EQ(items.back()["to_stage"], "won");
  EXPECT_FALSE(response.json["activities_truncated"].get<bool>());
}

}  // namespace
}  // namespace salesradar::api::testing
