// The Store contract for ListRecords and GetRecordById (store/record_query.h), as a typed test
// suite next to store_security_contract_test.h, whose org tree it reuses. A backend's test file
// instantiates it like the others:
//
//   INSTANTIATE_TYPED_TEST_SUITE_P(My, StoreQueryContractTest, MyBackend);
#pragma once

#include <set>
#include <string>
#include <vector>

#include "store/store_security_contract_test.h"

namespace salesradar::store::testing {

inline Record ContactRecord(std::string external_id, std::string name, std::string account) {
  Record record{EntityKind::kContact, std::move(external_id), {}, {}};
  record.fields["name"] = std::move(name);
  record.fields["account"] = Reference{0, std::move(account)};
  return record;
}

inline Record LeadRecord(std::string external_id, std::string name, std::string owner,
                         std::string status = "new") {
  Record record{EntityKind::kLead, std::move(external_id), {}, {}};
  record.fields["name"] = std::move(name);
  record.fields["owner"] = Reference{0, std::move(owner)};
  record.fields["status"] = std::move(status);
  return record;
}

inline Record ActivityRecord(std::string external_id, std::string actor, std::string subject_type,
                             int64_t subject_id, Timestamp occurred_at,
                             std::string text = "") {
  Record record{EntityKind::kActivity, std::move(external_id), {}, {}};
  record.fields["type"] = std::string("visit");
  record.fields["actor"] = Reference{0, std::move(actor)};
  record.fields["subject_type"] = std::move(subject_type);
  record.fields["subject_id"] = subject_id;
  record.fields["occurred_at"] = occurred_at;
  if (!text.empty()) {
    record.fields["subject_text"] = std::move(text);
  }
  return record;
}

template <typename Backend>
class StoreQueryContractTest : public StoreSecurityContractTest<Backend> {
 protected:
  // Seeds SeedOrgTree plus these rows:
  //   contacts   c-sh, c-hz, c-bj, c-none, each on the account of the same suffix
  //   leads      l-sh, l-hz, l-bj owned by the rep of the same suffix, l-cs owned by cs-east
  //   activities v-sh (rep-sh on o-sh), v-hz (rep-hz on o-hz), v-bj (rep-bj on account a-bj),
  //              v-bj-on-sh (mgr-bj on o-sh), v-lead-bj (admin on lead l-bj),
  //              v-contact-hz (admin on contact c-hz)
  void SeedRecords() {
    this->SeedOrgTree();
    this->UpsertOrFail({ContactRecord("c-sh", "张三", "a-sh"),
                        ContactRecord("c-hz", "李四", "a-hz"),
                        ContactRecord("c-bj", "王五", "a-bj"),
                        ContactRecord("c-none", "赵六", "a-none")});
    this->UpsertOrFail({LeadRecord("l-sh", "上海线索", "rep-sh"),
                        LeadRecord("l-hz", "杭州线索", "rep-hz", "qualified"),
                        LeadRecord("l-bj", "北京线索", "rep-bj"),
                        LeadRecord("l-cs", "客户成功线索", "cs-east")});
    int64_t o_sh = this->IdOf(EntityKind::kOpportunity, "o-sh");
    int64_t o_hz = this->IdOf(EntityKind::kOpportunity, "o-hz");
    int64_t a_bj = this->IdOf(EntityKind::kAccount, "a-bj");
    int64_t l_bj = this->IdOf(EntityKind::kLead, "l-bj");
    int64_t c_hz = this->IdOf(EntityKind::kContact, "c-hz");
    this->UpsertOrFail({ActivityRecord("v-sh", "rep-sh", "opportunity", o_sh, kStart),
                        ActivityRecord("v-hz", "rep-hz", "opportunity", o_hz, kStart),
                        ActivityRecord("v-bj", "rep-bj", "account", a_bj, kStart),
                        ActivityRecord("v-bj-on-sh", "mgr-bj", "opportunity", o_sh, kStart),
                        ActivityRecord("v-lead-bj", "admin", "lead", l_bj, kStart),
                        ActivityRecord("v-contact-hz", "admin", "contact", c_hz, kStart)});
  }

  // Returns every page of `query` for `viewer`, failing the test on an error or a loop.
  std::vector<RecordRow> AllPages(RecordQuery query, const auth::Viewer* viewer) {
    std::vector<RecordRow> rows;
    for (int pages = 0; pages < 1000; ++pages) {
      Result<RecordPage> page = this->store_->ListRecords(query, viewer);
      EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message_en());
      if (!page.ok()) {
        return rows;
      }
      EXPECT_LE(page->rows.size(), static_cast<size_t>(query.limit));
      rows.insert(rows.end(), page->rows.begin(), page->rows.end());
      if (!page->next) {
        return rows;
      }
      query.after = page->next;
    }
    ADD_FAILURE() << "paging did not end";
    return rows;
  }

  std::set<std::string> Listed(EntityKind kind, const auth::Viewer* viewer,
                               RecordFilter filter = {}) {
    RecordQuery query;
    query.kind = kind;
    query.filter = std::move(filter);
    query.limit = 2;  // several pages even for the small seed
    std::set<std::string> ids;
    for (const RecordRow& row : AllPages(query, viewer)) {
      ids.insert(row.record.external_id);
    }
    return ids;
  }

  std::vector<std::string> ListedInOrder(RecordQuery query) {
    std::vector<std::string> ids;
    for (const RecordRow& row : AllPages(std::move(query), nullptr)) {
      ids.push_back(row.record.external_id);
    }
    return ids;
  }
};

TYPED_TEST_SUITE_P(StoreQueryContractTest);

using Ids = std::set<std::string>;

TYPED_TEST_P(StoreQueryContractTest, VisibilityMatrixForEveryKind) {
  this->SeedRecords();
  struct Expected {
    std::string viewer;
    Ids accounts, contacts, leads, opportunities, activities;
  };
  std::vector<Expected> table = {
      {"rep-sh", {"a-sh"}, {"c-sh"}, {"l-sh"}, {"o-sh"}, {"v-sh", "v-bj-on-sh"}},
      {"mgr-sh", {"a-sh"}, {"c-sh"}, {"l-sh"}, {"o-sh"}, {"v-sh", "v-bj-on-sh"}},
      {"mgr-bj", {"a-bj"}, {"c-bj"}, {"l-bj"}, {"o-bj"}, {"v-bj", "v-bj-on-sh", "v-lead-bj"}},
      {"dir-east",
       {"a-sh", "a-hz"},
       {"c-sh", "c-hz"},
       {"l-sh", "l-hz", "l-cs"},
       {"o-sh", "o-hz"},
       {"v-sh", "v-hz", "v-bj-on-sh", "v-contact-hz"}},
      {"cs-east", {"a-hz"}, {"c-hz"}, {"l-cs"}, {"o-hz"}, {"v-hz", "v-contact-hz"}},
      {"admin",
       {"a-sh", "a-hz", "a-bj", "a-none"},
       {"c-sh", "c-hz", "c-bj", "c-none"},
       {"l-sh", "l-hz", "l-bj", "l-cs"},
       {"o-sh", "o-hz", "o-bj"},
       {"v-sh", "v-hz", "v-bj", "v-bj-on-sh", "v-lead-bj", "v-contact-hz"}},
  };

  for (const Expected& expected : table) {
    SCOPED_TRACE(expected.viewer);
    auth::Viewer viewer = this->ViewerOf(expected.viewer);
    EXPECT_EQ(this->Listed(EntityKind::kAccount, &viewer), expected.accounts);
    EXPECT_EQ(this->Listed(EntityKind::kContact, &viewer), expected.contacts);
    EXPECT_EQ(this->Listed(EntityKind::kLead, &viewer), expected.leads);
    EXPECT_EQ(this->Listed(EntityKind::kOpportunity, &viewer), expected.opportunities);
    EXPECT_EQ(this->Listed(EntityKind::kActivity, &viewer), expected.activities);
  }
  EXPECT_EQ(this->Listed(EntityKind::kActivity, nullptr).size(), 6u);
}

TYPED_TEST_P(StoreQueryContractTest, GetRecordByIdHidesInvisibleRows) {
  this->SeedRecords();
  auth::Viewer rep = this->ViewerOf("rep-sh");
  int64_t o_sh = this->IdOf(EntityKind::kOpportunity, "o-sh");
  int64_t o_bj = this->IdOf(EntityKind::kOpportunity, "o-bj");

  Result<std::optional<RecordRow>> own = this->store_->GetRecordById(EntityKind::kOpportunity,
                                                                     o_sh, &rep);
  ASSERT_TRUE(own.ok()) << own.error().message_en();
  ASSERT_TRUE(own->has_value());
  EXPECT_EQ((*own)->record.external_id, "o-sh");
  EXPECT_EQ((*own)->reference_names.at("owner"), "user rep-sh");
  EXPECT_EQ((*own)->reference_names.at("account"), "上海客户");

  Result<std::optional<RecordRow>> other =
      this->store_->GetRecordById(EntityKind::kOpportunity, o_bj, &rep);
  ASSERT_TRUE(other.ok());
  EXPECT_FALSE(other->has_value());

  Result<std::optional<RecordRow>> missing =
      this->store_->GetRecordById(EntityKind::kOpportunity, 999'999, nullptr);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TYPED_TEST_P(StoreQueryContractTest, PagingHasNoGapsOrRepeats) {
  std::vector<Record> records;
  for (int i = 0; i < 23; ++i) {
    Record record = OpportunityRecord("p" + std::to_string(i), "engaging", (i % 3) * 1000);
    if (i % 5 == 0) {
      record.fields["amount"] = Null{};
    }
    records.push_back(std::move(record));
  }
  this->UpsertOrFail(records);

  for (SortDirection direction : {SortDirection::kAscending, SortDirection::kDescending}) {
    RecordQuery query;
    query.kind = EntityKind::kOpportunity;
    query.sort = {"amount", direction};
    query.limit = 4;
    std::vector<RecordRow> rows = this->AllPages(query, nullptr);
    ASSERT_EQ(rows.size(), 23u);

    std::set<int64_t> ids;
    for (size_t i = 0; i < rows.size(); ++i) {
      ids.insert(rows[i].id);
      if (i == 0) {
        continue;
      }
      // NULL sorts like the smallest amount; ties go by id in the same direction.
      auto amount = [](const RecordRow& row) -> int64_t {
        const auto* money = std::get_if<Money>(&row.record.fields.at("amount"));
        return money != nullptr ? money->fen : -1;
      };
      std::pair<int64_t, int64_t> before{amount(rows[i - 1]), rows[i - 1].id};
      std::pair<int64_t, int64_t> current{amount(rows[i]), rows[i].id};
      if (direction == SortDirection::kAscending) {
        EXPECT_LT(before, current) << i;
      } else {
        EXPECT_GT(before, current) << i;
      }
    }
    EXPECT_EQ(ids.size(), 23u);
  }
}

TYPED_TEST_P(StoreQueryContractTest, SortsByNameCreatedAtAndCloseDate) {
  this->UpsertOrFail({AccountRecord("b", "beta"), AccountRecord("a", "Alpha"),
                      AccountRecord("c", "上海客户")});
  RecordQuery by_name;
  by_name.kind = EntityKind::kAccount;
  by_name.sort = {"name", SortDirection::kAscending};
  by_name.limit = 2;
  // Byte order: upper-case ASCII before lower-case before CJK.
  EXPECT_EQ(this->ListedInOrder(by_name), (std::vector<std::string>{"a", "b", "c"}));
  by_name.sort.direction = SortDirection::kDescending;
  EXPECT_EQ(this->ListedInOrder(by_name), (std::vector<std::string>{"c", "b", "a"}));

  Record first = OpportunityRecord("first", "engaging");
  first.fields["close_date"] = CivilDate{year(2026), month(3), day(1)};
  this->UpsertOneOrFail(first);
  this->clock_.Advance(std::chrono::hours(1));
  Record second = OpportunityRecord("second", "engaging");
  second.fields["close_date"] = CivilDate{year(2026), month(1), day(15)};
  this->UpsertOneOrFail(second);
  this->clock_.Advance(std::chrono::hours(1));
  this->UpsertOneOrFail(OpportunityRecord("undated", "engaging"));

  RecordQuery newest;
  newest.kind = EntityKind::kOpportunity;
  newest.sort = {"created_at", SortDirection::kDescending};
  EXPECT_EQ(this->ListedInOrder(newest),
            (std::vector<std::string>{"undated", "second", "first"}));

  RecordQuery by_close;
  by_close.kind = EntityKind::kOpportunity;
  by_close.sort = {"close_date", SortDirection::kAscending};
  by_close.limit = 1;
  EXPECT_EQ(this->ListedInOrder(by_close),
            (std::vector<std::string>{"undated", "second", "first"}));
}

TYPED_TEST_P(StoreQueryContractTest, FiltersNarrowEachKind) {
  this->SeedRecords();
  auto id = [this](EntityKind kind, const std::string& external_id) {
    return this->IdOf(kind, external_id);
  };

  RecordFilter won;
  won.stages = {"won", "lost"};
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, won), Ids({"o-hz"}));

  RecordFilter by_owner;
  by_owner.owner_id = id(EntityKind::kUser, "rep-sh");
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, by_owner), Ids({"o-sh"}));
  EXPECT_EQ(this->Listed(EntityKind::kLead, nullptr, by_owner), Ids({"l-sh"}));
  EXPECT_EQ(this->Listed(EntityKind::kAccount, nullptr, by_owner), Ids({"a-sh"}));
  EXPECT_EQ(this->Listed(EntityKind::kContact, nullptr, by_owner), Ids({"c-sh"}));
  EXPECT_EQ(this->Listed(EntityKind::kActivity, nullptr, by_owner), Ids({"v-sh"}));

  RecordFilter east;
  east.org_unit_id = id(EntityKind::kOrgUnit, "east");
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, east), Ids({"o-sh", "o-hz"}));
  EXPECT_EQ(this->Listed(EntityKind::kLead, nullptr, east), Ids({"l-sh", "l-hz", "l-cs"}));

  RecordFilter account;
  account.account_id = id(EntityKind::kAccount, "a-hz");
  EXPECT_EQ(this->Listed(EntityKind::kContact, nullptr, account), Ids({"c-hz"}));
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, account), Ids({"o-hz"}));

  RecordFilter qualified;
  qualified.statuses = {"qualified"};
  EXPECT_EQ(this->Listed(EntityKind::kLead, nullptr, qualified), Ids({"l-hz"}));

  RecordFilter on_o_sh;
  on_o_sh.subject = SubjectFilter{EntityKind::kOpportunity, id(EntityKind::kOpportunity, "o-sh")};
  EXPECT_EQ(this->Listed(EntityKind::kActivity, nullptr, on_o_sh), Ids({"v-sh", "v-bj-on-sh"}));

  RecordFilter cjk;
  cjk.name_contains = "上海";
  EXPECT_EQ(this->Listed(EntityKind::kAccount, nullptr, cjk), Ids({"a-sh"}));
  EXPECT_EQ(this->Listed(EntityKind::kLead, nullptr, cjk), Ids({"l-sh"}));

  RecordFilter both;
  both.owner_id = id(EntityKind::kUser, "rep-sh");
  both.stages = {"won"};
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, both), Ids());
}

TYPED_TEST_P(StoreQueryContractTest, FiltersByTextDatesAndTimes) {
  this->UpsertOrFail({AccountRecord("acme", "ACME Corp"), AccountRecord("fw", "ＡＣＭＥ 上海"),
                      AccountRecord("other", "Globex")});
  RecordFilter acme;
  acme.name_contains = "acme";
  EXPECT_EQ(this->Listed(EntityKind::kAccount, nullptr, acme), Ids({"acme", "fw"}));

  Record march = OpportunityRecord("march", "engaging");
  march.fields["close_date"] = CivilDate{year(2026), month(3), day(31)};
  this->UpsertOneOrFail(march);
  this->clock_.Advance(std::chrono::hours(2));
  Record april = OpportunityRecord("april", "engaging");
  april.fields["close_date"] = CivilDate{year(2026), month(4), day(1)};
  this->UpsertOneOrFail(april);

  RecordFilter in_march;
  in_march.close_date = {CivilDate{year(2026), month(3), day(1)},
                         CivilDate{year(2026), month(3), day(31)}};
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, in_march), Ids({"march"}));

  RecordFilter later;
  later.created.from = kStart + std::chrono::hours(1);
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, later), Ids({"april"}));
  RecordFilter earlier;
  earlier.created.before = kStart + std::chrono::hours(1);
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, earlier), Ids({"march"}));

  this->UpsertOrFail({UserRecord("u", "u")});
  this->UpsertOrFail(
      {ActivityRecord("call", "u", "account", 1, kStart, "Discussed PRICE 报价"),
       ActivityRecord("later", "u", "account", 1, kStart + std::chrono::hours(5), "follow-up")});
  RecordFilter price;
  price.name_contains = "price";
  EXPECT_EQ(this->Listed(EntityKind::kActivity, nullptr, price), Ids({"call"}));
  RecordFilter occurred;
  occurred.occurred.from = kStart + std::chrono::hours(1);
  EXPECT_EQ(this->Listed(EntityKind::kActivity, nullptr, occurred), Ids({"later"}));
}

TYPED_TEST_P(StoreQueryContractTest, CustomFieldsAreReturnedAndFiltered) {
  model::CustomFieldDefinition tier;
  tier.entity = EntityKind::kOpportunity;
  tier.name = "tier";
  tier.type = model::FieldType::kEnum;
  tier.allowed_values = {"gold", "silver"};
  tier.label = {"等级", "Tier"};
  ASSERT_TRUE(this->store_->PutCustomFieldDefinition(tier).ok());
  model::CustomFieldDefinition seats;
  seats.entity = EntityKind::kOpportunity;
  seats.name = "seats";
  seats.type = model::FieldType::kInt;
  seats.label = {"席位", "Seats"};
  ASSERT_TRUE(this->store_->PutCustomFieldDefinition(seats).ok());

  Record gold = OpportunityRecord("gold", "engaging");
  gold.custom_fields["tier"] = std::string("gold");
  gold.custom_fields["seats"] = int64_t{40};
  Record silver = OpportunityRecord("silver", "engaging");
  silver.custom_fields["tier"] = std::string("silver");
  this->UpsertOrFail({gold, silver, OpportunityRecord("plain", "engaging")});

  RecordFilter is_gold;
  is_gold.custom_fields = {{"tier", std::string("gold")}};
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, is_gold), Ids({"gold"}));
  RecordFilter forty;
  forty.custom_fields = {{"seats", int64_t{40}}, {"tier", std::string("gold")}};
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, forty), Ids({"gold"}));
  RecordFilter unknown;
  unknown.custom_fields = {{"nope", std::string("gold")}};
  EXPECT_EQ(this->Listed(EntityKind::kOpportunity, nullptr, unknown), Ids());

  RecordQuery query;
  query.kind = EntityKind::kOpportunity;
  query.filter = is_gold;
  Result<RecordPage> page = this->store_->ListRecords(query, nullptr);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->rows.size(), 1u);
  EXPECT_EQ(page->rows[0].record.custom_fields.at("tier"), model::Value(std::string("gold")));
  EXPECT_EQ(page->rows[0].record.custom_fields.at("seats"), model::Value(int64_t{40}));
}

TYPED_TEST_P(StoreQueryContractTest, RejectsUnknownSortAndInapplicableFilter) {
  RecordQuery bad_sort;
  bad_sort.kind = EntityKind::kAccount;
  bad_sort.sort = {"amount", SortDirection::kAscending};
  Result<RecordPage> sorted = this->store_->ListRecords(bad_sort, nullptr);
  ASSERT_FALSE(sorted.ok());
  EXPECT_EQ(sorted.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(sorted.error().message_en().find("name"), std::string::npos);

  RecordQuery bad_filter;
  bad_filter.kind = EntityKind::kAccount;
  bad_filter.filter.stages = {"won"};
  Result<RecordPage> filtered = this->store_->ListRecords(bad_filter, nullptr);
  ASSERT_FALSE(filtered.ok());
  EXPECT_EQ(filtered.error().code(), ErrorCode::kInvalidArgument);

  RecordQuery users;
  users.kind = EntityKind::kUser;
  EXPECT_FALSE(this->store_->ListRecords(users, nullptr).ok());
}

REGISTER_TYPED_TEST_SUITE_P(StoreQueryContractTest, VisibilityMatrixForEveryKind,
                            GetRecordByIdHidesInvisibleRows,
                            PagingHasNoGapsOrRepeats,
                            SortsByNameCreatedAtAndCloseDate, FiltersNarrowEachKind,
                            FiltersByTextDatesAndTimes, CustomFieldsAreReturnedAndFiltered,
                            RejectsUnknownSortAndInapplicableFilter);

}  // namespace salesradar::store::testing
