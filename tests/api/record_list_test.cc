// Paging, sorting, filters, custom fields and parameter errors of the record list routes, over
// real HTTP.
#include <set>

#include <gtest/gtest.h>

#include "api_test_env.h"
#include "record_test_seed.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;
using Names = std::set<std::string>;

class RecordListTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
    ASSERT_NO_FATAL_FAILURE(DefineTier());
    ASSERT_NO_FATAL_FAILURE(seed_.Write(*env_));
    admin_ = std::make_unique<ApiClient>(env_->SignIn("admin"));
  }

  // Defines the enum custom field "tier" (gold, silver) of opportunities before any connection
  // of the pool reads the definitions.
  // NOTE: a SQLite Store caches definitions per connection, so a definition added later through
  // one connection stays unknown to connections that read the definitions before.
  void DefineTier() {
    model::CustomFieldDefinition tier;
    tier.entity = model::EntityKind::kOpportunity;
    tier.name = "tier";
    tier.type = model::FieldType::kEnum;
    tier.allowed_values = {"gold", "silver"};
    tier.label = {"等级", "Tier"};
    StoreLease store = env_->Store();
    ASSERT_TRUE(store->PutCustomFieldDefinition(tier).ok());
  }

  // Returns the items of every page of `target` (which has a query already).
  std::vector<json> AllItems(const std::string& target) {
    std::vector<json> items;
    std::string next = target;
    for (int page = 0; page < 200; ++page) {
      ApiResponse response = admin_->Get(next);
      EXPECT_EQ(response.status, 200) << next << ": " << response.body;
      if (response.status != 200) {
        return items;
      }
      for (const json& item : response.json["items"]) {
        items.push_back(item);
      }
      if (response.json["next_cursor"].is_null()) {
        return items;
      }
      next = target + "&cursor=" + response.json["next_cursor"].get<std::string>();
    }
    ADD_FAILURE() << target << ": paging did not end";
    return items;
  }

  Names Listed(const std::string& target) {
    Names names;
    for (const json& item : AllItems(target)) {
      names.insert(item["external_id"].get<std::string>());
    }
    return names;
  }

  // Expects a 400 whose message names `parameter` and contains `listed`.
  void ExpectBadRequest(const std::string& target, const std::string& parameter,
                        const std::string& listed) {
    SCOPED_TRACE(target);
    admin_->SetAcceptLanguage("en");
    ApiResponse response = admin_->Get(target);
    admin_->SetAcceptLanguage("zh-CN");
    ASSERT_EQ(response.status, 400) << response.body;
    EXPECT_EQ(response.json["code"], "invalid_argument");
    std::string message = response.json["message"].get<std::string>();
    EXPECT_NE(message.find(parameter), std::string::npos) << message;
    EXPECT_NE(message.find(listed), std::string::npos) << message;
  }

  void AddOpportunities(int count) {
    std::vector<model::Record> records;
    for (int i = 0; i < count; ++i) {
      model::Record record{model::EntityKind::kOpportunity, "bulk" + std::to_string(i), {}, {}};
      record.fields["stage"] = std::string("engaging");
      record.fields["amount"] = model::Money{(i % 4) * 50'000, "CNY"};
      records.push_back(std::move(record));
    }
    StoreLease store = env_->Store();
    ASSERT_TRUE(store->Upsert(records).ok());
  }

  std::unique_ptr<ApiTestEnv> env_;
  RecordSeed seed_;
  std::unique_ptr<ApiClient> admin_;
};

TEST_F(RecordListTest, PagingHasNoGapsOrDuplicates) {
  ASSERT_NO_FATAL_FAILURE(AddOpportunities(37));
  for (const std::string sort : {"amount", "-amount", "stage", "-created_at"}) {
    SCOPED_TRACE(sort);
    std::vector<json> items = AllItems("/api/v1/opportunities?limit=6&sort=" + sort);
    ASSERT_EQ(items.size(), 41u);
    std::set<int64_t> ids;
    for (const json& item : items) {
      ids.insert(item["id"].get<int64_t>());
    }
    EXPECT_EQ(ids.size(), 41u);
  }

  std::vector<json> ascending = AllItems("/api/v1/opportunities?limit=5&sort=amount");
  for (size_t i = 1; i < ascending.size(); ++i) {
    EXPECT_LE(ascending[i - 1]["amount"]["amount_fen"].get<int64_t>(),
              ascending[i]["amount"]["amount_fen"].get<int64_t>());
  }
  std::vector<json> descending = AllItems("/api/v1/opportunities?limit=5&sort=-amount");
  EXPECT_EQ(descending.front()["external_id"], "opp_won");
}

TEST_F(RecordListTest, RecordJsonCarriesNamesMoneyAndTimes) {
  ApiResponse response = admin_->Get("/api/v1/opportunities/" + std::to_string(seed_.Id("opp_sh")));
  ASSERT_EQ(response.status, 200) << response.body;
  const json& opportunity = response.json;
  EXPECT_EQ(opportunity["external_id"], "opp_sh");
  EXPECT_EQ(opportunity["stage"], "engaging");
  EXPECT_EQ(opportunity["amount"], (json{{"amount_fen", 100'000}, {"currency", "CNY"}}));
  EXPECT_EQ(opportunity["owner_id"], env_->UserId("rep_sh"));
  EXPECT_EQ(opportunity["owner_name"], "上海销售一");
  EXPECT_EQ(opportunity["account_id"], seed_.Id("acc_sh"));
  EXPECT_EQ(opportunity["account_name"], "客户 acc_sh");
  EXPECT_TRUE(opportunity["close_date"].is_null());
  EXPECT_TRUE(opportunity["custom_fields"].is_object());
  std::string created = opportunity["created_at"].get<std::string>();
  EXPECT_EQ(created.back(), 'Z') << created;

  ApiResponse activity = admin_->Get("/api/v1/activities/" + std::to_string(seed_.Id("act_lead")));
  ASSERT_EQ(activity.status, 200) << activity.body;
  EXPECT_EQ(activity.json["actor_name"], "广州销售");
  EXPECT_EQ(activity.json["subject_type"], "lead");
  EXPECT_EQ(activity.json["subject_id"], seed_.Id("lead_gz"));
  EXPECT_EQ(activity.json["subject_name"], "线索 gz");
}

TEST_F(RecordListTest, FiltersNarrowTheLists) {
  std::string rep_sh2 = std::to_string(env_->UserId("rep_sh2"));
  EXPECT_EQ(Listed("/api/v1/opportunities?stage=won,lost"), Names({"opp_won"}));
  EXPECT_EQ(Listed("/api/v1/opportunities?owner_id=" + rep_sh2), Names({"opp_sh2", "opp_won"}));
  EXPECT_EQ(Listed("/api/v1/accounts?owner_id=" + rep_sh2), Names({"acc_sh2", "acc_won"}));
  EXPECT_EQ(Listed("/api/v1/contacts?owner_id=" + rep_sh2), Names({"con_sh2", "con_won"}));
  EXPECT_EQ(Listed("/api/v1/activities?owner_id=" + rep_sh2), Names({"act_sh2", "act_won"}));
  EXPECT_EQ(Listed("/api/v1/leads?org_unit_id=" + std::to_string(env_->OrgUnitId("south"))),
            Names({"lead_gz"}));
  EXPECT_EQ(Listed("/api/v1/opportunities?org_unit_id=" + std::to_string(env_->OrgUnitId("east"))),
            Names({"opp_sh", "opp_sh2", "opp_won"}));
  EXPECT_EQ(Listed("/api/v1/contacts?account_id=" + std::to_string(seed_.Id("acc_gz"))),
            Names({"con_gz"}));
  EXPECT_EQ(Listed("/api/v1/activities?opportunity_id=" + std::to_string(seed_.Id("opp_won"))),
            Names({"act_won"}));
  EXPECT_EQ(Listed("/api/v1/activities?lead_id=" + std::to_string(seed_.Id("lead_gz"))),
            Names({"act_lead"}));
  EXPECT_EQ(Listed("/api/v1/leads?status=qualified"), Names({"lead_gz"}));
  EXPECT_EQ(Listed("/api/v1/activities?type=call"), Names());

  // q: CJK and ASCII case folding; %E5%95%86%E6%9C%BA is "商机".
  EXPECT_EQ(Listed("/api/v1/opportunities?q=%E5%95%86%E6%9C%BA%20OPP_GZ"), Names({"opp_gz"}));
  EXPECT_EQ(Listed("/api/v1/accounts?q=ACC_NONE"), Names({"acc_none"}));
  EXPECT_EQ(Listed("/api/v1/activities?q=act_lead"), Names({"act_lead"}));

  EXPECT_EQ(Listed("/api/v1/opportunities?created_before=2000-01-01T00:00:00Z"), Names());
  EXPECT_EQ(Listed("/api/v1/opportunities?created_from=2000-01-01T00:00:00%2B08:00").size(), 4u);
  EXPECT_EQ(Listed("/api/v1/activities?occurred_before=2026-01-01T00:00:00Z"), Names());
}

TEST_F(RecordListTest, CloseDateRangeAndCustomFields) {
  {
    StoreLease store = env_->Store();
    model::Record gold{model::EntityKind::kOpportunity, "opp_gz", {}, {}};
    gold.fields["close_date"] = model::CivilDate{std::chrono::year(2026), std::chrono::month(6),
                                                 std::chrono::day(30)};
    gold.custom_fields["tier"] = std::string("gold");
    ASSERT_TRUE(store->Upsert(std::span<const model::Record>(&gold, 1)).ok());
  }

  EXPECT_EQ(Listed("/api/v1/opportunities?close_date_from=2026-06-01&close_date_to=2026-06-30"),
            Names({"opp_gz"}));
  EXPECT_EQ(Listed("/api/v1/opportunities?close_date_to=2026-06-29"), Names());

  ApiResponse filtered = admin_->Get("/api/v1/opportunities?cf.tier=gold");
  if (filtered.status == 200) {
    ASSERT_EQ(filtered.json["items"].size(), 1u) << filtered.body;
    EXPECT_EQ(filtered.json["items"][0]["custom_fields"]["tier"], "gold");
    EXPECT_EQ(filtered.json["items"][0]["close_date"], "2026-06-30");
  } else {
    ADD_FAILURE() << filtered.body;
  }
  ExpectBadRequest("/api/v1/opportunities?cf.tier=platinum", "cf.tier", "gold, silver");
  ExpectBadRequest("/api/v1/opportunities?cf.nope=1", "nope", "cf.tier");
}

TEST_F(RecordListTest, BadParametersNameTheParameterAndTheChoices) {
  ExpectBadRequest("/api/v1/opportunities?sort=-bogus", "sort", "amount");
  ExpectBadRequest("/api/v1/accounts?sort=amount", "sort", "name");
  ExpectBadRequest("/api/v1/opportunities?stage=closed", "stage", "prospecting, engaging, won, lost");
  ExpectBadRequest("/api/v1/accounts?stage=won", "stage", "owner_id");
  ExpectBadRequest("/api/v1/opportunities?limit=0", "limit", "500");
  ExpectBadRequest("/api/v1/opportunities?owner_id=abc", "owner_id", "integer");
  ExpectBadRequest("/api/v1/opportunities?close_date_from=2026-13-01", "close_date_from",
                   "YYYY-MM-DD");
  ExpectBadRequest("/api/v1/leads?created_from=yesterday", "created_from", "RFC 3339");
  ExpectBadRequest("/api/v1/activities?opportunity_id=1&lead_id=2", "lead_id", "one subject");
  ExpectBadRequest("/api/v1/opportunities?cursor=%21%21", "cursor", "first page");

  // A cursor of one sort does not continue another.
  ApiResponse first = admin_->Get("/api/v1/opportunities?limit=1&sort=amount");
  ASSERT_EQ(first.status, 200);
  std::string cursor = first.json["next_cursor"].get<std::string>();
  ExpectBadRequest("/api/v1/opportunities?limit=1&sort=name&cursor=" + cursor, "cursor",
                   "first page");
}

TEST_F(RecordListTest, ChineseMessagesByDefault) {
  ApiResponse response = admin_->Get("/api/v1/opportunities?sort=bogus");
  ASSERT_EQ(response.status, 400);
  EXPECT_NE(response.json["message"].get<std::string>().find("排序字段"), std::string::npos)
      << response.body;
}

}  // namespace
}  // namespace salesradar::api::testing
