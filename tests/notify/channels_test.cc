// Each channel against its local fake: the JSON shape and signature the platform documents, the
// message row marked sent, English for an address whose locale is en, and SMTP through the sink.
#include "worker_fixture.h"

namespace salesradar::notify::testing {
namespace {

TEST_F(WorkerTest, WecomRobotReceivesMarkdownWithLink) {
  int64_t channel = AddChannel("wecom", {{"endpoint", fakes_->BaseUrl() + "/cgi-bin/webhook/send"}}, {{"key", "wecom-key"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(1, "sales")});

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  std::vector<Arrival> arrivals = fakes_->Arrivals();
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_TRUE(arrivals[0].accepted) << arrivals[0].problem;
  std::string content = arrivals[0].body["markdown"]["content"];
  EXPECT_NE(content.find("【新预警·红色】报价缺少合规声明（商机 O-1）"), std::string::npos);
  EXPECT_NE(content.find("https://radar.example.com/alerts?id="), std::string::npos);
  EXPECT_EQ(Messages("sent").size(), 1u);
}

TEST_F(WorkerTest, DingTalkSignedRobotAccepted) {
  int64_t channel = AddChannel("dingtalk", {{"endpoint", fakes_->BaseUrl() + "/robot/send"}},
                               {{"access_token", "ding-token"}, {"sign_secret", "SECding"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "en"}});
  WriteOutbox({DepartmentAlert(1, "sales")});

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  std::vector<Arrival> arrivals = fakes_->Arrivals();
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_TRUE(arrivals[0].accepted) << arrivals[0].problem;
  EXPECT_EQ(arrivals[0].body["msgtype"], "markdown");
  std::string text = arrivals[0].body["markdown"]["text"];
  EXPECT_NE(text.find("[New alert · red] Quote without compliance statement"), std::string::npos);
}

TEST_F(WorkerTest, DingTalkWrongSecretFailsForGood) {
  int64_t channel = AddChannel("dingtalk", {{"endpoint", fakes_->BaseUrl() + "/robot/send"}},
                               {{"access_token", "ding-token"}, {"sign_secret", "SECwrong"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(1, "sales")});

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  std::vector<store::NotifyMessage> failed = Messages("failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_NE(failed[0].last_error.find("310000"), std::string::npos);
  EXPECT_EQ(failed[0].last_error.find("SECwrong"), std::string::npos);
  EXPECT_NE(metrics_.RenderText().find("salesradar_notify_failed_total{channel=\"" + std::to_string(channel) + "\"} 1"),
            std::string::npos);
}

TEST_F(WorkerTest, FeishuSignedCardAccepted) {
  int64_t channel = AddChannel("feishu", {{"endpoint", fakes_->BaseUrl() + "/open-apis/bot/v2/hook"}},
                               {{"hook_token", "feishu-token"}, {"sign_secret", "feishu-secret"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(1, "sales")});

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  std::vector<Arrival> arrivals = fakes_->Arrivals();
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_TRUE(arrivals[0].accepted) << arrivals[0].problem;
  EXPECT_EQ(arrivals[0].body["msg_type"], "interactive");
  EXPECT_EQ(arrivals[0].body["card"]["header"]["template"], "red");
}

TEST_F(WorkerTest, WebhookSignedWithDeliveryId) {
  int64_t channel = AddChannel("webhook", {{"url", fakes_->BaseUrl() + "/webhook"}}, {{"signing_secret", "whsec"}});
  SetAddresses("department", "sales", {{0, "", "", channel, "", "zh-CN"}});
  WriteOutbox({DepartmentAlert(1, "sales")});

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  std::vector<Arrival> arrivals = fakes_->Arrivals();
  ASSERT_EQ(arrivals.size(), 1u);
  EXPECT_TRUE(arrivals[0].accepted) << arrivals[0].problem;
  std::vector<store::NotifyMessage> sent = Messages("sent");
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(arrivals[0].delivery_id, std::to_string(sent[0].id));
  EXPECT_EQ(arrivals[0].body["entries"][0]["alert_id"], DepartmentAlert(1, "sales").alert_id);
}

TEST_F(WorkerTest, OwnerAndManagerResolveToTheirAddresses) {
  AddUser("mgr1", "王经理", "", "mgr1@example.com");
  AddUser("rep1", "李销售", "mgr1", "rep1@example.com");
  int64_t wecom = AddChannel("wecom", {{"endpoint", fakes_->BaseUrl() + "/cgi-bin/webhook/send"}}, {{"key", "wecom-key"}});
  int64_t webhook = AddChannel("webhook", {{"url", fakes_->BaseUrl() + "/webhook"}}, {{"signing_secret", "whsec"}});
  SetAddresses("user", std::to_string(UserId("rep1")), {{0, "", "", wecom, "", "zh-CN"}});
  SetAddresses("user", std::to_string(UserId("mgr1")), {{0, "", "", webhook, "", "zh-CN"}});

  rules::AlertChange change = OwnerAlert(1, "rep1", rules::AlertAction::kEscalated);
  change.recipients.push_back({rules::Recipient::Role::kOwnerManager, "mgr1", ""});
  WriteOutbox({change, OwnerAlert(2, "rep1", rules::AlertAction::kAcknowledged)});

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  std::vector<Arrival> arrivals = fakes_->Arrivals();
  ASSERT_EQ(arrivals.size(), 2u);  // the acknowledgement notifies nobody
  EXPECT_EQ(Messages("sent").size(), 2u);
}

TEST_F(WorkerTest, SmtpSinkReceivesMail) {
  SmtpSink sink;
  AddUser("rep1", "李销售", "", "rep1@example.com");
  int64_t smtp = AddChannel("smtp",
                            {{"host", "127.0.0.1"}, {"port", sink.port()}, {"from", "radar@example.com"}, {"starttls", false}},
                            nlohmann::json::object());
  SetAddresses("user", std::to_string(UserId("rep1")), {{0, "", "", smtp, "rep1@example.com", "zh-CN"}});
  WriteOutbox({OwnerAlert(1, "rep1", rules::AlertAction::kRaised)});

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  std::vector<SinkMail> mails = sink.Mails();
  ASSERT_EQ(mails.size(), 1u);
  EXPECT_EQ(mails[0].to, std::vector<std::string>{"<rep1@example.com>"});
  EXPECT_NE(mails[0].data.find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(mails[0].data.find("Message-ID: <notify-"), std::string::npos);
  EXPECT_NE(mails[0].data.find("https://radar.example.com/alerts?id="), std::string::npos);
  EXPECT_EQ(Messages("sent").size(), 1u);
}

// The sink offers no STARTTLS, so a channel that requires it must fail instead of sending in
// clear text.
TEST_F(WorkerTest, SmtpRequiringStarttlsFailsWithoutIt) {
  SmtpSink sink;
  AddUser("rep1", "李销售", "", "");
  int64_t smtp = AddChannel("smtp", {{"host", "127.0.0.1"}, {"port", sink.port()}, {"from", "radar@example.com"}},
                            {{"password", "smtp-password"}});
  SetAddresses("user", std::to_string(UserId("rep1")), {{0, "", "", smtp, "rep1@example.com", "zh-CN"}});
  WriteOutbox({OwnerAlert(1, "rep1", rules::AlertAction::kRaised)});

  std::unique_ptr<Worker> worker = OpenWorker(Options());
  ASSERT_TRUE(worker->RunOnce().ok());

  EXPECT_TRUE(sink.Mails().empty());
  std::vector<store::NotifyMessage> failed = Messages("failed");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].last_error.find("smtp-password"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::notify::testing
