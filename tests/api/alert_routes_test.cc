// The alert routes over HTTP: visibility by role, one alert by its percent-encoded id, the
// acknowledge, snooze and resolve flow with its history, escalation and tickets on a manual clock.
#include <thread>

#include <gtest/gtest.h>

#include "api/request_io.h"
#include "event_test_support.h"

namespace salesradar::api::testing {
namespace {

class AlertRoutes : public ::testing::Test {
 protected:
  void SetUp() override {
    ApiTestEnvOptions options;
    options.clock = &clock_;
    options.rule_packs = {std::string(kHotLeadPack)};
    env_ = ApiTestEnv::Start(options);
    ASSERT_NE(env_, nullptr);
    SeedLead(*env_, "L-sh", "rep_sh");
    SeedLead(*env_, "L-gz", "rep_gz");

    ApiClient admin = env_->SignIn("admin");
    ApiResponse posted = admin.Post(
        "/api/v1/events", {{"events", {LeadScored("hot-sh", "L-sh", 95), LeadScored("hot-gz", "L-gz", 95)}}});
    ASSERT_EQ(posted.status, 200) << posted.body;
    DrainEngine(*env_);
  }

  std::vector<nlohmann::json> List(std::string_view login, std::string_view query = "") {
    ApiClient client = env_->SignIn(login);
    ApiResponse response = client.Get(std::string("/api/v1/alerts") + std::string(query));
    EXPECT_EQ(response.status, 200) << response.body;
    return response.json["items"].get<std::vector<nlohmann::json>>();
  }

  std::string AlertIdOf(std::string_view lead) {
    for (const nlohmann::json& alert : List("admin")) {
      if (alert["subject"]["id"] == lead) return alert["id"].get<std::string>();
    }
    ADD_FAILURE() << "no alert for " << lead;
    return "";
  }

  std::string AlertPath(std::string_view lead, std::string_view suffix = "") {
    return "/api/v1/alerts/" + EncodePathSegment(AlertIdOf(lead)) + std::string(suffix);
  }

  ManualClock clock_{FromUnixMicros(1'800'000'000'000'000)};
  std::unique_ptr<ApiTestEnv> env_;
};

TEST_F(AlertRoutes, ListShowsOnlyVisibleAlerts) {
  EXPECT_EQ(List("admin").size(), 2u);

  std::vector<nlohmann::json> rep = List("rep_sh");
  ASSERT_EQ(rep.size(), 1u);
  EXPECT_EQ(rep[0]["subject"]["id"], "L-sh");
  EXPECT_EQ(rep[0]["owner"]["user_id"], env_->UserId("rep_sh"));

  std::vector<nlohmann::json> manager = List("mgr_gz");
  ASSERT_EQ(manager.size(), 1u);
  EXPECT_EQ(manager[0]["subject"]["id"], "L-gz");

  EXPECT_EQ(List("dir_east").size(), 1u);
  EXPECT_TRUE(List("rep_sh2").empty());
}

TEST_F(AlertRoutes, ListFiltersAndPages) {
  EXPECT_EQ(List("admin", "?subject_id=L-gz").size(), 1u);
  EXPECT_EQ(List("admin", "?level=red").size(), 0u);
  EXPECT_EQ(List("admin", "?status=resolved").size(), 0u);

  ApiClient admin = env_->SignIn("admin");
  ApiResponse first = admin.Get("/api/v1/alerts?limit=1&sort=raised_at");
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_EQ(first.json["items"].size(), 1u);
  ASSERT_TRUE(first.json["next_cursor"].is_string());
  ApiResponse second =
      admin.Get("/api/v1/alerts?limit=1&sort=raised_at&cursor=" + first.json["next_cursor"].get<std::string>());
  ASSERT_EQ(second.status, 200) << second.body;
  ASSERT_EQ(second.json["items"].size(), 1u);
  EXPECT_NE(second.json["items"][0]["id"], first.json["items"][0]["id"]);
  EXPECT_TRUE(second.json["next_cursor"].is_null());

  EXPECT_EQ(admin.Get("/api/v1/alerts?sort=owner").status, 400);
  EXPECT_EQ(admin.Get("/api/v1/alerts?status=lost").status, 400);
}

TEST_F(AlertRoutes, GetByEncodedId) {
  ApiClient rep = env_->SignIn("rep_sh");
  ApiResponse alert = rep.Get(AlertPath("L-sh"));
  ASSERT_EQ(alert.status, 200) << alert.body;
  EXPECT_EQ(alert.json["rule_id"], "hot-lead");
  EXPECT_EQ(alert.json["rule_name"]["zh"], "高分线索");
  EXPECT_EQ(alert.json["level"], "yellow");
  EXPECT_EQ(alert.json["status"], "open");
  EXPECT_EQ(alert.json["message"]["en"], "hot lead 线索 L-sh");
  EXPECT_TRUE(alert.json["escalation_due_at"].is_string());
  EXPECT_EQ(alert.json["history_count"], 1);

  EXPECT_EQ(rep.Get(AlertPath("L-gz")).status, 404);
  EXPECT_EQ(rep.Get("/api/v1/alerts/no%2Fsuch").status, 404);
}

TEST_F(AlertRoutes, AcknowledgeSnoozeResolveFlow) {
  ApiClient rep = env_->SignIn("rep_sh");
  ApiResponse acknowledged = rep.Post(AlertPath("L-sh", "/acknowledge"), {{"note", "看到了"}});
  ASSERT_EQ(acknowledged.status, 200) << acknowledged.body;
  EXPECT_EQ(acknowledged.json["status"], "acknowledged");
  EXPECT_EQ(rep.Post(AlertPath("L-sh", "/acknowledge"), {{"note", "again"}}).status, 409);

  ApiResponse bad_snooze = rep.Post(AlertPath("L-sh", "/snooze"), {{"note", "no time"}});
  EXPECT_EQ(bad_snooze.status, 400) << bad_snooze.body;
  ApiResponse snoozed =
      rep.Post(AlertPath("L-sh", "/snooze"), {{"until", FormatTime(clock_.Now() + std::chrono::hours(2))}});
  ASSERT_EQ(snoozed.status, 200) << snoozed.body;
  EXPECT_EQ(snoozed.json["status"], "snoozed");

  std::string resolve_path = AlertPath("L-sh", "/resolve");
  std::string history_path = AlertPath("L-sh", "/history");
  ApiResponse resolved = rep.Post(resolve_path, {{"note", "done"}});
  ASSERT_EQ(resolved.status, 200) << resolved.body;
  EXPECT_EQ(resolved.json["status"], "resolved_by_person");
  EXPECT_EQ(rep.Post(resolve_path, {{"note", "twice"}}).status, 409);

  ApiResponse history = rep.Get(history_path);
  ASSERT_EQ(history.status, 200) << history.body;
  ASSERT_EQ(history.json["items"].size(), 4u);
  EXPECT_EQ(history.json["items"][1]["action"], "acknowledged");
  EXPECT_EQ(history.json["items"][1]["note"], "看到了");
  EXPECT_EQ(history.json["items"][1]["actor"], std::to_string(env_->UserId("rep_sh")));
  EXPECT_EQ(history.json["items"][3]["action"], "resolved_by_person");
}

TEST_F(AlertRoutes, OthersCannotActOrReadHistory) {
  ApiClient other = env_->SignIn("rep_gz");
  EXPECT_EQ(other.Post(AlertPath("L-sh", "/acknowledge"), {{"note", "not mine"}}).status, 404);
  EXPECT_EQ(other.Get(AlertPath("L-sh", "/history")).status, 404);

  ApiClient manager = env_->SignIn("mgr_sh");
  EXPECT_EQ(manager.Post(AlertPath("L-sh", "/acknowledge"), {{"note", "team lead"}}).status, 200);
}

TEST_F(AlertRoutes, EscalationAndTicketOnManualClock) {
  ApiClient rep = env_->SignIn("rep_sh");
  auto wait_for_level = [&](std::string_view level) {
    nlohmann::json alert;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      alert = rep.Get(AlertPath("L-sh")).json;
      if (alert["level"] == level) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return alert;
  };

  // Each escalation step is measured from the time the previous level was reached.
  clock_.Advance(std::chrono::hours(1) + std::chrono::minutes(1));
  EXPECT_EQ(wait_for_level("orange")["level"], "orange");
  clock_.Advance(std::chrono::hours(2) + std::chrono::minutes(1));
  nlohmann::json alert = wait_for_level("red");
  ASSERT_EQ(alert["level"], "red") << alert.dump();
  ASSERT_TRUE(alert["ticket_id"].is_string());

  ApiResponse tickets = rep.Get("/api/v1/tickets?status=open");
  ASSERT_EQ(tickets.status, 200) << tickets.body;
  ASSERT_EQ(tickets.json["items"].size(), 1u);
  EXPECT_EQ(tickets.json["items"][0]["department"], "sales_ops");

  ApiResponse ticket = rep.Get("/api/v1/tickets/" + EncodePathSegment(alert["ticket_id"].get<std::string>()));
  EXPECT_EQ(ticket.status, 200) << ticket.body;

  ApiClient other = env_->SignIn("rep_sh2");
  EXPECT_TRUE(other.Get("/api/v1/tickets").json["items"].empty());
}

}  // namespace
}  // namespace salesradar::api::testing
