// The Store contract for the notification tables (store/notify_store.h), as a typed test suite
// next to store_contract_test.h. A backend's test file instantiates it:
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, StoreNotifyContractTest, MyBackend);
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "rules/state_store.h"
#include "store/notify_settings_store.h"
#include "store/notify_store.h"
#include "store/store_contract_test.h"

namespace salesradar::store::testing {

inline NotifyMessage PendingMessage(std::string source, int64_t channel_id, Timestamp due,
                                    std::string target = "") {
  NotifyMessage message;
  message.source = std::move(source);
  message.channel_id = channel_id;
  message.target = std::move(target);
  message.body = R"({"title":"线索未跟进"})";
  message.next_attempt_at = due;
  return message;
}

// An update that sets the state and counts an attempt.
inline NotifyMessageUpdate StateUpdate(std::string state) {
  NotifyMessageUpdate update;
  update.state = std::move(state);
  update.count_attempt = true;
  return update;
}

template <typename Backend>
class StoreNotifyContractTest : public StoreContractTest<Backend> {
 protected:
  void SetUp() override {
    StoreContractTest<Backend>::SetUp();
    Result<std::unique_ptr<NotifyStore>> opened = this->store_->OpenNotifyStore();
    ASSERT_TRUE(opened.ok()) << opened.error().message_en();
    notify_ = std::move(opened).value();
  }

  void TearDown() override {
    notify_.reset();
    StoreContractTest<Backend>::TearDown();
  }

  int64_t CreateChannelOrFail(std::string name, std::string kind = "wecom") {
    NotifyChannel channel;
    channel.name = std::move(name);
    channel.kind = std::move(kind);
    channel.config = R"({"mention_all":false})";
    channel.sealed_secrets = "sealed-SECRET";
    Result<int64_t> id = notify_->CreateChannel(channel, AuditContext::User(7, "req-1"));
    EXPECT_TRUE(id.ok()) << (id.ok() ? "" : id.error().message_en());
    return id.ok() ? *id : 0;
  }

  std::vector<NotifyMessage> Messages(NotifyMessageFilter filter = {}) {
    filter.limit = 500;
    Result<std::vector<NotifyMessage>> messages = notify_->ListMessages(filter);
    EXPECT_TRUE(messages.ok()) << (messages.ok() ? "" : messages.error().message_en());
    return messages.ok() ? *messages : std::vector<NotifyMessage>();
  }

  std::vector<AuditEntry> AllAudit() {
    Result<std::vector<AuditEntry>> rows = this->store_->ListAudit(0, 1'000'000);
    EXPECT_TRUE(rows.ok());
    return rows.ok() ? *rows : std::vector<AuditEntry>();
  }

  std::unique_ptr<NotifyStore> notify_;
};

TYPED_TEST_SUITE_P(StoreNotifyContractTest);

TYPED_TEST_P(StoreNotifyContractTest, ChannelsCreateUpdateDeleteAudited) {
  int64_t robot = this->CreateChannelOrFail("销售群机器人");
  int64_t mail = this->CreateChannelOrFail("邮件", "smtp");
  EXPECT_NE(robot, mail);

  NotifyChannel same_name;
  same_name.name = "销售群机器人";
  same_name.kind = "feishu";
  Result<int64_t> taken = this->notify_->CreateChannel(same_name, AuditContext::System());
  ASSERT_FALSE(taken.ok());
  EXPECT_EQ(taken.error().code(), ErrorCode::kAlreadyExists);

  std::optional<NotifyChannel> stored = *this->notify_->GetChannel(robot);
  ASSERT_TRUE(stored.has_value());
  EXPECT_EQ(stored->kind, "wecom");
  EXPECT_TRUE(stored->enabled);
  EXPECT_EQ(stored->sealed_secrets, "sealed-SECRET");
  EXPECT_EQ(stored->created_at, kStart);

  stored->name = "华东群";
  stored->enabled = false;
  stored->kind = "smtp";  // the kind of a channel never changes
  ASSERT_TRUE(this->notify_->UpdateChannel(*stored, AuditContext::User(7)).ok());
  std::optional<NotifyChannel> updated = *this->notify_->GetChannel(robot);
  EXPECT_EQ(updated->name, "华东群");
  EXPECT_FALSE(updated->enabled);
  EXPECT_EQ(updated->kind, "wecom");

  NotifyChannel rename = *updated;
  rename.name = "邮件";
  Status conflict = this->notify_->UpdateChannel(rename, AuditContext::User(7));
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(conflict.error().code(), ErrorCode::kAlreadyExists);
  NotifyChannel missing = *updated;
  missing.id = 9999;
  EXPECT_EQ(this->notify_->UpdateChannel(missing, {}).error().code(), ErrorCode::kNotFound);

  ASSERT_TRUE(
      this->notify_
          ->Enqueue(std::vector<NotifyMessage>{PendingMessage("outbox:1", mail, kStart)}, "", 0)
          .ok());
  ASSERT_TRUE(this->notify_->DeleteChannel(mail, AuditContext::User(7)).ok());
  EXPECT_FALSE(this->notify_->GetChannel(mail)->has_value());
  EXPECT_TRUE(this->Messages().empty()) << "the channel's messages go with it";
  EXPECT_EQ(this->notify_->DeleteChannel(mail, {}).error().code(), ErrorCode::kNotFound);

  std::vector<NotifyChannel> channels = *this->notify_->ListChannels();
  ASSERT_EQ(channels.size(), 1u);
  EXPECT_EQ(channels[0].id, robot);

  std::vector<std::string> actions;
  for (const AuditEntry& entry : this->AllAudit()) {
    if (entry.entity_kind != "notify_channel") continue;
    actions.push_back(entry.action + " " + entry.entity_id);
    EXPECT_EQ(entry.after_json.value_or("").find("SECRET"), std::string::npos) << entry.id;
    EXPECT_EQ(entry.before_json.value_or("").find("SECRET"), std::string::npos) << entry.id;
  }
  std::string r = std::to_string(robot);
  std::string m = std::to_string(mail);
  EXPECT_EQ(actions,
            (std::vector<std::string>{"create " + r, "create " + m, "update " + r, "delete " + m}));
  std::vector<AuditEntry> audit = this->AllAudit();
  ASSERT_FALSE(audit.empty());
  EXPECT_EQ(audit.front().actor, "user:7");
  EXPECT_EQ(audit.front().request_id, "req-1");
  EXPECT_NE(audit.front().after_json->find("\"secrets_set\":true"), std::string::npos);
  EXPECT_TRUE(this->store_->VerifyAuditChain()->ok());
}

TYPED_TEST_P(StoreNotifyContractTest, AddressesReplacedPerOwnerAndAudited) {
  int64_t robot = this->CreateChannelOrFail("机器人");
  int64_t mail = this->CreateChannelOrFail("邮件", "smtp");
  std::vector<NotifyAddress> addresses = {{0, "", "", mail, "wang@example.com", "zh-CN"},
                                          {0, "", "", robot, "", "en"}};
  ASSERT_TRUE(this->notify_->ReplaceAddresses("user", "12", addresses, AuditContext::User(1)).ok());
  ASSERT_TRUE(this->notify_
                  ->ReplaceAddresses("department", "sales_ops",
                                     std::vector<NotifyAddress>{{0, "", "", robot, "", "zh-CN"}},
                                     {})
                  .ok());

  std::vector<NotifyAddress> user = *this->notify_->ListAddresses("user", "12");
  ASSERT_EQ(user.size(), 2u);
  EXPECT_EQ(user[0].channel_id, mail);
  EXPECT_EQ(user[0].target, "wang@example.com");
  EXPECT_EQ(user[0].owner_kind, "user");
  EXPECT_EQ(user[0].owner, "12");
  EXPECT_EQ(user[1].locale, "en");
  EXPECT_EQ(this->notify_->ListAddresses("", "")->size(), 3u);

  ASSERT_TRUE(this->notify_
                  ->ReplaceAddresses("user", "12",
                                     std::vector<NotifyAddress>{{0, "", "", robot, "", "zh-CN"}},
                                     AuditContext::User(1))
                  .ok());
  EXPECT_EQ(this->notify_->ListAddresses("user", "12")->size(), 1u);

  Status unknown = this->notify_->ReplaceAddresses(
      "user", "12", std::vector<NotifyAddress>{{0, "", "", 9999, "", "zh-CN"}},
      AuditContext::User(1));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(this->notify_->ListAddresses("user", "12")->size(), 1u) << "nothing changed";

  std::vector<AuditEntry> rows;
  for (const AuditEntry& entry : this->AllAudit()) {
    if (entry.entity_kind == "notify_address") rows.push_back(entry);
  }
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].entity_id, "user:12");
  EXPECT_EQ(rows[0].before_json, "[]");
  EXPECT_NE(rows[0].after_json->find("wang@example.com"), std::string::npos);
  EXPECT_EQ(rows[1].entity_id, "department:sales_ops");
  EXPECT_NE(rows[2].before_json->find("wang@example.com"), std::string::npos);
}

TYPED_TEST_P(StoreNotifyContractTest, EnqueueSkipsDuplicatesAndStoresTheCursor) {
  int64_t robot = this->CreateChannelOrFail("机器人");
  int64_t mail = this->CreateChannelOrFail("邮件", "smtp");
  EXPECT_EQ(*this->notify_->Cursor("outbox"), 0);

  std::vector<NotifyMessage> first = {PendingMessage("outbox:1", robot, kStart),
                                      PendingMessage("outbox:1", mail, kStart, "a@example.com"),
                                      PendingMessage("outbox:1", mail, kStart, "b@example.com"),
                                      PendingMessage("outbox:1", robot, kStart)};  // repeated
  Result<int64_t> inserted = this->notify_->Enqueue(first, "outbox", 1);
  ASSERT_TRUE(inserted.ok()) << inserted.error().message_en();
  EXPECT_EQ(*inserted, 3);
  EXPECT_EQ(*this->notify_->Cursor("outbox"), 1);

  std::vector<NotifyMessage> again = {PendingMessage("outbox:1", robot, kStart),
                                      PendingMessage("outbox:2", robot, kStart)};
  EXPECT_EQ(*this->notify_->Enqueue(again, "outbox", 2), 1);
  EXPECT_EQ(*this->notify_->Cursor("outbox"), 2);
  EXPECT_EQ(*this->notify_->Enqueue(std::vector<NotifyMessage>{}, "digest", 7), 0);
  EXPECT_EQ(*this->notify_->Cursor("digest"), 7);
  EXPECT_EQ(*this->notify_->Cursor("outbox"), 2);

  std::vector<NotifyMessage> stored = this->Messages();
  ASSERT_EQ(stored.size(), 4u);
  EXPECT_EQ(stored[0].source, "outbox:1");
  EXPECT_EQ(stored[0].state, "pending");
  EXPECT_EQ(stored[0].attempts, 0);
  EXPECT_EQ(stored[0].body, R"({"title":"线索未跟进"})");
  EXPECT_EQ(stored[0].created_at, kStart);
  EXPECT_FALSE(stored[0].sent_at.has_value());
  EXPECT_EQ(stored[2].target, "b@example.com");
  EXPECT_EQ(stored[3].source, "outbox:2");
  for (size_t i = 1; i < stored.size(); ++i) EXPECT_LT(stored[i - 1].id, stored[i].id);
}

TYPED_TEST_P(StoreNotifyContractTest, DueUpdateInterruptListAndCount) {
  int64_t robot = this->CreateChannelOrFail("机器人");
  int64_t mail = this->CreateChannelOrFail("邮件", "smtp");
  Timestamp later = kStart + std::chrono::minutes(5);
  ASSERT_TRUE(this->notify_
                  ->Enqueue(
                      std::vector<NotifyMessage>{
                          PendingMessage("m:1", robot, kStart), PendingMessage("m:2", robot, later),
                          PendingMessage("m:3", mail, kStart, "a@example.com"),
                          PendingMessage("m:4", mail, kStart, "b@example.com")},
                      "", 0)
                  .ok());
  std::vector<NotifyMessage> all = this->Messages();
  ASSERT_EQ(all.size(), 4u);

  std::vector<NotifyMessage> due = *this->notify_->DueMessages(kStart, 10);
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].source, "m:1");
  EXPECT_EQ(this->notify_->DueMessages(kStart, 1)->size(), 1u);
  EXPECT_EQ(this->notify_->DueMessages(later, 10)->size(), 4u);

  std::vector<int64_t> sending = {all[0].id, all[2].id, all[3].id};
  ASSERT_TRUE(this->notify_->UpdateMessages(sending, StateUpdate("sending")).ok());
  NotifyMessageUpdate sent{"sent", false, std::nullopt, std::nullopt, later};
  ASSERT_TRUE(this->notify_->UpdateMessages(std::vector<int64_t>{all[0].id}, sent).ok());
  NotifyMessageUpdate failed{"failed", true, later, "HTTP 500", std::nullopt};
  ASSERT_TRUE(this->notify_->UpdateMessages(std::vector<int64_t>{all[2].id}, failed).ok());

  Result<int64_t> interrupted = this->notify_->MarkInterruptedMessages("the server stopped");
  ASSERT_TRUE(interrupted.ok()) << interrupted.error().message_en();
  EXPECT_EQ(*interrupted, 1);
  EXPECT_EQ(*this->notify_->MarkInterruptedMessages("again"), 0);

  all = this->Messages();
  EXPECT_EQ(all[0].state, "sent");
  EXPECT_EQ(all[0].attempts, 1);
  EXPECT_EQ(all[0].sent_at, later);
  EXPECT_EQ(all[1].state, "pending");
  EXPECT_EQ(all[2].state, "failed");
  EXPECT_EQ(all[2].attempts, 2);
  EXPECT_EQ(all[2].next_attempt_at, later);
  EXPECT_EQ(all[2].last_error, "HTTP 500");
  EXPECT_EQ(all[3].state, "unknown");
  EXPECT_EQ(all[3].last_error, "the server stopped");
  EXPECT_EQ(all[3].next_attempt_at, kStart);

  EXPECT_EQ(this->Messages({"failed", std::nullopt, 0, 0}).size(), 1u);
  EXPECT_EQ(this->Messages({std::nullopt, mail, 0, 0}).size(), 2u);
  EXPECT_EQ(this->Messages({"pending", mail, 0, 0}).size(), 0u);
  EXPECT_EQ(this->Messages({std::nullopt, std::nullopt, all[1].id, 0}).size(), 2u);
  Result<std::vector<NotifyMessage>> page =
      this->notify_->ListMessages({std::nullopt, std::nullopt, 0, 3});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->size(), 3u);

  std::vector<NotifyStateCount> counts = *this->notify_->CountMessages();
  ASSERT_EQ(counts.size(), 4u);
  EXPECT_EQ(counts[0].channel_id, robot);
  EXPECT_EQ(counts[0].state, "pending");
  EXPECT_EQ(counts[1].state, "sent");
  EXPECT_EQ(counts[2].channel_id, mail);
  EXPECT_EQ(counts[2].state, "failed");
  EXPECT_EQ(counts[3].state, "unknown");
  EXPECT_EQ(counts[3].count, 1);
}

TYPED_TEST_P(StoreNotifyContractTest, ResendOnlyFailedOrUnknownAndAudited) {
  int64_t robot = this->CreateChannelOrFail("机器人");
  ASSERT_TRUE(this->notify_
                  ->Enqueue(std::vector<NotifyMessage>{PendingMessage("m:1", robot, kStart),
                                                       PendingMessage("m:2", robot, kStart),
                                                       PendingMessage("m:3", robot, kStart),
                                                       PendingMessage("m:4", robot, kStart)},
                            "", 0)
                  .ok());
  std::vector<NotifyMessage> all = this->Messages();
  ASSERT_EQ(all.size(), 4u);
  ASSERT_TRUE(
      this->notify_->UpdateMessages(std::vector<int64_t>{all[0].id}, StateUpdate("failed")).ok());
  ASSERT_TRUE(
      this->notify_->UpdateMessages(std::vector<int64_t>{all[1].id}, StateUpdate("unknown")).ok());
  ASSERT_TRUE(this->notify_->UpdateMessages(std::vector<int64_t>{all[2].id}, StateUpdate("sent")).ok());

  Timestamp now = kStart + std::chrono::hours(1);
  ASSERT_TRUE(this->notify_->Resend(all[0].id, now, AuditContext::User(3, "req-9")).ok());
  ASSERT_TRUE(this->notify_->Resend(all[1].id, now, AuditContext::User(3)).ok());
  for (const NotifyMessage& message : {this->Messages()[0], this->Messages()[1]}) {
    EXPECT_EQ(message.state, "pending");
    EXPECT_EQ(message.attempts, 0);
    EXPECT_EQ(message.next_attempt_at, now);
  }

  for (int64_t id : {all[2].id, all[3].id, all[0].id}) {  // sent, pending, pending again
    Status refused = this->notify_->Resend(id, now, AuditContext::User(3));
    ASSERT_FALSE(refused.ok()) << id;
    EXPECT_EQ(refused.error().code(), ErrorCode::kFailedPrecondition);
  }
  Status missing = this->notify_->Resend(9999, now, AuditContext::User(3));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);

  std::vector<AuditEntry> rows;
  for (const AuditEntry& entry : this->AllAudit()) {
    if (entry.entity_kind == "notify_message") rows.push_back(entry);
  }
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].action, "resend");
  EXPECT_EQ(rows[0].entity_id, std::to_string(all[0].id));
  EXPECT_EQ(rows[0].before_json, R"({"state":"failed"})");
  EXPECT_EQ(rows[0].after_json, R"({"state":"pending"})");
  EXPECT_EQ(rows[0].request_id, "req-9");
  EXPECT_EQ(rows[1].before_json, R"({"state":"unknown"})");
}

TYPED_TEST_P(StoreNotifyContractTest, OutboxReadInOrderFromAPosition) {
  rules::StateBatch batch;
  for (int i = 1; i <= 3; ++i) {
    rules::AlertChange change;
    change.alert_id = "alert-" + std::to_string(i);
    change.key = {"sales", "no-call", 1, {"lead", "L-" + std::to_string(i)}, "e"};
    batch.outbox.push_back(change);
  }
  Result<std::unique_ptr<rules::EngineStateStore>> state = this->store_->OpenEngineState();
  ASSERT_TRUE(state.ok()) << state.error().message_en();
  ASSERT_TRUE((*state)->Apply(batch).ok());

  std::vector<OutboxRow> rows = *this->notify_->ReadOutbox({});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].alert_id, "alert-1");
  EXPECT_EQ(rows[2].alert_id, "alert-3");
  EXPECT_LT(rows[0].seq, rows[1].seq);
  EXPECT_NE(rows[0].body.find("alert-1"), std::string::npos);

  std::vector<OutboxRow> after = *this->notify_->ReadOutbox({rows[0].seq, std::nullopt, 1});
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].alert_id, "alert-2");
  EXPECT_EQ(this->notify_->ReadOutbox({0, rows[0].created_at, 10})->size(), 3u);
  Timestamp after_last = rows[2].created_at + std::chrono::microseconds(1);
  EXPECT_TRUE(this->notify_->ReadOutbox({0, after_last, 10})->empty());
}

TYPED_TEST_P(StoreNotifyContractTest, SettingsStoredRemovedAndAudited) {
  Result<NotifySettingsStore*> settings = NotifySettingsOf(*this->notify_);
  ASSERT_TRUE(settings.ok()) << settings.error().message_en();

  Status put = (*settings)->PutNotifySettings({{"digest_weekday", "5"}, {"digest_hour", "17"}},
                                              AuditContext::User(7, "req-2"));
  ASSERT_TRUE(put.ok()) << put.error().message_en();
  Result<std::map<std::string, std::string>> stored = (*settings)->NotifySettings();
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(*stored, (std::map<std::string, std::string>{{"digest_hour", "17"}, {"digest_weekday", "5"}}));

  Status removed = (*settings)->PutNotifySettings({{"digest_hour", std::nullopt}, {"digest_weekday", "6"}},
                                                  AuditContext::User(7, "req-3"));
  ASSERT_TRUE(removed.ok()) << removed.error().message_en();
  EXPECT_EQ(*(*settings)->NotifySettings(), (std::map<std::string, std::string>{{"digest_weekday", "6"}}));

  std::vector<AuditEntry> audit = this->AllAudit();
  ASSERT_EQ(audit.size(), 2u);
  EXPECT_EQ(audit[1].entity_kind, "notify_settings");
  EXPECT_EQ(audit[1].action, "update");
  EXPECT_EQ(audit[1].before_json, R"({"digest_hour":"17","digest_weekday":"5"})");
  EXPECT_EQ(audit[1].after_json, R"({"digest_weekday":"6"})");
}

REGISTER_TYPED_TEST_SUITE_P(StoreNotifyContractTest, ChannelsCreateUpdateDeleteAudited,
                            SettingsStoredRemovedAndAudited,
                            AddressesReplacedPerOwnerAndAudited,
                            EnqueueSkipsDuplicatesAndStoresTheCursor,
                            DueUpdateInterruptListAndCount, ResendOnlyFailedOrUnknownAndAudited,
                            OutboxReadInOrderFromAPosition);

}  // namespace salesradar::store::testing
