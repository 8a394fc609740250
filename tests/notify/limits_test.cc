// Platform limits: the worker's own per-robot rate limit with digest merging, the platforms'
// rate-limit replies, and retries with backoff after network errors. Time runs on a manual clock.
#include <set>

#include "worker_fixture.h"

namespace salesradar::notify::testing {
namespace {

using std::chrono::seconds;

// 200 alerts for one WeCom robot arrive one per second (the outbox grows while the worker runs).
// At most 20 requests may reach the robot in any 60 seconds, and every alert must appear in
// some request.
TEST_F(WorkerTest, BurstOf200StaysUnderWecomLimit) {
  int64_t channel = AddChannel("wecom", {{"endpoint", fakes_->BaseUrl() + "/cgi-bin/webhook/send"}, {"format", "text"}},
                               {{"key", "wecom-key"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  std::unique_ptr<Worker> worker = OpenWorker(Options());

  for (int i = 0; i < 200; ++i) {
    WriteOutbox({DepartmentAlert(i, "sales")});
    ASSERT_TRUE(worker->RunOnce().ok());
    clock_.Advance(seconds(1));
  }
  for (int i = 0; i < 600 && !Messages("pending").empty(); ++i) {
    ASSERT_TRUE(worker->RunOnce().ok());
    clock_.Advance(seconds(1));
  }
  EXPECT_TRUE(Messages("pending").empty());
  EXPECT_EQ(Messages("sent").size(), 200u);

  std::vector<Arrival> arrivals = fakes_->Arrivals();
  for (size_t i = 0; i < arrivals.size(); ++i) {
    EXPECT_TRUE(arrivals[i].accepted) << arrivals[i].problem;
    size_t in_window = 0;
    for (size_t j = i; j < arrivals.size() && arrivals[j].at < arrivals[i].at + seconds(60); ++j) ++in_window;
    EXPECT_LE(in_window, 20u) << "requests in the 60 s from arrival " << i;
  }

  std::set<int> seen;
  for (const Arrival& arrival : arrivals) {
    std::string content = arrival.body["text"]["content"];
    for (int i = 0; i < 200; ++i) {
      if (content.find("（商机 O-" + std::to_string(i) + "）") != std::string::npos) seen.insert(i);
    }
  }
  EXPECT_EQ(seen.size(), 200u);
  EXPECT_LT(arrivals.size(), 200u);  // merged into digests
}

TEST_F(WorkerTest, RateLimitReplyWaitsAMinute) {
  int64_t channel = AddChannel("wecom", {{"endpoint", fakes_->BaseUrl() + "/cgi-bin/webhook/send"}}, {{"key", "wecom-key"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(1, "sales")});
  fakes_->RateLimitNext(1);

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());
  std::vector<store::NotifyMessage> pending = Messages("pending");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].next_attempt_at, clock_.Now() + seconds(60));
  EXPECT_NE(pending[0].last_error.find("45009"), std::string::npos);

  clock_.Advance(seconds(30));
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(fakes_->Arrivals().size(), 1u);

  clock_.Advance(seconds(31));
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(fakes_->Arrivals().size(), 2u);
  EXPECT_EQ(Messages("sent").size(), 1u);
  EXPECT_NE(metrics_.RenderText().find("salesradar_notify_retries_total{channel=\"" + std::to_string(channel) + "\"} 1"),
            std::string::npos);
}

TEST_F(WorkerTest, DingTalkRateLimitBlocksTenMinutes) {
  int64_t channel = AddChannel("dingtalk", {{"endpoint", fakes_->BaseUrl() + "/robot/send"}},
                               {{"access_token", "ding-token"}, {"sign_secret", "SECding"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(1, "sales")});
  fakes_->RateLimitNext(1);

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());
  std::vector<store::NotifyMessage> pending = Messages("pending");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].next_attempt_at, clock_.Now() + std::chrono::minutes(10));

  clock_.Advance(std::chrono::minutes(10));
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(Messages("sent").size(), 1u);
}

TEST_F(WorkerTest, FeishuRateLimitReplyRetried) {
  int64_t channel = AddChannel("feishu", {{"endpoint", fakes_->BaseUrl() + "/open-apis/bot/v2/hook"}, {"format", "text"}},
                               {{"hook_token", "feishu-token"}, {"sign_secret", "feishu-secret"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(1, "sales")});
  fakes_->RateLimitNext(1);

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());
  ASSERT_EQ(Messages("pending").size(), 1u);
  clock_.Advance(seconds(60));
  ASSERT_TRUE(worker->RunOnce().ok());
  EXPECT_EQ(Messages("sent").size(), 1u);
}

// Port 1 on loopback has no listener, so every attempt is a connection failure.
TEST_F(WorkerTest, NetworkErrorsBackOffThenFail) {
  int64_t channel = AddChannel("webhook", {{"url", "http://127.0.0.1:1/webhook"}}, {{"signing_secret", "whsec"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(1, "sales")});

  WorkerOptions options = Options();
  options.max_attempts = 3;
  std::unique_ptr<Worker> worker = OpenWorker(options);
  ASSERT_TRUE(worker->RunOnce().ok());

  std::vector<store::NotifyMessage> pending = Messages("pending");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 1);
  EXPECT_GE(pending[0].next_attempt_at, clock_.Now() + std::chrono::milliseconds(7500));
  EXPECT_LE(pending[0].next_attempt_at, clock_.Now() + std::chrono::milliseconds(12500));

  clock_.Advance(seconds(13));
  ASSERT_TRUE(worker->RunOnce().ok());
  pending = Messages("pending");
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 2);
  EXPECT_GE(pending[0].next_attempt_at, clock_.Now() + seconds(15));  // 20 s with jitter

  clock_.Advance(seconds(26));
  ASSERT_TRUE(worker->RunOnce().ok());
  std::vector<store::NotifyMessage> failed = Messages("failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].attempts, 3);
  EXPECT_FALSE(failed[0].last_error.empty());
}

}  // namespace
}  // namespace salesradar::notify::testing
