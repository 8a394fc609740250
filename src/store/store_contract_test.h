// The contract every Store backend must meet, as a typed test suite. A backend's test file
// defines a factory and instantiates the suite:
//
//   struct MyBackend {
//     static constexpr const char* kName = "my";
//     // Returns the URL of a fresh, empty database; `scratch` is an empty directory that the
//     // fixture deletes after the test.
//     static std::string CreateDatabase(const std::filesystem::path& scratch);
//   };
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, StoreContractTest, MyBackend);
//
// The tests use only the Store interface, so a PostgreSQL backend can join unchanged.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include <gtest/gtest.h>

#include "store/store.h"

namespace salesradar::store::testing {

using model::CivilDate;
using model::EntityKind;
using model::Money;
using model::Null;
using model::Record;
using model::Reference;
using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

// 2024-01-01T00:00:00Z.
inline const Timestamp kStart = FromUnixMicros(1'704'067'200'000'000);

inline Record UserRecord(std::string external_id, std::string name, std::string role = "rep") {
  Record record{EntityKind::kUser, std::move(external_id), {}, {}};
  record.fields["name"] = std::move(name);
  record.fields["role"] = std::move(role);
  return record;
}

inline Record AccountRecord(std::string external_id, std::string name) {
  Record record{EntityKind::kAccount, std::move(external_id), {}, {}};
  record.fields["name"] = std::move(name);
  return record;
}

inline Record OpportunityRecord(std::string external_id, std::string stage, int64_t fen = 100) {
  Record record{EntityKind::kOpportunity, std::move(external_id), {}, {}};
  record.fields["stage"] = std::move(stage);
  record.fields["amount"] = Money{fen, "CNY"};
  return record;
}

template <typename Backend>
class StoreContractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static int counter = 0;
    scratch_ = std::filesystem::temp_directory_path() /
               ("salesradar-store-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    url_ = Backend::CreateDatabase(scratch_);
    ASSERT_NO_FATAL_FAILURE(Reopen());
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(scratch_, ignored);
  }

  // Closes the Store and opens the same database again.
  void Reopen() {
    store_.reset();
    store_ = OpenOrFail();
  }

  std::unique_ptr<Store> OpenOrFail(int busy_timeout_ms = 5000) {
    OpenOptions options;
    options.clock = &clock_;
    options.busy_timeout_ms = busy_timeout_ms;
    Result<std::unique_ptr<Store>> opened = Open(url_, options);
    EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message_en());
    return opened.ok() ? std::move(opened).value() : nullptr;
  }

  // Upserts `records` and returns the results, failing the test on a database error.
  std::vector<UpsertResult> UpsertOrFail(std::vector<Record> records) {
    Result<std::vector<UpsertResult>> results = store_->Upsert(records);
    EXPECT_TRUE(results.ok()) << (results.ok() ? "" : results.error().message_en());
    return results.ok() ? std::move(results).value() : std::vector<UpsertResult>();
  }

  UpsertResult UpsertOneOrFail(Record record) {
    std::vector<UpsertResult> results = UpsertOrFail({std::move(record)});
    EXPECT_EQ(results.size(), 1u);
    return results.empty() ? UpsertResult{} : results.front();
  }

  std::vector<model::Opportunity> AllOpportunities(const OpportunityFilter& filter = {}) {
    std::vector<model::Opportunity> rows;
    Result<std::unique_ptr<Cursor<model::Opportunity>>> cursor =
        store_->OpenOpportunityCursor(filter);
    EXPECT_TRUE(cursor.ok());
    if (!cursor.ok()) {
      return rows;
    }
    model::Opportunity row;
    while (true) {
      Result<bool> more = (*cursor)->Next(&row);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) {
        return rows;
      }
      rows.push_back(row);
    }
  }

  std::vector<model::StageChange> History(std::optional<int64_t> opportunity_id = std::nullopt) {
    std::vector<model::StageChange> rows;
    auto cursor = store_->OpenStageHistoryCursor(opportunity_id);
    EXPECT_TRUE(cursor.ok());
    if (!cursor.ok()) {
      return rows;
    }
    model::StageChange row;
    while (true) {
      Result<bool> more = (*cursor)->Next(&row);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) {
        return rows;
      }
      rows.push_back(row);
    }
  }

  int64_t CountOf(EntityKind kind) {
    Result<int64_t> count = store_->Count(kind);
    EXPECT_TRUE(count.ok());
    return count.ok() ? *count : -1;
  }

  void DefineOrFail(const model::CustomFieldDefinition& definition) {
    Status status = store_->PutCustomFieldDefinition(definition);
    ASSERT_TRUE(status.ok()) << status.error().message_en();
  }

  std::filesystem::path scratch_;
  std::string url_;
  ManualClock clock_{kStart};
  std::unique_ptr<Store> store_;
};

TYPED_TEST_SUITE_P(StoreContractTest);

// ---- Schema and opening ----

TYPED_TEST_P(StoreContractTest, OpenMigratesToLatest) {
  Result<int> version = this->store_->SchemaVersion();
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, LatestSchemaVersion());
  EXPECT_GE(LatestSchemaVersion(), 1);
  for (EntityKind kind : model::AllEntityKinds()) {
    EXPECT_EQ(this->CountOf(kind), 0) << model::EntityKindName(kind);
  }
}

TYPED_TEST_P(StoreContractTest, ReopenKeepsDataAndVersion) {
  UpsertResult inserted = this->UpsertOneOrFail(AccountRecord("A1", "Acme Corporation"));
  ASSERT_EQ(inserted.outcome, UpsertOutcome::kInserted);

  this->Reopen();
  ASSERT_NE(this->store_, nullptr);
  EXPECT_EQ(*this->store_->SchemaVersion(), LatestSchemaVersion());
  Result<std::optional<int64_t>> id = this->store_->FindIdByExternalId(EntityKind::kAccount, "A1");
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, std::optional<int64_t>(inserted.id));
}

// ---- Upsert outcomes ----

TYPED_TEST_P(StoreContractTest, UpsertInsertsThenUnchanged) {
  UpsertResult first = this->UpsertOneOrFail(OpportunityRecord("O1", "prospecting", 500));
  EXPECT_EQ(first.outcome, UpsertOutcome::kInserted);
  EXPECT_GT(first.id, 0);
  EXPECT_FALSE(first.error.has_value());

  this->clock_.Advance(std::chrono::hours(1));
  UpsertResult second = this->UpsertOneOrFail(OpportunityRecord("O1", "prospecting", 500));
  EXPECT_EQ(second.outcome, UpsertOutcome::kUnchanged);
  EXPECT_EQ(second.id, first.id);

  std::vector<model::Opportunity> rows = this->AllOpportunities();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].updated_at, kStart);  // an unchanged upsert does not touch updated_at
  EXPECT_EQ(rows[0].created_at, kStart);
}

TYPED_TEST_P(StoreContractTest, UpsertUpdatesChangedRow) {
  UpsertResult first = this->UpsertOneOrFail(OpportunityRecord("O1", "prospecting", 500));
  this->clock_.Advance(std::chrono::hours(1));

  UpsertResult second = this->UpsertOneOrFail(OpportunityRecord("O1", "prospecting", 700));
  EXPECT_EQ(second.outcome, UpsertOutcome::kUpdated);
  EXPECT_EQ(second.id, first.id);

  std::vector<model::Opportunity> rows = this->AllOpportunities();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].amount, (Money{700, "CNY"}));
  EXPECT_EQ(rows[0].created_at, kStart);
  EXPECT_EQ(rows[0].updated_at, kStart + std::chrono::hours(1));
}

TYPED_TEST_P(StoreContractTest, UpsertMergesAbsentFields) {
  Record full = OpportunityRecord("O1", "engaging", 500);
  full.fields["name"] = std::string("Server upgrade");
  full.fields["engage_date"] = CivilDate{year(2017), month(1), day(5)};
  this->UpsertOneOrFail(full);

  Record partial{EntityKind::kOpportunity, "O1", {}, {}};
  partial.fields["close_date"] = CivilDate{year(2017), month(2), day(1)};
  EXPECT_EQ(this->UpsertOneOrFail(partial).outcome, UpsertOutcome::kUpdated);

  std::vector<model::Opportunity> rows = this->AllOpportunities();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].name, "Server upgrade");
  EXPECT_EQ(rows[0].stage, "engaging");
  EXPECT_EQ(rows[0].engage_date, (CivilDate{year(2017), month(1), day(5)}));
  EXPECT_EQ(rows[0].close_date, (CivilDate{year(2017), month(2), day(1)}));
}

TYPED_TEST_P(StoreContractTest, UpsertNullClearsField) {
  this->UpsertOneOrFail(OpportunityRecord("O1", "engaging", 500));
  Record cleared{EntityKind::kOpportunity, "O1", {}, {}};
  cleared.fields["amount"] = Null{};
  EXPECT_EQ(this->UpsertOneOrFail(cleared).outcome, UpsertOutcome::kUpdated);
  EXPECT_EQ(this->UpsertOneOrFail(cleared).outcome, UpsertOutcome::kUnchanged);

  std::vector<model::Opportunity> rows = this->AllOpportunities();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].amount.has_value());
}

TYPED_TEST_P(StoreContractTest, UpsertRejectsInvalidAndKeepsOthers) {
  Record bad = OpportunityRecord("O2", "closed");
  std::vector<UpsertResult> results = this->UpsertOrFail(
      {OpportunityRecord("O1", "won"), bad, OpportunityRecord("O3", "lost")});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].outcome, UpsertOutcome::kInserted);
  EXPECT_EQ(results[1].outcome, UpsertOutcome::kRejected);
  EXPECT_EQ(results[1].id, 0);
  ASSERT_TRUE(results[1].error.has_value());
  EXPECT_EQ(results[1].error->code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(results[1].error->message_en().find("'closed'"), std::string::npos);
  EXPECT_NE(results[1].error->message_en().find("O2"), std::string::npos);
  EXPECT_EQ(results[2].outcome, UpsertOutcome::kInserted);
  EXPECT_EQ(this->CountOf(EntityKind::kOpportunity), 2);
}

TYPED_TEST_P(StoreContractTest, UpsertRejectsMissingRequiredOnInsert) {
  Record no_stage{EntityKind::kOpportunity, "O1", {}, {}};
  no_stage.fields["amount"] = Money{100, "CNY"};
  UpsertResult result = this->UpsertOneOrFail(no_stage);
  EXPECT_EQ(result.outcome, UpsertOutcome::kRejected);
  EXPECT_EQ(this->CountOf(EntityKind::kOpportunity), 0);
}

// ---- References ----

TYPED_TEST_P(StoreContractTest, ReferenceResolvesByExternalIdInSameBatch) {
  Record manager = UserRecord("U-M", "Dustin Brinkmann", "manager");
  Record rep = UserRecord("U-R", "Anna Snelling");
  rep.fields["manager"] = Reference{0, "U-M"};
  Record deal = OpportunityRecord("O1", "won");
  deal.fields["owner"] = Reference{0, "U-R"};

  std::vector<UpsertResult> results = this->UpsertOrFail({manager, rep, deal});
  ASSERT_EQ(results.size(), 3u);
  for (const UpsertResult& result : results) {
    EXPECT_EQ(result.outcome, UpsertOutcome::kInserted)
        << (result.error ? result.error->message_en() : "");
  }

  Result<std::vector<model::User>> users = this->store_->ListUsers();
  ASSERT_TRUE(users.ok());
  ASSERT_EQ(users->size(), 2u);
  EXPECT_EQ((*users)[1].manager_id, std::optional<int64_t>(results[0].id));
  EXPECT_EQ((*users)[1].role, "rep");
  std::vector<model::Opportunity> deals = this->AllOpportunities();
  ASSERT_EQ(deals.size(), 1u);
  EXPECT_EQ(deals[0].owner_id, std::optional<int64_t>(results[1].id));

  // Re-upserting the same references by external id changes nothing.
  std::vector<UpsertResult> again = this->UpsertOrFail({manager, rep, deal});
  for (const UpsertResult& result : again) {
    EXPECT_EQ(result.outcome, UpsertOutcome::kUnchanged);
  }
}

TYPED_TEST_P(StoreContractTest, UnresolvedReferenceRejectsRecord) {
  Record deal = OpportunityRecord("O1", "won");
  deal.fields["account"] = Reference{0, "Nowhere Inc"};
  UpsertResult result = this->UpsertOneOrFail(deal);
  ASSERT_EQ(result.outcome, UpsertOutcome::kRejected);
  EXPECT_NE(result.error->message_en().find("'Nowhere Inc'"), std::string::npos)
      << result.error->message_en();
  EXPECT_NE(result.error->message_en().find("'account'"), std::string::npos);

  Record by_id = OpportunityRecord("O2", "won");
  by_id.fields["product"] = Reference{987654, ""};
  UpsertResult missing_id = this->UpsertOneOrFail(by_id);
  ASSERT_EQ(missing_id.outcome, UpsertOutcome::kRejected);
  EXPECT_NE(missing_id.error->message_en().find("987654"), std::string::npos);
  EXPECT_EQ(this->CountOf(EntityKind::kOpportunity), 0);
}

// ---- Stage history ----

TYPED_TEST_P(StoreContractTest, StageHistoryFollowsStageChanges) {
  UpsertResult inserted = this->UpsertOneOrFail(OpportunityRecord("O1", "prospecting"));
  this->clock_.Advance(std::chrono::hours(24));
  this->UpsertOneOrFail(OpportunityRecord("O1", "engaging"));
  this->clock_.Advance(std::chrono::hours(24));
  this->UpsertOneOrFail(OpportunityRecord("O1", "engaging"));   // unchanged: no history row
  this->UpsertOneOrFail(OpportunityRecord("O1", "engaging", 900));  // amount only: no history row
  this->clock_.Advance(std::chrono::hours(24));
  this->UpsertOneOrFail(OpportunityRecord("O1", "won", 900));
  this->UpsertOneOrFail(OpportunityRecord("O2", "lost"));

  std::vector<model::StageChange> history = this->History(inserted.id);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].from_stage, "");
  EXPECT_EQ(history[0].to_stage, "prospecting");
  EXPECT_EQ(history[0].changed_at, kStart);
  EXPECT_EQ(history[1].from_stage, "prospecting");
  EXPECT_EQ(history[1].to_stage, "engaging");
  EXPECT_EQ(history[1].changed_at, kStart + std::chrono::hours(24));
  EXPECT_EQ(history[2].from_stage, "engaging");
  EXPECT_EQ(history[2].to_stage, "won");
  EXPECT_EQ(history[2].changed_at, kStart + std::chrono::hours(72));
  for (const model::StageChange& change : history) {
    EXPECT_EQ(change.opportunity_id, inserted.id);
  }
  EXPECT_EQ(this->History().size(), 4u);
}

// ---- Custom fields ----

inline model::CustomFieldDefinition TierField() {
  model::CustomFieldDefinition definition;
  definition.entity = EntityKind::kAccount;
  definition.name = "tier";
  definition.type = model::FieldType::kEnum;
  definition.allowed_values = {"gold", "silver"};
  definition.label = {"客户等级", "Tier"};
  return definition;
}

TYPED_TEST_P(StoreContractTest, CustomFieldValuesValidatedOnWrite) {
  ASSERT_NO_FATAL_FAILURE(this->DefineOrFail(TierField()));

  Record gold = AccountRecord("A1", "Acme");
  gold.custom_fields["tier"] = std::string("gold");
  Record platinum = AccountRecord("A2", "Betasoloin");
  platinum.custom_fields["tier"] = std::string("Platinum");
  Record unknown = AccountRecord("A3", "Cancity");
  unknown.custom_fields["segment"] = std::string("smb");

  std::vector<UpsertResult> results = this->UpsertOrFail({gold, platinum, unknown});
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0].outcome, UpsertOutcome::kInserted);
  ASSERT_EQ(results[1].outcome, UpsertOutcome::kRejected);
  EXPECT_NE(results[1].error->message_en().find("'Platinum' is not allowed"), std::string::npos)
      << results[1].error->message_en();
  EXPECT_NE(results[1].error->message_en().find("A2"), std::string::npos);
  ASSERT_EQ(results[2].outcome, UpsertOutcome::kRejected);
  EXPECT_NE(results[2].error->message_en().find("'segment'"), std::string::npos);
  EXPECT_EQ(this->CountOf(EntityKind::kAccount), 1);
}

TYPED_TEST_P(StoreContractTest, CustomFieldUpsertOutcomes) {
  ASSERT_NO_FATAL_FAILURE(this->DefineOrFail(TierField()));
  Record account = AccountRecord("A1", "Acme");
  account.custom_fields["tier"] = std::string("gold");
  this->UpsertOneOrFail(account);

  EXPECT_EQ(this->UpsertOneOrFail(account).outcome, UpsertOutcome::kUnchanged);
  account.custom_fields["tier"] = std::string("silver");
  EXPECT_EQ(this->UpsertOneOrFail(account).outcome, UpsertOutcome::kUpdated);

  Result<std::optional<Record>> stored = this->store_->GetRecord(EntityKind::kAccount, "A1");
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  EXPECT_EQ((*stored)->custom_fields.at("tier"), model::Value(std::string("silver")));

  account.custom_fields["tier"] = Null{};
  EXPECT_EQ(this->UpsertOneOrFail(account).outcome, UpsertOutcome::kUpdated);
  stored = this->store_->GetRecord(EntityKind::kAccount, "A1");
  EXPECT_FALSE((*stored)->custom_fields.contains("tier"));
}

TYPED_TEST_P(StoreContractTest, RequiredCustomFieldOnInsert) {
  model::CustomFieldDefinition definition = TierField();
  definition.required = true;
  ASSERT_NO_FATAL_FAILURE(this->DefineOrFail(definition));

  UpsertResult missing = this->UpsertOneOrFail(AccountRecord("A1", "Acme"));
  ASSERT_EQ(missing.outcome, UpsertOutcome::kRejected);
  EXPECT_NE(missing.error->message_en().find("required custom field 'tier'"), std::string::npos)
      << missing.error->message_en();
}

TYPED_TEST_P(StoreContractTest, CustomFieldEveryTypeRoundTrips) {
  ASSERT_NO_FATAL_FAILURE(this->UpsertOneOrFail(UserRecord("U1", "Anna Snelling")));
  struct Case {
    std::string name;
    model::FieldType type;
    model::Value value;
  };
  std::vector<Case> cases = {
      {"note", model::FieldType::kString, std::string("大客户，需要现场演示")},
      {"tier", model::FieldType::kEnum, std::string("gold")},
      {"seats", model::FieldType::kInt, int64_t{-42}},
      {"budget", model::FieldType::kMoney, Money{123456789, "USD"}},
      {"renewal_on", model::FieldType::kDate, CivilDate{year(2025), month(6), day(30)}},
      {"last_audit", model::FieldType::kTimestamp, FromUnixMicros(1'700'000'000'123'456)},
      {"strategic", model::FieldType::kBool, false},
      {"champion", model::FieldType::kReference, Reference{0, "U1"}},
  };

  Record account = AccountRecord("A1", "Acme");
  for (const Case& c : cases) {
    model::CustomFieldDefinition definition;
    definition.entity = EntityKind::kAccount;
    definition.name = c.name;
    definition.type = c.type;
    definition.label = {c.name, c.name};
    if (c.type == model::FieldType::kEnum) {
      definition.allowed_values = {"gold"};
    }
    if (c.type == model::FieldType::kReference) {
      definition.target = EntityKind::kUser;
    }
    ASSERT_NO_FATAL_FAILURE(this->DefineOrFail(definition));
    account.custom_fields[c.name] = c.value;
  }
  ASSERT_EQ(this->UpsertOneOrFail(account).outcome, UpsertOutcome::kInserted);
  EXPECT_EQ(this->UpsertOneOrFail(account).outcome, UpsertOutcome::kUnchanged);

  this->Reopen();
  Result<std::optional<Record>> stored = this->store_->GetRecord(EntityKind::kAccount, "A1");
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  for (const Case& c : cases) {
    ASSERT_TRUE((*stored)->custom_fields.contains(c.name)) << c.name;
    const model::Value& value = (*stored)->custom_fields.at(c.name);
    if (c.type == model::FieldType::kReference) {
      EXPECT_EQ(std::get<Reference>(value).external_id, "U1");
      EXPECT_GT(std::get<Reference>(value).id, 0);
    } else {
      EXPECT_EQ(value, c.value) << c.name << ": " << model::DescribeValue(value);
    }
  }

  Result<std::vector<model::CustomFieldDefinition>> definitions =
      this->store_->CustomFieldDefinitions(EntityKind::kAccount);
  ASSERT_TRUE(definitions.ok());
  ASSERT_EQ(definitions->size(), cases.size());
  EXPECT_EQ((*definitions)[0].name, "budget");  // ordered by name
}

TYPED_TEST_P(StoreContractTest, CustomFieldDefinitionChanges) {
  ASSERT_NO_FATAL_FAILURE(this->DefineOrFail(TierField()));
  Record account = AccountRecord("A1", "Acme");
  account.custom_fields["tier"] = std::string("gold");
  this->UpsertOneOrFail(account);

  model::CustomFieldDefinition widened = TierField();
  widened.allowed_values = {"gold", "silver", "bronze"};
  widened.label.en = "Account tier";
  EXPECT_TRUE(this->store_->PutCustomFieldDefinition(widened).ok());

  model::CustomFieldDefinition drops_gold = TierField();
  drops_gold.allowed_values = {"silver"};
  Status dropped = this->store_->PutCustomFieldDefinition(drops_gold);
  ASSERT_FALSE(dropped.ok());
  EXPECT_EQ(dropped.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(dropped.error().message_en().find("'gold'"), std::string::npos);

  model::CustomFieldDefinition retyped = TierField();
  retyped.type = model::FieldType::kString;
  retyped.allowed_values.clear();
  Status retype = this->store_->PutCustomFieldDefinition(retyped);
  ASSERT_FALSE(retype.ok());
  EXPECT_EQ(retype.error().code(), ErrorCode::kFailedPrecondition);

  model::CustomFieldDefinition invalid = TierField();
  invalid.name = "Tier Level";
  EXPECT_EQ(this->store_->PutCustomFieldDefinition(invalid).error().code(),
            ErrorCode::kInvalidArgument);

  auto definitions = this->store_->CustomFieldDefinitions(EntityKind::kAccount);
  ASSERT_TRUE(definitions.ok());
  ASSERT_EQ(definitions->size(), 1u);
  EXPECT_EQ((*definitions)[0], widened);
}

// ---- Cursors ----

TYPED_TEST_P(StoreContractTest, CursorStreamsTenThousandRows) {
  constexpr int kRows = 10'000;
  UpsertResult owner = this->UpsertOneOrFail(UserRecord("U1", "Anna Snelling"));
  std::vector<Record> batch;
  for (int i = 0; i < kRows; ++i) {
    Record record = OpportunityRecord("O" + std::to_string(i), i % 4 == 0 ? "won" : "engaging", i);
    record.fields["engage_date"] = CivilDate{year(2017), month(1 + i % 12), day(1)};
    if (i % 2 == 0) {
      record.fields["owner"] = Reference{owner.id, ""};
    }
    batch.push_back(std::move(record));
  }
  std::vector<UpsertResult> results = this->UpsertOrFail(batch);
  ASSERT_EQ(results.size(), static_cast<size_t>(kRows));

  std::vector<model::Opportunity> all = this->AllOpportunities();
  ASSERT_EQ(all.size(), static_cast<size_t>(kRows));
  for (size_t i = 1; i < all.size(); ++i) {
    ASSERT_LT(all[i - 1].id, all[i].id);
  }
  EXPECT_EQ(all[17].external_id, "O17");
  EXPECT_EQ(all[17].amount, (Money{17, "CNY"}));

  OpportunityFilter won;
  won.stages = {"won"};
  EXPECT_EQ(this->AllOpportunities(won).size(), static_cast<size_t>(kRows / 4));

  OpportunityFilter owned;
  owned.owner_id = owner.id;
  owned.stages = {"won", "engaging"};
  EXPECT_EQ(this->AllOpportunities(owned).size(), static_cast<size_t>(kRows / 2));

  OpportunityFilter early;
  early.engaged_on_or_before = CivilDate{year(2017), month(2), day(1)};
  EXPECT_EQ(this->AllOpportunities(early).size(), static_cast<size_t>(kRows / 12 * 2 + 2));
}

TYPED_TEST_P(StoreContractTest, CursorEndIsSticky) {
  this->UpsertOneOrFail(OpportunityRecord("O1", "won"));
  auto cursor = this->store_->OpenOpportunityCursor({});
  ASSERT_TRUE(cursor.ok());
  model::Opportunity row;
  EXPECT_TRUE(*(*cursor)->Next(&row));
  EXPECT_FALSE(*(*cursor)->Next(&row));
  EXPECT_FALSE(*(*cursor)->Next(&row));
}

// ---- Transactions ----

TYPED_TEST_P(StoreContractTest, RollbackLeavesNothing) {
  ASSERT_TRUE(this->store_->Begin().ok());
  EXPECT_TRUE(this->store_->InTransaction());
  this->UpsertOrFail({UserRecord("U1", "Anna Snelling"), OpportunityRecord("O1", "won")});
  ASSERT_NO_FATAL_FAILURE(this->DefineOrFail(TierField()));
  ASSERT_TRUE(this->store_->Rollback().ok());
  EXPECT_FALSE(this->store_->InTransaction());

  EXPECT_EQ(this->CountOf(EntityKind::kUser), 0);
  EXPECT_EQ(this->CountOf(EntityKind::kOpportunity), 0);
  EXPECT_TRUE(this->History().empty());
  EXPECT_TRUE(this->store_->CustomFieldDefinitions(EntityKind::kAccount)->empty());

  // Nothing cached from the rolled-back transaction resolves a reference afterwards.
  Record deal = OpportunityRecord("O2", "won");
  deal.fields["owner"] = Reference{0, "U1"};
  EXPECT_EQ(this->UpsertOneOrFail(deal).outcome, UpsertOutcome::kRejected);
}

TYPED_TEST_P(StoreContractTest, CommitKeepsBatches) {
  ASSERT_TRUE(this->store_->Begin().ok());
  this->UpsertOrFail({OpportunityRecord("O1", "won")});
  this->UpsertOrFail({OpportunityRecord("O2", "won")});
  ASSERT_TRUE(this->store_->Commit().ok());
  this->Reopen();
  EXPECT_EQ(this->CountOf(EntityKind::kOpportunity), 2);
}

TYPED_TEST_P(StoreContractTest, TransactionMisuseFails) {
  EXPECT_EQ(this->store_->Commit().error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_EQ(this->store_->Rollback().error().code(), ErrorCode::kFailedPrecondition);
  ASSERT_TRUE(this->store_->Begin().ok());
  EXPECT_EQ(this->store_->Begin().error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(this->store_->Rollback().ok());
}

TYPED_TEST_P(StoreContractTest, TransactionGuardRollsBackOnScopeExit) {
  {
    Transaction tx(*this->store_);
    ASSERT_TRUE(tx.Begin().ok());
    this->UpsertOrFail({OpportunityRecord("O1", "won")});
  }
  EXPECT_FALSE(this->store_->InTransaction());
  EXPECT_EQ(this->CountOf(EntityKind::kOpportunity), 0);

  {
    Transaction tx(*this->store_);
    ASSERT_TRUE(tx.Begin().ok());
    this->UpsertOrFail({OpportunityRecord("O1", "won")});
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(this->CountOf(EntityKind::kOpportunity), 1);
}

// A second Store on the same database reads only committed writes.
TYPED_TEST_P(StoreContractTest, OtherStoreSeesOnlyCommitted) {
  this->UpsertOneOrFail(OpportunityRecord("O1", "won"));
  std::unique_ptr<Store> other = this->OpenOrFail();
  ASSERT_NE(other, nullptr);

  ASSERT_TRUE(this->store_->Begin().ok());
  this->UpsertOrFail({OpportunityRecord("O2", "won")});
  Result<int64_t> during = other->Count(EntityKind::kOpportunity);
  ASSERT_TRUE(during.ok()) << during.error().message_en();
  EXPECT_EQ(*during, 1);
  EXPECT_FALSE(other->FindIdByExternalId(EntityKind::kOpportunity, "O2")->has_value());

  ASSERT_TRUE(this->store_->Commit().ok());
  EXPECT_EQ(*other->Count(EntityKind::kOpportunity), 2);
}

// A field that another Store defines is known here at the next write, without reopening.
TYPED_TEST_P(StoreContractTest, CustomFieldFromOtherStoreIsKnown) {
  this->UpsertOneOrFail(AccountRecord("A1", "Acme"));
  std::unique_ptr<Store> other = this->OpenOrFail();
  ASSERT_NE(other, nullptr);

  Status defined = other->PutCustomFieldDefinition(TierField());
  ASSERT_TRUE(defined.ok()) << defined.error().message_en();

  Record account = AccountRecord("A2", "Betasoloin");
  account.custom_fields["tier"] = std::string("gold");
  EXPECT_EQ(this->UpsertOneOrFail(account).outcome, UpsertOutcome::kInserted);

  Result<std::vector<model::CustomFieldDefinition>> seen =
      this->store_->CustomFieldDefinitions(EntityKind::kAccount);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->size(), 1u);
}

// ---- Lookups ----

TYPED_TEST_P(StoreContractTest, LookupsByExternalIdAndName) {
  std::vector<UpsertResult> results = this->UpsertOrFail({
      AccountRecord("A1", "Acme Corporation"),
      AccountRecord("A2", "ACME  corporation "),
      AccountRecord("A3", "Ｂｅｔａｓｏｌｏｉｎ"),
      AccountRecord("A4", "华东 分公司"),
  });
  ASSERT_EQ(results.size(), 4u);

  auto by_external = this->store_->FindIdByExternalId(EntityKind::kAccount, "A3");
  ASSERT_TRUE(by_external.ok());
  EXPECT_EQ(*by_external, std::optional<int64_t>(results[2].id));
  EXPECT_FALSE(this->store_->FindIdByExternalId(EntityKind::kAccount, "A9")->has_value());
  EXPECT_FALSE(this->store_->FindIdByExternalId(EntityKind::kUser, "A1")->has_value());

  using Ids = std::vector<int64_t>;
  auto exact = this->store_->FindIdsByName(EntityKind::kAccount, "Acme Corporation",
                                           NameMatch::kExact);
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(*exact, (Ids{results[0].id}));

  auto normalized = this->store_->FindIdsByName(EntityKind::kAccount, "acme corporation",
                                                NameMatch::kNormalized);
  EXPECT_EQ(*normalized, (Ids{results[0].id, results[1].id}));
  EXPECT_EQ(*this->store_->FindIdsByName(EntityKind::kAccount, "betasoloin", NameMatch::kNormalized),
            (Ids{results[2].id}));
  EXPECT_TRUE(
      this->store_->FindIdsByName(EntityKind::kAccount, "betasoloin", NameMatch::kExact)->empty());
  EXPECT_EQ(*this->store_->FindIdsByName(EntityKind::kAccount, "华东　分公司", NameMatch::kNormalized),
            (Ids{results[3].id}));

  auto activity = this->store_->FindIdsByName(EntityKind::kActivity, "x", NameMatch::kExact);
  ASSERT_FALSE(activity.ok());
  EXPECT_EQ(activity.error().code(), ErrorCode::kInvalidArgument);
}

TYPED_TEST_P(StoreContractTest, RenameUpdatesNormalizedLookup) {
  this->UpsertOneOrFail(AccountRecord("A1", "Acme"));
  this->UpsertOneOrFail(AccountRecord("A1", "Zenith"));
  EXPECT_TRUE(this->store_->FindIdsByName(EntityKind::kAccount, "acme", NameMatch::kNormalized)
                  ->empty());
  EXPECT_EQ(this->store_->FindIdsByName(EntityKind::kAccount, "ZENITH", NameMatch::kNormalized)
                ->size(),
            1u);
}

// ---- Typed reads and GetRecord ----

TYPED_TEST_P(StoreContractTest, TypedListsMapEveryField) {
  Record region{EntityKind::kOrgUnit, "R-C", {}, {}};
  region.fields["name"] = std::string("Central");
  region.fields["type"] = std::string("region");
  Record manager = UserRecord("U-M", "Dustin Brinkmann", "manager");
  manager.fields["org_unit"] = Reference{0, "R-C"};
  manager.fields["email"] = std::string("dustin@example.com");
  Record product{EntityKind::kProduct, "GTX Pro", {}, {}};
  product.fields["name"] = std::string("GTX Pro");
  product.fields["series"] = std::string("GTX");
  product.fields["list_price"] = Money{482100, "USD"};
  Record parent = AccountRecord("A-P", "Acme Holding");
  Record account = AccountRecord("A1", "Acme Corporation");
  account.fields["industry"] = std::string("technolgy");
  account.fields["employees"] = int64_t{2822};
  account.fields["revenue"] = Money{110004000000, "USD"};
  account.fields["region"] = std::string("United States");
  account.fields["parent"] = Reference{0, "A-P"};
  account.fields["year_established"] = int64_t{1996};

  std::vector<UpsertResult> results =
      this->UpsertOrFail({region, manager, product, parent, account});
  for (const UpsertResult& result : results) {
    ASSERT_EQ(result.outcome, UpsertOutcome::kInserted)
        << (result.error ? result.error->message_en() : "");
  }

  auto units = this->store_->ListOrgUnits();
  ASSERT_TRUE(units.ok());
  ASSERT_EQ(units->size(), 1u);
  EXPECT_EQ((*units)[0].name, "Central");
  EXPECT_EQ((*units)[0].type, "region");
  EXPECT_FALSE((*units)[0].parent_id.has_value());

  auto users = this->store_->ListUsers();
  ASSERT_EQ(users->size(), 1u);
  EXPECT_EQ((*users)[0].org_unit_id, std::optional<int64_t>(results[0].id));
  EXPECT_EQ((*users)[0].email, "dustin@example.com");
  EXPECT_EQ((*users)[0].role, "manager");

  auto products = this->store_->ListProducts();
  ASSERT_EQ(products->size(), 1u);
  EXPECT_EQ((*products)[0].external_id, "GTX Pro");
  EXPECT_EQ((*products)[0].series, "GTX");
  EXPECT_EQ((*products)[0].list_price, (Money{482100, "USD"}));

  auto accounts = this->store_->ListAccounts();
  ASSERT_EQ(accounts->size(), 2u);
  const model::Account& acme = (*accounts)[1];
  EXPECT_EQ(acme.name, "Acme Corporation");
  EXPECT_EQ(acme.industry, "technolgy");
  EXPECT_EQ(acme.employees, std::optional<int64_t>(2822));
  EXPECT_EQ(acme.revenue, (Money{110004000000, "USD"}));
  EXPECT_EQ(acme.region, "United States");
  EXPECT_EQ(acme.parent_id, std::optional<int64_t>(results[3].id));
  EXPECT_EQ(acme.year_established, std::optional<int64_t>(1996));
  EXPECT_FALSE((*accounts)[0].employees.has_value());
}

TYPED_TEST_P(StoreContractTest, GetRecordReturnsStoredFields) {
  this->UpsertOneOrFail(UserRecord("U1", "Moses Frase"));
  Record activity{EntityKind::kActivity, "evt-1", {}, {}};
  activity.fields["type"] = std::string("visit");
  activity.fields["actor"] = Reference{0, "U1"};
  activity.fields["subject_type"] = std::string("opportunity");
  activity.fields["subject_id"] = int64_t{42};
  activity.fields["occurred_at"] = FromUnixMicros(1'500'000'000'000'001);
  activity.fields["subject_text"] = std::string("现场拜访：确认下一步");
  activity.fields["payload"] = std::string(R"({"photos":2})");
  ASSERT_EQ(this->UpsertOneOrFail(activity).outcome, UpsertOutcome::kInserted);
  EXPECT_EQ(this->UpsertOneOrFail(activity).outcome, UpsertOutcome::kUnchanged);

  Result<std::optional<Record>> stored = this->store_->GetRecord(EntityKind::kActivity, "evt-1");
  ASSERT_TRUE(stored.ok());
  ASSERT_TRUE(stored->has_value());
  const Record& record = **stored;
  EXPECT_EQ(record.kind, EntityKind::kActivity);
  EXPECT_EQ(record.fields.at("subject_text"), activity.fields.at("subject_text"));
  EXPECT_EQ(record.fields.at("occurred_at"), activity.fields.at("occurred_at"));
  EXPECT_EQ(record.fields.at("subject_id"), activity.fields.at("subject_id"));
  EXPECT_EQ(std::get<Reference>(record.fields.at("actor")).external_id, "U1");
  EXPECT_EQ(record.fields.size(), model::BuiltInFields(EntityKind::kActivity).size());

  EXPECT_FALSE(this->store_->GetRecord(EntityKind::kActivity, "evt-2")->has_value());
}

REGISTER_TYPED_TEST_SUITE_P(StoreContractTest, OpenMigratesToLatest, ReopenKeepsDataAndVersion,
                            UpsertInsertsThenUnchanged, UpsertUpdatesChangedRow,
                            UpsertMergesAbsentFields, UpsertNullClearsField,
                            UpsertRejectsInvalidAndKeepsOthers,
                            UpsertRejectsMissingRequiredOnInsert,
                            ReferenceResolvesByExternalIdInSameBatch,
                            UnresolvedReferenceRejectsRecord, StageHistoryFollowsStageChanges,
                            CustomFieldValuesValidatedOnWrite, CustomFieldUpsertOutcomes,
                            RequiredCustomFieldOnInsert, CustomFieldEveryTypeRoundTrips,
                            CustomFieldDefinitionChanges, CursorStreamsTenThousandRows,
                            CursorEndIsSticky, RollbackLeavesNothing, CommitKeepsBatches,
                            TransactionMisuseFails, TransactionGuardRollsBackOnScopeExit,
                            OtherStoreSeesOnlyCommitted, CustomFieldFromOtherStoreIsKnown,
                            LookupsByExternalIdAndName,
                            RenameUpdatesNormalizedLookup, TypedListsMapEveryField,
                            GetRecordReturnsStoredFields);

}  // namespace salesradar::store::testing
