// Restarts over the same SQLite file: pending rows are resumed, a row whose send completed but
// was not marked is not sent again, the outbox cursor survives, and the weekly digest is written
// once per week.
#include <map>

#include "worker_fixture.h"

namespace salesradar::notify::testing {
namespace {

std::map<std::string, int> CountAlertArrivals(const std::vector<Arrival>& arrivals, int alerts) {
  std::map<std::string, int> counts;
  for (const Arrival& arrival : arrivals) {
    std::string content = arrival.body["markdown"]["content"];
    for (int i = 0; i < alerts; ++i) {
      std::string needle = "（商机 O-" + std::to_string(i) + "）";
      if (content.find(needle) != std::string::npos) ++counts[needle];
    }
  }
  return counts;
}

// The worker "dies" after the robot accepted a request and before the row was marked sent.
// The next worker finds the row 'sending', marks it 'unknown' and does not send it again. It sends
// every other alert, so each alert arrives exactly once.
TEST_F(WorkerTest, CrashBetweenSendAndMarkDoesNotResend) {
  int64_t channel = AddChannel("wecom", {{"endpoint", fakes_->BaseUrl() + "/cgi-bin/webhook/send"}}, {{"key", "wecom-key"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(0, "sales")});

  WorkerOptions crashing = Options();
  crashing.crash_after_send = [](std::span<const int64_t>) { return true; };
  {
    std::unique_ptr<Worker> worker = OpenWorker(crashing);
    EXPECT_FALSE(worker->RunOnce().ok());
  }
  ASSERT_EQ(fakes_->Arrivals().size(), 1u);
  ASSERT_EQ(Messages("sending").size(), 1u);

  WriteOutbox({DepartmentAlert(1, "sales"), DepartmentAlert(2, "sales")});
  std::unique_ptr<Worker> restarted = OpenWorker(Options());
  ASSERT_TRUE(restarted->RunOnce().ok());
  clock_.Advance(std::chrono::minutes(5));
  ASSERT_TRUE(restarted->RunOnce().ok());

  std::map<std::string, int> counts = CountAlertArrivals(fakes_->Arrivals(), 3);
  ASSERT_EQ(counts.size(), 3u);
  for (const auto& [alert, count] : counts) EXPECT_EQ(count, 1) << alert;

  std::vector<store::NotifyMessage> unknown = Messages("unknown");
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_NE(unknown[0].last_error.find("not sent again"), std::string::npos);
  EXPECT_EQ(Messages("sent").size(), 2u);
}

// The first worker expands the outbox into message rows and stops before sending any, as after a
// kill between the two steps. The second sends each row once, and a third sends nothing more.
TEST_F(WorkerTest, RestartResumesPendingRowsOnce) {
  int64_t channel = AddChannel("webhook", {{"url", fakes_->BaseUrl() + "/webhook"}}, {{"signing_secret", "whsec"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(0, "sales"), DepartmentAlert(1, "sales"), DepartmentAlert(2, "sales")});

  WorkerOptions crashing = Options();
  crashing.crash_after_send = [](std::span<const int64_t>) { return true; };
  {
    std::unique_ptr<Worker> first = OpenWorker(crashing);
    EXPECT_FALSE(first->RunOnce().ok());  // sent message 1, "crashed" before marking it
  }
  EXPECT_EQ(Messages("pending").size(), 2u);

  {
    std::unique_ptr<Worker> second = OpenWorker(Options());
    ASSERT_TRUE(second->RunOnce().ok());
  }
  {
    std::unique_ptr<Worker> third = OpenWorker(Options());
    ASSERT_TRUE(third->RunOnce().ok());
  }

  std::map<std::string, int> deliveries;
  for (const Arrival& arrival : fakes_->Arrivals()) ++deliveries[arrival.body["entries"][0]["alert_id"].get<std::string>()];
  ASSERT_EQ(deliveries.size(), 3u);
  for (const auto& [alert, count] : deliveries) EXPECT_EQ(count, 1) << alert;
}

TEST_F(WorkerTest, WeeklyDigestOncePerWeek) {
  AddUser("mgr1", "王经理", "", "");
  AddUser("rep1", "李销售", "mgr1", "");
  AddUser("rep2", "赵销售", "mgr1", "");
  int64_t webhook = AddChannel("webhook", {{"url", fakes_->BaseUrl() + "/webhook"}}, {{"signing_secret", "whsec"}});
  SetAddresses("user", std::to_string(UserId("mgr1")), {{0, "", "", webhook, "", "zh-CN"}});

  // Sunday 2026-03-01 08:00 in Shanghai: the first pass only remembers the last slot.
  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  WriteOutbox({OwnerAlert(1, "rep1", rules::AlertAction::kRaised), OwnerAlert(2, "rep2", rules::AlertAction::kRaised),
               OwnerAlert(1, "rep1", rules::AlertAction::kResolvedAutomatically)});
  ASSERT_TRUE(worker->RunOnce().ok());
  size_t alert_arrivals = fakes_->Arrivals().size();
  EXPECT_EQ(alert_arrivals, 0u);  // the manager has no alert addresses of his own for owner alerts

  clock_.Advance(std::chrono::hours(25));  // Monday 09:00 in Shanghai
  ASSERT_TRUE(worker->RunOnce().ok());
  ASSERT_TRUE(worker->RunOnce().ok());

  std::vector<Arrival> arrivals = fakes_->Arrivals();
  ASSERT_EQ(arrivals.size(), 1u);
  const nlohmann::json& entry = arrivals[0].body["entries"][0];
  EXPECT_EQ(entry["kind"], "digest");
  std::string text = entry["text"];
  EXPECT_NE(text.find("本周预警：2 条"), std::string::npos) << text;
  EXPECT_NE(text.find("合规率（已解决占比）：50%"), std::string::npos) << text;
  EXPECT_NE(text.find("b2b/quote_compliance（2 条）"), std::string::npos) << text;

  {
    std::unique_ptr<Worker> restarted = OpenWorker(Options());
    ASSERT_TRUE(restarted->RunOnce().ok());
  }
  EXPECT_EQ(fakes_->Arrivals().size(), 1u);
}

}  // namespace
}  // namespace salesradar::notify::testing
