#include "notify/payloads.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "notify/channel_sender.h"

namespace salesradar::notify {
namespace {

MessageEntry Entry(int i) {
  MessageEntry entry;
  entry.kind = "alert";
  entry.title = "【新预警·红色】报价缺少合规声明 " + std::to_string(i);
  entry.text = "对象：opportunity O-" + std::to_string(i) + "\n规则：b2b/quote_compliance";
  entry.link = "https://radar.example.com/alerts?id=a" + std::to_string(i);
  entry.level = "red";
  entry.alert_id = "a" + std::to_string(i);
  return entry;
}

ChannelSpec Spec(ChannelKind kind, std::string format) {
  ChannelSpec spec;
  spec.kind = kind;
  spec.format = std::move(format);
  return spec;
}

TEST(Payloads, WecomMarkdownShape) {
  std::vector<MessageEntry> entries = {Entry(1)};
  nlohmann::json body = nlohmann::json::parse(RobotPayload(Spec(ChannelKind::kWecom, "markdown"), entries, Locale::kChinese, 0));
  EXPECT_EQ(body["msgtype"], "markdown");
  std::string content = body["markdown"]["content"];
  EXPECT_NE(content.find("报价缺少合规声明 1"), std::string::npos);
  EXPECT_NE(content.find("[查看](https://radar.example.com/alerts?id=a1)"), std::string::npos);
}

TEST(Payloads, DigestNamesEveryEntry) {
  std::vector<MessageEntry> entries = {Entry(1), Entry(2), Entry(3)};
  nlohmann::json body = nlohmann::json::parse(RobotPayload(Spec(ChannelKind::kWecom, "text"), entries, Locale::kChinese, 0));
  std::string content = body["text"]["content"];
  EXPECT_NE(content.find("销售雷达：3 条通知"), std::string::npos);
  for (int i = 1; i <= 3; ++i) EXPECT_NE(content.find("a" + std::to_string(i)), std::string::npos);
}

TEST(Payloads, EntriesThatFitStayUnderWecomTextLimit) {
  std::vector<MessageEntry> entries;
  for (int i = 0; i < 100; ++i) entries.push_back(Entry(i));
  ChannelSpec spec = Spec(ChannelKind::kWecom, "text");
  size_t count = EntriesThatFit(spec, entries, Locale::kChinese);
  EXPECT_GT(count, 1u);
  EXPECT_LT(count, 100u);
  nlohmann::json body = nlohmann::json::parse(
      RobotPayload(spec, std::span<const MessageEntry>(entries).first(count), Locale::kChinese, 0));
  EXPECT_LE(body["text"]["content"].get<std::string>().size(), 2048u);
}

TEST(Payloads, DingTalkActionCardHasSingleUrl) {
  std::vector<MessageEntry> entries = {Entry(1)};
  nlohmann::json body =
      nlohmann::json::parse(RobotPayload(Spec(ChannelKind::kDingTalk, "action_card"), entries, Locale::kEnglish, 0));
  EXPECT_EQ(body["msgtype"], "actionCard");
  EXPECT_EQ(body["actionCard"]["singleURL"], "https://radar.example.com/alerts?id=a1");
  EXPECT_EQ(body["actionCard"]["singleTitle"], "Open");
}

TEST(Payloads, FeishuSignedCard) {
  ChannelSpec spec = Spec(ChannelKind::kFeishu, "interactive");
  spec.sign_secret = "feishu-secret";
  std::vector<MessageEntry> entries = {Entry(1)};
  nlohmann::json body = nlohmann::json::parse(RobotPayload(spec, entries, Locale::kChinese, 1700000000));
  EXPECT_EQ(body["msg_type"], "interactive");
  EXPECT_EQ(body["card"]["header"]["template"], "red");
  EXPECT_EQ(body["timestamp"], "1700000000");
  EXPECT_EQ(body["sign"], "OrBzY1Y01Gq+HgJsl+7OfWcMVwc7YocohQm5iiZwjhU=");
}

TEST(Payloads, FeishuPostHasLinkTag) {
  std::vector<MessageEntry> entries = {Entry(1)};
  nlohmann::json body = nlohmann::json::parse(RobotPayload(Spec(ChannelKind::kFeishu, "post"), entries, Locale::kChinese, 0));
  const nlohmann::json& lines = body["content"]["post"]["zh_cn"]["content"];
  EXPECT_EQ(lines.back()[0]["tag"], "a");
  EXPECT_EQ(lines.back()[0]["href"], "https://radar.example.com/alerts?id=a1");
}

TEST(RobotReplies, RateLimitCodesAreRecognised) {
  EXPECT_EQ(ClassifyRobotReply(ChannelKind::kWecom, 200, R"({"errcode":45009,"errmsg":"freq"})").kind,
            SendOutcome::Kind::kRateLimited);
  SendOutcome dingtalk = ClassifyRobotReply(ChannelKind::kDingTalk, 200, R"({"errcode":130101,"errmsg":"too fast"})");
  EXPECT_EQ(dingtalk.kind, SendOutcome::Kind::kRateLimited);
  EXPECT_EQ(dingtalk.block, std::chrono::minutes(10));
  EXPECT_EQ(ClassifyRobotReply(ChannelKind::kFeishu, 200, R"({"code":11232,"msg":"limited"})").kind,
            SendOutcome::Kind::kRateLimited);
  EXPECT_EQ(ClassifyRobotReply(ChannelKind::kFeishu, 429, "").kind, SendOutcome::Kind::kRateLimited);
}

TEST(RobotReplies, OtherCodesAreClassified) {
  EXPECT_EQ(ClassifyRobotReply(ChannelKind::kWecom, 200, R"({"errcode":0,"errmsg":"ok"})").kind, SendOutcome::Kind::kSent);
  EXPECT_EQ(ClassifyRobotReply(ChannelKind::kFeishu, 200, R"({"StatusCode":0})").kind, SendOutcome::Kind::kSent);
  EXPECT_EQ(ClassifyRobotReply(ChannelKind::kDingTalk, 200, R"({"errcode":310000,"errmsg":"keywords not in content"})").kind,
            SendOutcome::Kind::kPermanent);
  EXPECT_EQ(ClassifyRobotReply(ChannelKind::kWecom, 502, "bad gateway").kind, SendOutcome::Kind::kRetry);
}

TEST(ChannelSettings, ValidationNamesTheField) {
  Status unknown = ValidateChannelSettings(ChannelKind::kWecom, {{"colour", "red"}}, {{"key", "k"}}, true);
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message_en().find("config.colour"), std::string::npos);

  Status missing = ValidateChannelSettings(ChannelKind::kWebhook, {{"url", "https://hooks.example.com/x"}},
                                           nlohmann::json::object(), true);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message_en().find("secrets.signing_secret"), std::string::npos);

  Status format = ValidateChannelSettings(ChannelKind::kFeishu, {{"format", "markdown"}}, {{"hook_token", "t"}}, true);
  ASSERT_FALSE(format.ok());
  EXPECT_NE(format.error().message_en().find("config.format"), std::string::npos);

  EXPECT_TRUE(ValidateChannelSettings(ChannelKind::kSmtp, {{"host", "127.0.0.1"}, {"port", 2525}, {"from", "a@b.c"}},
                                      nlohmann::json::object(), true)
                  .ok());
}

}  // namespace
}  // namespace salesradar::notify
