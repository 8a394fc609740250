#include "worker_fixture.h"

#include <filesystem>

#include "model/entity.h"

namespace salesradar::notify::testing {

void WorkerTest::SetUp() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sr-notify-XXXXXX").string();
  dir_ = mkdtemp(pattern.data());
  database_ = dir_ + "/salesradar.db";

  FakeOptions fake_options;
  fake_options.clock = &clock_;
  fake_options.dingtalk_secret = "SECding";
  fake_options.feishu_secret = "feishu-secret";
  fakes_ = std::make_unique<FakePlatforms>(fake_options);

  store::OpenOptions options;
  options.clock = &clock_;
  Result<std::unique_ptr<store::Store>> store = store::Open(database_, options);
  ASSERT_TRUE(store.ok()) << store.error().ToLogString();
  store_ = std::move(store).value();
  Result<std::unique_ptr<store::NotifyStore>> notify = store_->OpenNotifyStore();
  ASSERT_TRUE(notify.ok()) << notify.error().ToLogString();
  notify_ = std::move(notify).value();
  Result<SecretBox> box = SecretBox::LoadOrCreate(dir_ + "/secret.key");
  ASSERT_TRUE(box.ok()) << box.error().ToLogString();
  box_ = std::make_unique<SecretBox>(std::move(box).value());
}

void WorkerTest::TearDown() {
  notify_.reset();
  store_.reset();
  fakes_.reset();
  std::filesystem::remove_all(dir_);
}

int64_t WorkerTest::AddChannel(const std::string& kind, const nlohmann::json& config, const nlohmann::json& secrets) {
  store::NotifyChannel channel;
  channel.name = kind + "-" + std::to_string(++channel_count_);
  channel.kind = kind;
  channel.config = config.dump();
  channel.sealed_secrets = secrets.empty() ? "" : box_->Seal(secrets.dump());
  Result<int64_t> id = notify_->CreateChannel(channel, store::AuditContext::System());
  EXPECT_TRUE(id.ok()) << id.error().ToLogString();
  return id.ok() ? *id : 0;
}

void WorkerTest::SetAddresses(const std::string& owner_kind, const std::string& owner,
                              const std::vector<store::NotifyAddress>& addresses) {
  Status replaced = notify_->ReplaceAddresses(owner_kind, owner, addresses, store::AuditContext::System());
  ASSERT_TRUE(replaced.ok()) << replaced.error().ToLogString();
}

void WorkerTest::AddUser(const std::string& external_id, const std::string& name, const std::string& manager,
                         const std::string& email) {
  model::Record record;
  record.kind = model::EntityKind::kUser;
  record.external_id = external_id;
  record.fields["name"] = name;
  record.fields["role"] = std::string(manager.empty() ? "manager" : "rep");
  if (!manager.empty()) record.fields["manager"] = model::Reference{0, manager};
  if (!email.empty()) record.fields["email"] = email;
  std::vector<model::Record> records = {record};
  Result<std::vector<store::UpsertResult>> results = store_->Upsert(records);
  ASSERT_TRUE(results.ok()) << results.error().ToLogString();
  ASSERT_NE(results->at(0).outcome, store::UpsertOutcome::kRejected) << results->at(0).error->ToLogString();
}

int64_t WorkerTest::UserId(const std::string& external_id) {
  Result<std::optional<int64_t>> id = store_->FindIdByExternalId(model::EntityKind::kUser, external_id);
  EXPECT_TRUE(id.ok() && id->has_value());
  return id.ok() && id->has_value() ? **id : 0;
}

rules::AlertChange WorkerTest::DepartmentAlert(int index, const std::string& department) {
  rules::AlertChange change;
  change.key.pack_id = "b2b";
  change.key.rule_id = "quote_compliance";
  change.key.version = 1;
  change.key.subject = {"opportunity", "O-" + std::to_string(index)};
  change.key.occurrence = "ev-" + std::to_string(index);
  change.alert_id = change.key.ToString();
  change.action = rules::AlertAction::kRaised;
  change.level = rules::Level::kRed;
  change.raised_at = clock_.Now();
  change.at = clock_.Now();
  change.actor = "system";
  change.message = {"报价缺少合规声明（商机 O-" + std::to_string(index) + "）",
                    "Quote without compliance statement (opportunity O-" + std::to_string(index) + ")"};
  change.recipients.push_back({rules::Recipient::Role::kDepartment, "", department});
  return change;
}

rules::AlertChange WorkerTest::OwnerAlert(int index, const std::string& owner, rules::AlertAction action) {
  rules::AlertChange change = DepartmentAlert(index, "");
  change.action = action;
  change.recipients = {{rules::Recipient::Role::kOwner, owner, ""}};
  return change;
}

void WorkerTest::WriteOutbox(const std::vector<rules::AlertChange>& changes) {
  Result<std::unique_ptr<rules::EngineStateStore>> state = store_->OpenEngineState();
  ASSERT_TRUE(state.ok()) << state.error().ToLogString();
  rules::StateBatch batch;
  batch.outbox = changes;
  Status applied = (*state)->Apply(batch);
  ASSERT_TRUE(applied.ok()) << applied.error().ToLogString();
}

WorkerOptions WorkerTest::Options() {
  WorkerOptions options;
  options.database = database_;
  options.clock = &clock_;
  options.secret_key_path = dir_ + "/secret.key";
  options.public_base_url = "https://radar.example.com";
  options.metrics = &metrics_;
  return options;
}

std::unique_ptr<Worker> WorkerTest::OpenWorker(WorkerOptions options) {
  Result<std::unique_ptr<Worker>> worker = Worker::Open(std::move(options));
  EXPECT_TRUE(worker.ok()) << worker.error().ToLogString();
  return worker.ok() ? std::move(worker).value() : nullptr;
}

std::vector<store::NotifyMessage> WorkerTest::Messages(std::optional<std::string> state) {
  if (!notify_) return {};
  store::NotifyMessageFilter filter;
  filter.state = std::move(state);
  filter.limit = 10'000;
  Result<std::vector<store::NotifyMessage>> messages = notify_->ListMessages(filter);
  EXPECT_TRUE(messages.ok());
  return messages.ok() ? *messages : std::vector<store::NotifyMessage>{};
}

}  // namespace salesradar::notify::testing
