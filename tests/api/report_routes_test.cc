// Report routes over real HTTP: the pipeline and behaviour health, each limited to what the
// signed-in user may see, with drill-down filters that GET /api/v1/alerts accepts.
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "api_test_env.h"
#include "event_test_support.h"
#include "record_test_seed.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

std::string QueryString(const json& filter) {
  std::string query;
  for (const auto& [key, value] : filter.items()) {
    query += query.empty() ? "?" : "&";
    query += key + "=" + EncodePathSegment(value.is_string() ? value.get<std::string>() : value.dump());
  }
  return query;
}

// ---- Pipeline ----

class PipelineReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
    seed_.Write(*env_);
  }

  json Report(std::string_view login, const std::string& query = "") {
    ApiResponse response = env_->SignIn(login).Get("/api/v1/reports/pipeline" + query);
    EXPECT_EQ(response.status, 200) << response.body;
    return response.json;
  }

  std::unique_ptr<ApiTestEnv> env_;
  RecordSeed seed_;
};

TEST_F(PipelineReportTest, AdminSeesEveryDeal) {
  json report = Report("admin");
  EXPECT_EQ(report["total"]["opportunities"], 4) << report;
  EXPECT_EQ(report["total"]["won"], 1);
}

TEST_F(PipelineReportTest, RepSeesOnlyOwnDeals) {
  json report = Report("rep_sh", "?by=rep");
  EXPECT_EQ(report["total"]["opportunities"], 1) << report;
  ASSERT_EQ(report["groups"].size(), 1u) << report;
  EXPECT_EQ(report["groups"][0]["opportunities"], 1);
}

TEST_F(PipelineReportTest, ManagerSeesTeam) {
  EXPECT_EQ(Report("mgr_sh")["total"]["opportunities"], 3);
  EXPECT_EQ(Report("mgr_gz")["total"]["opportunities"], 1);
}

TEST_F(PipelineReportTest, Filters) {
  EXPECT_EQ(Report("admin", "?team=" + std::to_string(env_->OrgUnitId("gz")))["total"]["opportunities"], 1);
  EXPECT_EQ(Report("admin", "?region=" + std::to_string(env_->OrgUnitId("east")))["total"]["opportunities"], 3);
  EXPECT_EQ(Report("admin", "?rep=" + std::to_string(env_->UserId("rep_sh2")))["total"]["opportunities"], 2);
  // The seeded deals have no engage date, so a period excludes them all.
  EXPECT_EQ(Report("admin", "?from=2020-01-01")["total"]["opportunities"], 0);
  json by_team = Report("admin", "?by=team");
  EXPECT_EQ(by_team["group_by"], "team");
  EXPECT_EQ(by_team["groups"].size(), 2u) << by_team;
}

TEST_F(PipelineReportTest, BadParametersNameThemselves) {
  ApiClient admin = env_->SignIn("admin");
  for (const char* query : {"?by=weekday", "?as_of=2026-02-30", "?team=abc", "?team=99999", "?from=yesterday",
                            "?from=2026-03-01&to=2026-02-01"}) {
    ApiResponse response = admin.Get(std::string("/api/v1/reports/pipeline") + query);
    EXPECT_EQ(response.status, 400) << query << ": " << response.body;
    std::string name = std::string(query).substr(1, std::string(query).find('=') - 1);
    if (std::string(query).find("&to=") != std::string::npos) name = "to";
    EXPECT_NE(response.body.find(name), std::string::npos) << query << ": " << response.body;
  }
  EXPECT_EQ(env_->Anonymous().Get("/api/v1/reports/pipeline").status, 401);
}

// ---- Behaviour health ----

// 2026-03-01T02:00:00Z, a Sunday (10:00 in Shanghai), in ISO week 2026-W09.
constexpr int64_t kMarchFirstMicros = int64_t{1772330400} * 1'000'000;

class HealthReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ApiTestEnvOptions options;
    options.clock = &clock_;
    options.rule_packs = {std::string(kHotLeadPack)};
    env_ = ApiTestEnv::Start(options);
    ASSERT_NE(env_, nullptr);

    SeedLead(*env_, "L-sh", "rep_sh");
    SeedLead(*env_, "L-gz", "rep_gz");
    ApiClient integration = env_->Anonymous();
    integration.SetBearerToken(env_->CreateToken("admin"));
    ApiResponse events = integration.Post(
        "/api/v1/events", {{"events", {LeadScored("h-1", "L-sh", 95), LeadScored("h-2", "L-gz", 90)}}});
    ASSERT_EQ(events.status, 200) << events.body;
    DrainEngine(*env_);
  }

  json Report(std::string_view login, const std::string& query = "?from=2026-02-01&to=2026-03-31") {
    ApiResponse response = env_->SignIn(login).Get("/api/v1/reports/behaviour-health" + query);
    EXPECT_EQ(response.status, 200) << response.body;
    return response.json;
  }

  static const json* RepRow(const json& report, int64_t user_id) {
    for (const json& row : report["reps"]) {
      if (row["user_id"] == user_id) return &row;
    }
    return nullptr;
  }

  ManualClock clock_{FromUnixMicros(kMarchFirstMicros)};
  std::unique_ptr<ApiTestEnv> env_;
};

TEST_F(HealthReportTest, AdminSeesWeeksLevelsRules) {
  json report = Report("admin");
  EXPECT_EQ(report["alerts"]["count"], 2) << report;
  ASSERT_EQ(report["weeks"].size(), 1u) << report;
  const json& week = report["weeks"][0];
  EXPECT_EQ(week["week"], "2026-W09");
  EXPECT_EQ(week["by_level"]["yellow"]["count"], 2);
  EXPECT_EQ(week["by_level"]["red"]["count"], 0);
  ASSERT_EQ(week["by_rule"].size(), 1u);
  EXPECT_EQ(week["by_rule"][0]["rule_id"], "hot-lead");
  EXPECT_EQ(week["by_rule"][0]["filter"]["pack_id"], "api-test");
  EXPECT_EQ(report["teams"].size(), 2u);
  EXPECT_EQ(report["reps"].size(), 2u);

  ASSERT_EQ(report["top_rules_this_week"].size(), 2u) << report;
  EXPECT_EQ(report["top_rules_this_week"][0]["week"], "2026-W09");
  EXPECT_EQ(report["top_rules_this_week"][0]["rules"][0]["count"], 1);
}

TEST_F(HealthReportTest, RepSeesOnlyOwnNumbers) {
  json report = Report("rep_sh");
  EXPECT_EQ(report["alerts"]["count"], 1) << report;
  ASSERT_EQ(report["reps"].size(), 1u);
  EXPECT_EQ(report["reps"][0]["user_id"], env_->UserId("rep_sh"));
  EXPECT_EQ(report["reps"][0]["team_id"], env_->OrgUnitId("sh"));

  EXPECT_EQ(Report("mgr_gz")["alerts"]["count"], 1);
  EXPECT_EQ(Report("dir_east")["alerts"]["count"], 1);
  EXPECT_EQ(Report("admin", "?from=2026-02-01&to=2026-03-31&team=" + std::to_string(env_->OrgUnitId("gz")))["alerts"]["count"], 1);
}

// Each rep's filters list exactly the alerts behind the rep's counts on GET /api/v1/alerts.
TEST_F(HealthReportTest, FiltersDrillDownToAlerts) {
  json report = Report("admin");
  ApiClient admin = env_->SignIn("admin");
  for (const json& rep : report["reps"]) {
    for (const char* count : {"alerts", "open", "overdue"}) {
      ApiResponse alerts = admin.Get("/api/v1/alerts" + QueryString(rep[count]["filter"]));
      ASSERT_EQ(alerts.status, 200) << alerts.body;
      EXPECT_EQ(alerts.json["items"].size(), rep[count]["count"].get<size_t>()) << count << ": " << rep;
    }
  }
}

TEST_F(HealthReportTest, ComplianceRate) {
  // rep_sh acknowledges at once; an hour later both alerts escalate to orange, because an
  // acknowledged alert keeps escalating until it is resolved.
  ApiClient rep = env_->SignIn("rep_sh");
  ApiResponse own = rep.Get("/api/v1/alerts");
  ASSERT_EQ(own.status, 200) << own.body;
  ASSERT_EQ(own.json["items"].size(), 1u) << own.body;
  std::string alert_id = own.json["items"][0]["id"];
  ApiResponse acknowledged =
      rep.Post("/api/v1/alerts/" + EncodePathSegment(alert_id) + "/acknowledge", json{{"note", "在跟进"}});
  ASSERT_EQ(acknowledged.status, 200) << acknowledged.body;

  clock_.Advance(std::chrono::minutes(61));
  json report;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  const json* gz = nullptr;
  const json* sh = nullptr;
  // On PostgreSQL the two subjects may sit in partitions whose engines fire their timers
  // independently, so wait for both escalations.
  while (std::chrono::steady_clock::now() < deadline) {
    report = Report("admin");
    gz = RepRow(report, env_->UserId("rep_gz"));
    sh = RepRow(report, env_->UserId("rep_sh"));
    bool gz_escalated = gz != nullptr && (*gz)["overdue"]["count"] == 1;
    bool sh_escalated = sh != nullptr && (*sh)["overdue"]["count"] == 1;
    if (gz_escalated && sh_escalated) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(gz, nullptr) << report;
  EXPECT_EQ((*gz)["overdue"]["count"], 1) << report;
  EXPECT_EQ((*gz)["compliance_rate"], 0.0) << *gz;
  EXPECT_EQ((*gz)["escalated_before_handling"], 1);

  ASSERT_NE(sh, nullptr) << report;
  EXPECT_EQ((*sh)["acknowledged_within_sla"]["count"], 1) << *sh;
  EXPECT_EQ((*sh)["compliance_rate"], 1.0) << *sh;
  EXPECT_EQ((*sh)["open"]["count"], 1);
  EXPECT_EQ((*sh)["overdue"]["count"], 1);
}

TEST_F(HealthReportTest, BadParametersNameThemselves) {
  ApiClient admin = env_->SignIn("admin");
  for (const char* query : {"?from=March", "?to=2026-13-01", "?team=x", "?team=99999", "?from=2026-04-01&to=2026-03-01"}) {
    ApiResponse response = admin.Get(std::string("/api/v1/reports/behaviour-health") + query);
    EXPECT_EQ(response.status, 400) << query << ": " << response.body;
    std::string name = std::string(query).substr(1, std::string(query).find('=') - 1);
    EXPECT_NE(response.body.find(name), std::string::npos) << query << ": " << response.body;
  }
}

}  // namespace
}  // namespace salesradar::api::testing
