// The Store contract for sign-in state, the audit trail and row visibility, as a typed test
// suite next to store_contract_test.h. A backend's test file instantiates both:
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, StoreContractTest, MyBackend);
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, StoreSecurityContractTest, MyBackend);
#pragma once

#include <algorithm>
#include <set>

#include "store/store_contract_test.h"

namespace salesradar::store::testing {

inline Record OrgUnitRecord(std::string external_id, std::string name, std::string type,
                            std::string parent = "") {
  Record record{EntityKind::kOrgUnit, std::move(external_id), {}, {}};
  record.fields["name"] = std::move(name);
  record.fields["type"] = std::move(type);
  if (!parent.empty()) {
    record.fields["parent"] = Reference{0, std::move(parent)};
  }
  return record;
}

inline Record MemberRecord(std::string external_id, std::string role, std::string unit) {
  Record record = UserRecord(external_id, "user " + external_id, std::move(role));
  if (!unit.empty()) {
    record.fields["org_unit"] = Reference{0, std::move(unit)};
  }
  return record;
}

inline Record OwnedOpportunity(std::string external_id, std::string stage, std::string owner,
                               std::string account) {
  Record record = OpportunityRecord(std::move(external_id), std::move(stage));
  record.fields["owner"] = Reference{0, std::move(owner)};
  record.fields["account"] = Reference{0, std::move(account)};
  return record;
}

template <typename Backend>
class StoreSecurityContractTest : public StoreContractTest<Backend> {
 protected:
  int64_t IdOf(EntityKind kind, const std::string& external_id) {
    Result<std::optional<int64_t>> id = this->store_->FindIdByExternalId(kind, external_id);
    EXPECT_TRUE(id.ok() && id->has_value()) << external_id;
    return id.ok() && id->has_value() ? **id : 0;
  }

  std::vector<AuditEntry> AllAudit() {
    Result<std::vector<AuditEntry>> rows = this->store_->ListAudit(0, 1'000'000);
    EXPECT_TRUE(rows.ok()) << (rows.ok() ? "" : rows.error().message_en());
    return rows.ok() ? *rows : std::vector<AuditEntry>();
  }

  // company -> east region -> teams sh and hz; north region -> team bj. Opportunities: o-sh
  // (open, rep-sh, account a-sh), o-hz (won, rep-hz, account a-hz), o-bj (open, rep-bj, a-bj).
  void SeedOrgTree() {
    this->UpsertOrFail({OrgUnitRecord("company", "公司", "company"),
                        OrgUnitRecord("east", "华东区", "region", "company"),
                        OrgUnitRecord("sh", "上海组", "team", "east"),
                        OrgUnitRecord("hz", "杭州组", "team", "east"),
                        OrgUnitRecord("north", "华北区", "region", "company"),
                        OrgUnitRecord("bj", "北京组", "team", "north")});
    this->UpsertOrFail({MemberRecord("rep-sh", "rep", "sh"), MemberRecord("rep-hz", "rep", "hz"),
                        MemberRecord("rep-bj", "rep", "bj"),
                        MemberRecord("mgr-sh", "manager", "sh"),
                        MemberRecord("mgr-bj", "manager", "bj"),
                        MemberRecord("dir-east", "director", "east"),
                        MemberRecord("cs-east", "cs", "east"),
                        MemberRecord("admin", "admin", "")});
    this->UpsertOrFail({AccountRecord("a-sh", "上海客户"), AccountRecord("a-hz", "杭州客户"),
                        AccountRecord("a-bj", "北京客户"), AccountRecord("a-none", "无商机客户")});
    this->UpsertOrFail({OwnedOpportunity("o-sh", "engaging", "rep-sh", "a-sh"),
                        OwnedOpportunity("o-hz", "won", "rep-hz", "a-hz"),
                        OwnedOpportunity("o-bj", "prospecting", "rep-bj", "a-bj")});
  }

  auth::Viewer ViewerOf(const std::string& user_external_id) {
    Result<auth::Viewer> viewer =
        this->store_->ViewerForUser(IdOf(EntityKind::kUser, user_external_id));
    EXPECT_TRUE(viewer.ok()) << (viewer.ok() ? "" : viewer.error().message_en());
    return viewer.ok() ? *viewer : auth::Viewer{};
  }

  std::set<std::string> VisibleOpportunities(const auth::Viewer& viewer) {
    std::set<std::string> names;
    auto cursor = this->store_->OpenOpportunityCursor({}, &viewer);
    EXPECT_TRUE(cursor.ok()) << (cursor.ok() ? "" : cursor.error().message_en());
    if (!cursor.ok()) {
      return names;
    }
    model::Opportunity row;
    while (true) {
      Result<bool> more = (*cursor)->Next(&row);
      EXPECT_TRUE(more.ok());
      if (!more.ok() || !*more) {
        return names;
      }
      names.insert(row.external_id);
    }
  }

  template <typename Row, typename List>
  std::set<std::string> ExternalIds(List list) {
    std::set<std::string> ids;
    EXPECT_TRUE(list.ok()) << (list.ok() ? "" : list.error().message_en());
    if (list.ok()) {
      for (const Row& row : *list) {
        ids.insert(row.external_id);
      }
    }
    return ids;
  }
};

TYPED_TEST_SUITE_P(StoreSecurityContractTest);

// ---- Credentials ----

TYPED_TEST_P(StoreSecurityContractTest, CredentialsCreateFindAndConflicts) {
  this->UpsertOrFail({UserRecord("u1", "王芳", "admin"), UserRecord("u2", "李雷")});
  int64_t u1 = this->IdOf(EntityKind::kUser, "u1");
  int64_t u2 = this->IdOf(EntityKind::kUser, "u2");

  Credentials credentials{u1, "wangfang", "$argon2id$v=19$m=65536,t=3,p=1$fake", false, {}, {}};
  ASSERT_TRUE(this->store_->CreateCredentials(credentials, AuditContext::System()).ok());

  Result<std::optional<Credentials>> by_login = this->store_->FindCredentialsByLogin("WangFang");
  ASSERT_TRUE(by_login.ok());
  ASSERT_TRUE(by_login->has_value()) << "logins compare ignoring ASCII case";
  EXPECT_EQ((*by_login)->user_id, u1);
  EXPECT_EQ((*by_login)->password_hash, credentials.password_hash);
  EXPECT_EQ((*by_login)->created_at, kStart);
  EXPECT_FALSE((*by_login)->disabled);

  Status same_login = this->store_->CreateCredentials({u2, "WANGFANG", "h", false, {}, {}}, {});
  ASSERT_FALSE(same_login.ok());
  EXPECT_EQ(same_login.error().code(), ErrorCode::kAlreadyExists);

  Status same_user = this->store_->CreateCredentials({u1, "other", "h", false, {}, {}}, {});
  ASSERT_FALSE(same_user.ok());
  EXPECT_EQ(same_user.error().code(), ErrorCode::kAlreadyExists);

  Status no_user = this->store_->CreateCredentials({9999, "ghost", "h", false, {}, {}}, {});
  ASSERT_FALSE(no_user.ok());
  EXPECT_EQ(no_user.error().code(), ErrorCode::kNotFound);

  EXPECT_FALSE(this->store_->FindCredentialsByUser(u2)->has_value());
}

TYPED_TEST_P(StoreSecurityContractTest, CredentialsDisableAndRehash) {
  this->UpsertOrFail({UserRecord("u1", "王芳", "admin")});
  int64_t u1 = this->IdOf(EntityKind::kUser, "u1");
  ASSERT_TRUE(this->store_->CreateCredentials({u1, "wangfang", "old", false, {}, {}}, {}).ok());

  ASSERT_TRUE(this->store_->SetCredentialsDisabled(u1, true, AuditContext::User(u1)).ok());
  ASSERT_TRUE(this->store_->SetPasswordHash(u1, "new", AuditContext::User(u1)).ok());
  std::optional<Credentials> stored = *this->store_->FindCredentialsByUser(u1);
  ASSERT_TRUE(stored.has_value());
  EXPECT_TRUE(stored->disabled);
  EXPECT_EQ(stored->password_hash, "new");

  Status missing = this->store_->SetPasswordHash(9999, "x", {});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
}

// No audit row may contain a password hash: a leaked audit export must not help offline guessing.
TYPED_TEST_P(StoreSecurityContractTest, AuditRowsCarryNoPasswordHash) {
  this->UpsertOrFail({UserRecord("u1", "王芳", "admin")});
  int64_t u1 = this->IdOf(EntityKind::kUser, "u1");
  const std::string hash = "$argon2id$v=19$m=65536,t=3,p=1$SECRETSALT$SECRETHASH";
  ASSERT_TRUE(this->store_->CreateCredentials({u1, "wangfang", hash, false, {}, {}}, {}).ok());
  ASSERT_TRUE(this->store_->SetPasswordHash(u1, hash + "2", {}).ok());

  for (const AuditEntry& entry : this->AllAudit()) {
    EXPECT_EQ(entry.after_json.value_or("").find("SECRET"), std::string::npos) << entry.id;
    EXPECT_EQ(entry.before_json.value_or("").find("SECRET"), std::string::npos) << entry.id;
  }
}

// ---- Sessions ----

TYPED_TEST_P(StoreSecurityContractTest, SessionLifecycle) {
  this->UpsertOrFail({UserRecord("u1", "王芳")});
  int64_t u1 = this->IdOf(EntityKind::kUser, "u1");
  Session session{"hash-1", u1, kStart, kStart + std::chrono::hours(8), kStart, "csrf-1"};
  ASSERT_TRUE(this->store_->CreateSession(session, AuditContext::User(u1, "req-1")).ok());

  Status repeated = this->store_->CreateSession(session, {});
  ASSERT_FALSE(repeated.ok());
  EXPECT_EQ(repeated.error().code(), ErrorCode::kAlreadyExists);

  std::optional<Session> found = *this->store_->FindSession("hash-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->user_id, u1);
  EXPECT_EQ(found->csrf_secret, "csrf-1");
  EXPECT_EQ(found->expires_at, session.expires_at);

  Timestamp later = kStart + std::chrono::hours(1);
  ASSERT_TRUE(this->store_->TouchSession("hash-1", later, later + std::chrono::hours(8)).ok());
  found = *this->store_->FindSession("hash-1");
  EXPECT_EQ(found->last_seen_at, later);
  EXPECT_EQ(found->expires_at, later + std::chrono::hours(8));

  ASSERT_TRUE(this->store_->DeleteSession("hash-1", AuditContext::User(u1)).ok());
  EXPECT_FALSE(this->store_->FindSession("hash-1")->has_value());
  Status again = this->store_->DeleteSession("hash-1", {});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(this->store_->TouchSession("hash-1", later, later).error().code(),
            ErrorCode::kNotFound);
}

TYPED_TEST_P(StoreSecurityContractTest, ExpiredSessionsAreSwept) {
  this->UpsertOrFail({UserRecord("u1", "王芳")});
  int64_t u1 = this->IdOf(EntityKind::kUser, "u1");
  for (int i = 0; i < 3; ++i) {
    Session session{"hash-" + std::to_string(i), u1, kStart,
                    kStart + std::chrono::hours(i + 1), kStart, "csrf"};
    ASSERT_TRUE(this->store_->CreateSession(session, {}).ok());
  }

  Result<int64_t> swept = this->store_->DeleteExpiredSessions(kStart + std::chrono::hours(2));
  ASSERT_TRUE(swept.ok());
  EXPECT_EQ(*swept, 2) << "expires_at <= now is expired";
  EXPECT_FALSE(this->store_->FindSession("hash-1")->has_value());
  EXPECT_TRUE(this->store_->FindSession("hash-2")->has_value());
  EXPECT_EQ(*this->store_->DeleteExpiredSessions(kStart + std::chrono::hours(2)), 0);
}

// ---- API tokens ----

TYPED_TEST_P(StoreSecurityContractTest, ApiTokenLifecycle) {
  this->UpsertOrFail({UserRecord("u1", "王芳"), UserRecord("u2", "李雷")});
  int64_t u1 = this->IdOf(EntityKind::kUser, "u1");
  int64_t u2 = this->IdOf(EntityKind::kUser, "u2");

  Result<int64_t> first = this->store_->CreateApiToken({"t-hash-1", "erp-sync", u1,
                                                        {"events:write", "opportunities:read"}},
                                                       AuditContext::User(u1));
  ASSERT_TRUE(first.ok()) << first.error().message_en();
  Result<int64_t> second = this->store_->CreateApiToken({"t-hash-2", "bi", u2, {}}, {});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(this->store_->CreateApiToken({"t-hash-1", "dup", u1, {}}, {}).error().code(),
            ErrorCode::kAlreadyExists);
  EXPECT_EQ(this->store_->CreateApiToken({"t-hash-3", "x", 9999, {}}, {}).error().code(),
            ErrorCode::kNotFound);

  std::optional<ApiToken> found = *this->store_->FindApiTokenByHash("t-hash-1");
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, *first);
  EXPECT_EQ(found->name, "erp-sync");
  EXPECT_EQ(found->scopes, (std::vector<std::string>{"events:write", "opportunities:read"}));
  EXPECT_FALSE(found->last_used_at.has_value());
  EXPECT_FALSE(found->revoked_at.has_value());

  EXPECT_EQ(this->store_->ListApiTokens(std::nullopt)->size(), 2u);
  EXPECT_EQ(this->store_->ListApiTokens(u2)->size(), 1u);

  Timestamp used = kStart + std::chrono::minutes(5);
  ASSERT_TRUE(this->store_->TouchApiToken(*first, used).ok());
  this->clock_.Advance(std::chrono::minutes(10));
  ASSERT_TRUE(this->store_->RevokeApiToken(*first, AuditContext::User(u1)).ok());
  this->clock_.Advance(std::chrono::minutes(10));
  ASSERT_TRUE(this->store_->RevokeApiToken(*first, {}).ok());
  found = *this->store_->FindApiTokenByHash("t-hash-1");
  EXPECT_EQ(found->last_used_at, std::optional<Timestamp>(used));
  EXPECT_EQ(found->revoked_at, std::optional<Timestamp>(kStart + std::chrono::minutes(10)))
      << "a second revocation keeps the first time";
  EXPECT_EQ(this->store_->RevokeApiToken(9999, {}).error().code(), ErrorCode::kNotFound);
}

// ---- Audit chain ----

TYPED_TEST_P(StoreSecurityContractTest, UpsertAppendsAuditRowsWithBeforeAndAfter) {
  this->UpsertOrFail({OpportunityRecord("O1", "prospecting", 100)});
  Result<std::vector<UpsertResult>> updated = this->store_->Upsert(
      std::vector<Record>{OpportunityRecord("O1", "won", 100)}, AuditContext::User(7, "req-9"));
  ASSERT_TRUE(updated.ok());
  this->UpsertOrFail({OpportunityRecord("O1", "won", 100)});  // unchanged: no audit row

  std::vector<AuditEntry> rows = this->AllAudit();
  ASSERT_EQ(rows.size(), 2u);
  int64_t id = this->IdOf(EntityKind::kOpportunity, "O1");

  EXPECT_EQ(rows[0].id, 1);
  EXPECT_EQ(rows[0].action, "insert");
  EXPECT_EQ(rows[0].entity_kind, "opportunity");
  EXPECT_EQ(rows[0].entity_id, std::to_string(id));
  EXPECT_EQ(rows[0].actor, "system");
  EXPECT_FALSE(rows[0].before_json.has_value());
  EXPECT_NE(rows[0].after_json->find("\"external_id\":\"O1\""), std::string::npos)
      << *rows[0].after_json;
  EXPECT_EQ(rows[0].prev_hash, kAuditGenesisHash);

  EXPECT_EQ(rows[1].action, "update");
  EXPECT_EQ(rows[1].actor, "user:7");
  EXPECT_EQ(rows[1].request_id, "req-9");
  EXPECT_EQ(*rows[1].before_json, R"({"fields":{"stage":"prospecting"}})");
  EXPECT_EQ(*rows[1].after_json, R"({"fields":{"stage":"won"}})");
  EXPECT_EQ(rows[1].prev_hash, rows[0].hash);
  EXPECT_EQ(rows[1].hash, ComputeAuditHash(rows[1]));
}

TYPED_TEST_P(StoreSecurityContractTest, AuditChainVerifiesIntact) {
  Result<AuditChainReport> empty = this->store_->VerifyAuditChain();
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->ok());
  EXPECT_EQ(empty->rows_checked, 0);

  this->UpsertOrFail({AccountRecord("A1", "甲"), AccountRecord("A2", "乙")});
  Result<int64_t> appended = this->store_->AppendAudit(
      {"publish", "rule_pack", "sales-basics", std::nullopt, R"({"version":3})"},
      AuditContext::User(1, "req-2"));
  ASSERT_TRUE(appended.ok());
  EXPECT_EQ(*appended, 3);
  EXPECT_EQ(this->store_->AppendAudit({"", "x", "1", {}, {}}, {}).error().code(),
            ErrorCode::kInvalidArgument);

  this->Reopen();
  Result<AuditChainReport> report = this->store_->VerifyAuditChain();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->ok()) << report->problem.en;
  EXPECT_EQ(report->rows_checked, 3);
  EXPECT_EQ(report->last_id, 3);
  EXPECT_EQ(report->last_hash, this->AllAudit().back().hash);
}

TYPED_TEST_P(StoreSecurityContractTest, RolledBackWriteLeavesNoAuditRow) {
  ASSERT_TRUE(this->store_->Begin().ok());
  this->UpsertOrFail({AccountRecord("A1", "甲")});
  ASSERT_TRUE(this->store_->Rollback().ok());
  EXPECT_TRUE(this->AllAudit().empty());

  this->UpsertOrFail({AccountRecord("A2", "乙")});
  std::vector<AuditEntry> rows = this->AllAudit();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, 1) << "ids have no gaps after a rollback";
  EXPECT_TRUE(this->store_->VerifyAuditChain()->ok());
}

TYPED_TEST_P(StoreSecurityContractTest, CredentialChangesAreAudited) {
  this->UpsertOrFail({UserRecord("u1", "王芳")});
  int64_t u1 = this->IdOf(EntityKind::kUser, "u1");
  ASSERT_TRUE(this->store_->CreateCredentials({u1, "wangfang", "h", false, {}, {}},
                                              AuditContext::System()).ok());
  ASSERT_TRUE(this->store_->CreateSession({"s", u1, kStart, kStart, kStart, "c"},
                                          AuditContext::User(u1, "req-5")).ok());
  Result<int64_t> token = this->store_->CreateApiToken({"t", "erp", u1, {}}, {});
  ASSERT_TRUE(token.ok());
  ASSERT_TRUE(this->store_->RevokeApiToken(*token, {}).ok());

  std::vector<std::string> actions;
  for (const AuditEntry& entry : this->AllAudit()) {
    actions.push_back(entry.entity_kind + "." + entry.action);
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"user.insert", "credentials.create",
                                               "session.create", "api_token.create",
                                               "api_token.revoke"}));
  EXPECT_TRUE(this->store_->VerifyAuditChain()->ok());
}

// ---- Visibility ----

TYPED_TEST_P(StoreSecurityContractTest, OpportunityVisibilityMatrix) {
  this->SeedOrgTree();
  using Names = std::set<std::string>;
  EXPECT_EQ(this->VisibleOpportunities(this->ViewerOf("rep-sh")), (Names{"o-sh"}));
  EXPECT_EQ(this->VisibleOpportunities(this->ViewerOf("mgr-sh")), (Names{"o-sh"}));
  EXPECT_EQ(this->VisibleOpportunities(this->ViewerOf("mgr-bj")), (Names{"o-bj"}));
  EXPECT_EQ(this->VisibleOpportunities(this->ViewerOf("dir-east")), (Names{"o-sh", "o-hz"}));
  EXPECT_EQ(this->VisibleOpportunities(this->ViewerOf("cs-east")), (Names{"o-hz"}));
  EXPECT_EQ(this->VisibleOpportunities(this->ViewerOf("admin")), (Names{"o-sh", "o-hz", "o-bj"}));

  // The viewer narrows the other filters, never widens them.
  auth::Viewer director = this->ViewerOf("dir-east");
  OpportunityFilter won;
  won.stages = {"won"};
  auto cursor = this->store_->OpenOpportunityCursor(won, &director);
  ASSERT_TRUE(cursor.ok());
  model::Opportunity row;
  ASSERT_TRUE(*(*cursor)->Next(&row));
  EXPECT_EQ(row.external_id, "o-hz");
  EXPECT_FALSE(*(*cursor)->Next(&row));
}

TYPED_TEST_P(StoreSecurityContractTest, AccountAndUserVisibilityMatrix) {
  this->SeedOrgTree();
  using Names = std::set<std::string>;
  auto accounts = [&](const std::string& user) {
    auth::Viewer viewer = this->ViewerOf(user);
    return this->template ExternalIds<model::Account>(this->store_->ListAccounts(&viewer));
  };
  auto users = [&](const std::string& user) {
    auth::Viewer viewer = this->ViewerOf(user);
    return this->template ExternalIds<model::User>(this->store_->ListUsers(&viewer));
  };
  auto units = [&](const std::string& user) {
    auth::Viewer viewer = this->ViewerOf(user);
    return this->template ExternalIds<model::OrgUnit>(this->store_->ListOrgUnits(&viewer));
  };

  EXPECT_EQ(accounts("rep-sh"), (Names{"a-sh"}));
  EXPECT_EQ(accounts("mgr-sh"), (Names{"a-sh"}));
  EXPECT_EQ(accounts("mgr-bj"), (Names{"a-bj"}));
  EXPECT_EQ(accounts("dir-east"), (Names{"a-sh", "a-hz"}));
  EXPECT_EQ(accounts("cs-east"), (Names{"a-hz"}));
  EXPECT_EQ(accounts("admin"), (Names{"a-sh", "a-hz", "a-bj", "a-none"}));

  EXPECT_EQ(users("rep-sh"), (Names{"rep-sh"}));
  EXPECT_EQ(users("mgr-sh"), (Names{"rep-sh", "mgr-sh"}));
  EXPECT_EQ(users("mgr-bj"), (Names{"rep-bj", "mgr-bj"}));
  EXPECT_EQ(users("dir-east"), (Names{"rep-sh", "rep-hz", "mgr-sh", "dir-east", "cs-east"}));
  EXPECT_EQ(users("admin").size(), 8u);

  EXPECT_EQ(units("rep-sh"), (Names{"sh"}));
  EXPECT_EQ(units("mgr-bj"), (Names{"bj"}));
  EXPECT_EQ(units("dir-east"), (Names{"east", "sh", "hz"}));
  EXPECT_EQ(units("admin").size(), 6u);
}

TYPED_TEST_P(StoreSecurityContractTest, GetRecordHidesInvisibleRows) {
  this->SeedOrgTree();
  auth::Viewer rep = this->ViewerOf("rep-sh");
  auth::Viewer other_manager = this->ViewerOf("mgr-bj");
  auth::Viewer admin = this->ViewerOf("admin");

  EXPECT_TRUE(this->store_->GetRecord(EntityKind::kOpportunity, "o-sh", &rep)->has_value());
  EXPECT_FALSE(this->store_->GetRecord(EntityKind::kOpportunity, "o-hz", &rep)->has_value());
  EXPECT_FALSE(
      this->store_->GetRecord(EntityKind::kOpportunity, "o-sh", &other_manager)->has_value());
  EXPECT_TRUE(this->store_->GetRecord(EntityKind::kAccount, "a-sh", &rep)->has_value());
  EXPECT_FALSE(this->store_->GetRecord(EntityKind::kAccount, "a-bj", &rep)->has_value());
  EXPECT_FALSE(this->store_->GetRecord(EntityKind::kUser, "mgr-sh", &rep)->has_value());
  EXPECT_TRUE(this->store_->GetRecord(EntityKind::kAccount, "a-none", &admin)->has_value());
  EXPECT_TRUE(this->store_->GetRecord(EntityKind::kOpportunity, "o-bj", nullptr)->has_value())
      << "a null viewer is system access";
}

TYPED_TEST_P(StoreSecurityContractTest, ViewerForUnknownUserIsNotFound) {
  Result<auth::Viewer> viewer = this->store_->ViewerForUser(4242);
  ASSERT_FALSE(viewer.ok());
  EXPECT_EQ(viewer.error().code(), ErrorCode::kNotFound);
}

REGISTER_TYPED_TEST_SUITE_P(StoreSecurityContractTest, CredentialsCreateFindAndConflicts,
                            CredentialsDisableAndRehash, AuditRowsCarryNoPasswordHash,
                            SessionLifecycle, ExpiredSessionsAreSwept, ApiTokenLifecycle,
                            UpsertAppendsAuditRowsWithBeforeAndAfter, AuditChainVerifiesIntact,
                            RolledBackWriteLeavesNoAuditRow, CredentialChangesAreAudited,
                            OpportunityVisibilityMatrix, AccountAndUserVisibilityMatrix,
                            GetRecordHidesInvisibleRows, ViewerForUnknownUserIsNotFound);

}  // namespace salesradar::store::testing
