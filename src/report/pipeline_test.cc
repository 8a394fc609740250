#include "report/pipeline.h"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace salesradar::report {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

model::CivilDate Date(int y, unsigned m, unsigned d) {
  return model::CivilDate{year(y), month(m), day(d)};
}

Timestamp StartOf(model::CivilDate date) {
  return std::chrono::time_point_cast<Microseconds>(std::chrono::sys_days(date));
}

model::Money Cny(int64_t fen) { return model::Money{fen, "CNY"}; }
model::Money Usd(int64_t fen) { return model::Money{fen, "USD"}; }

// A small org chart: company > 华东区 (region) > 上海一组 (team) > 张伟;
// 华北区 (region) > 李娜 (no team); 王芳 has no org unit.
ReferenceData SampleReferences() {
  ReferenceData refs;
  refs.org_units = {{1, "company", "公司", "company", std::nullopt},
                    {2, "east", "华东区", "region", 1},
                    {3, "sh-1", "上海一组", "team", 2},
                    {4, "north", "华北区", "region", 1}};
  refs.users = {{10, "zhang", "张伟", "rep", 3, std::nullopt, ""},
                {11, "li", "李娜", "rep", 4, std::nullopt, ""},
                {12, "wang", "王芳", "rep", std::nullopt, std::nullopt, ""}};
  refs.accounts = {{20, "acme", "上海精工", "", std::nullopt, std::nullopt, "", std::nullopt,
                    std::nullopt}};
  refs.products = {{30, "gtx", "GTX Pro", "GTX", Cny(10000)},
                   {31, "mg", "MG Special", "MG", Usd(5500)},
                   {32, "free", "Sample kit", "", std::nullopt}};
  return refs;
}

PipelineOptions OptionsAsOf(model::CivilDate as_of) {
  PipelineOptions options;
  options.as_of = as_of;
  options.as_of_end = StartOf(std::chrono::sys_days(as_of) + std::chrono::days(1));
  return options;
}

model::Opportunity Deal(int64_t id, std::string stage, std::optional<model::Money> amount) {
  model::Opportunity deal;
  deal.id = id;
  deal.external_id = "D" + std::to_string(id);
  deal.stage = std::move(stage);
  deal.amount = std::move(amount);
  return deal;
}

model::Opportunity ClosedDeal(int64_t id, std::string stage, model::Money amount,
                              model::CivilDate engage, model::CivilDate close) {
  model::Opportunity deal = Deal(id, std::move(stage), std::move(amount));
  deal.engage_date = engage;
  deal.close_date = close;
  return deal;
}

const StageSummary& StageOf(const PipelineSummary& summary, std::string_view stage) {
  for (const StageSummary& entry : summary.stages) {
    if (entry.stage == stage) {
      return entry;
    }
  }
  static const StageSummary kMissing;
  ADD_FAILURE() << "no stage " << stage;
  return kMissing;
}

PipelineReport Build(const PipelineOptions& options, const std::vector<model::Opportunity>& deals) {
  PipelineBuilder builder(options, SampleReferences());
  for (const model::Opportunity& deal : deals) {
    EXPECT_TRUE(builder.Add(deal, {}).ok()) << deal.external_id;
  }
  return std::move(builder).Finish();
}

TEST(PipelineTest, CountsAndSumsPerStageAndCurrency) {
  PipelineReport report = Build(OptionsAsOf(Date(2018, 1, 1)),
                                {ClosedDeal(1, "won", Cny(100), Date(2017, 1, 1), Date(2017, 1, 11)),
                                 ClosedDeal(2, "won", Usd(250), Date(2017, 1, 1), Date(2017, 1, 2)),
                                 ClosedDeal(3, "won", Cny(900), Date(2017, 1, 1), Date(2017, 1, 3)),
                                 ClosedDeal(4, "lost", Cny(0), Date(2017, 1, 1), Date(2017, 1, 5)),
                                 Deal(5, "prospecting", std::nullopt)});

  const PipelineSummary& total = report.total;
  EXPECT_EQ(total.key, "all");
  EXPECT_EQ(total.opportunities, 5);
  ASSERT_EQ(total.stages.size(), 4u);
  EXPECT_EQ(total.stages[0].stage, "prospecting");
  EXPECT_EQ(total.stages[1].stage, "engaging");
  EXPECT_EQ(total.stages[2].stage, "won");
  EXPECT_EQ(total.stages[3].stage, "lost");

  const StageSummary& won = StageOf(total, "won");
  EXPECT_EQ(won.count, 3);
  EXPECT_EQ(won.amounts, (MoneyByCurrency{{"CNY", 1000}, {"USD", 250}}));
  EXPECT_EQ(StageOf(total, "prospecting").count, 1);
  EXPECT_TRUE(StageOf(total, "prospecting").amounts.empty());
  EXPECT_EQ(StageOf(total, "engaging").count, 0);

  EXPECT_EQ(total.won, 3);
  EXPECT_EQ(total.lost, 1);
  EXPECT_EQ(total.closed_with_dates, 4);
  EXPECT_EQ(total.days_to_close_sum, 10 + 1 + 2 + 4);
  EXPECT_TRUE(report.groups.empty());
}

TEST(PipelineTest, UnknownStageListedAfterDefaultStages) {
  PipelineReport report =
      Build(OptionsAsOf(Date(2018, 1, 1)), {Deal(1, "negotiation", Cny(5)), Deal(2, "won", Cny(1))});
  ASSERT_EQ(report.total.stages.size(), 5u);
  EXPECT_EQ(report.total.stages[4].stage, "negotiation");
  EXPECT_EQ(report.total.open, 1);
}

TEST(PipelineTest, ExcludesDealsEngagedAfterAsOf) {
  model::Opportunity late = Deal(1, "engaging", std::nullopt);
  late.engage_date = Date(2017, 6, 2);
  model::Opportunity on_day = Deal(2, "engaging", std::nullopt);
  on_day.engage_date = Date(2017, 6, 1);
  model::Opportunity undated = Deal(3, "prospecting", std::nullopt);

  PipelineReport report = Build(OptionsAsOf(Date(2017, 6, 1)), {late, on_day, undated});
  EXPECT_EQ(report.opportunities_read, 3);
  EXPECT_EQ(report.excluded_engaged_after_as_of, 1);
  EXPECT_EQ(report.total.opportunities, 2);
}

// A deal that closed after the as-of date was still open on it.
TEST(PipelineTest, DealClosedAfterAsOfCountsAsOpen) {
  PipelineReport report =
      Build(OptionsAsOf(Date(2017, 3, 1)),
            {ClosedDeal(1, "won", Cny(100), Date(2017, 2, 1), Date(2017, 3, 2)),
             ClosedDeal(2, "lost", Cny(0), Date(2017, 2, 1), Date(2017, 3, 1))});

  EXPECT_EQ(StageOf(report.total, "engaging").count, 1);
  EXPECT_EQ(StageOf(report.total, "engaging").amounts, (MoneyByCurrency{{"CNY", 100}}));
  EXPECT_EQ(StageOf(report.total, "won").count, 0);
  EXPECT_EQ(StageOf(report.total, "lost").count, 1);
  EXPECT_EQ(report.total.won, 0);
  EXPECT_EQ(report.total.lost, 1);
  EXPECT_EQ(report.total.closed_with_dates, 1);
}

TEST(PipelineTest, StageHistoryRecordedBeforeAsOfEndWins) {
  PipelineOptions options = OptionsAsOf(Date(2017, 3, 1));
  model::Opportunity deal = Deal(1, "won", Cny(100));

  std::vector<model::StageChange> history = {
      {1, "", "prospecting", StartOf(Date(2017, 2, 1))},
      {1, "prospecting", "engaging", StartOf(Date(2017, 3, 1)) + std::chrono::hours(23)},
      {1, "engaging", "won", StartOf(Date(2017, 3, 2))}};

  PipelineBuilder builder(options, SampleReferences());
  ASSERT_TRUE(builder.Add(deal, history).ok());
  PipelineReport report = std::move(builder).Finish();
  EXPECT_EQ(StageOf(report.total, "engaging").count, 1);
  EXPECT_EQ(report.total.won, 0);
}

TEST(PipelineTest, StaleOpenDealsOlderThanThreshold) {
  PipelineOptions options = OptionsAsOf(Date(2017, 12, 31));
  options.stale_days = 90;

  model::Opportunity old_deal = Deal(1, "engaging", std::nullopt);
  old_deal.engage_date = Date(2017, 10, 1);  // 91 days
  model::Opportunity boundary = Deal(2, "engaging", std::nullopt);
  boundary.engage_date = Date(2017, 10, 2);  // 90 days: not older than 90
  model::Opportunity oldest = Deal(3, "engaging", std::nullopt);
  oldest.engage_date = Date(2017, 1, 1);
  model::Opportunity undated = Deal(4, "prospecting", std::nullopt);

  PipelineReport report = Build(options, {old_deal, boundary, oldest, undated});
  EXPECT_EQ(report.total.open, 4);
  EXPECT_EQ(report.total.open_without_engage_date, 1);
  ASSERT_EQ(report.total.stale.size(), 2u);
  EXPECT_EQ(report.total.stale[0].deal.external_id, "D3");
  EXPECT_EQ(report.total.stale[0].age_days, 364);
  EXPECT_EQ(report.total.stale[1].deal.external_id, "D1");
  EXPECT_EQ(report.total.stale[1].age_days, 91);
}

TEST(PipelineTest, FlagsWonBelowListPrice) {
  PipelineOptions options = OptionsAsOf(Date(2018, 1, 1));
  auto won = [](int64_t id, model::Money amount, int64_t product_id) {
    model::Opportunity deal = Deal(id, "won", std::move(amount));
    deal.product_id = product_id;
    deal.owner_id = 10;
    deal.account_id = 20;
    return deal;
  };

  PipelineReport report = Build(options, {won(1, Cny(8500), 30),   // exactly 15 % off: allowed
                                          won(2, Cny(8499), 30),   // 15.01 % off
                                          won(3, Cny(5000), 30),   // 50 % off
                                          won(4, Cny(4000), 31),   // list price is in USD
                                          won(5, Cny(1), 32),      // no list price
                                          won(6, Usd(4675), 31)}); // exactly 15 % of 5500

  ASSERT_EQ(report.total.won_below_list.size(), 2u);
  const UnderpricedDeal& largest = report.total.won_below_list[0];
  EXPECT_EQ(largest.deal.external_id, "D3");
  EXPECT_EQ(largest.discount_basis_points, 5000);
  EXPECT_EQ(largest.list_price, Cny(10000));
  EXPECT_EQ(largest.deal.owner, "张伟");
  EXPECT_EQ(largest.deal.account, "上海精工");
  EXPECT_EQ(largest.deal.product, "GTX Pro");
  EXPECT_EQ(report.total.won_below_list[1].deal.external_id, "D2");
  EXPECT_EQ(report.total.won_below_list[1].discount_basis_points, 1501);
  EXPECT_EQ(report.total.won_not_priced, 2);
}

TEST(PipelineTest, MaxDiscountIsConfigurable) {
  PipelineOptions options = OptionsAsOf(Date(2018, 1, 1));
  options.max_discount_basis_points = 5100;
  model::Opportunity deal = Deal(1, "won", Cny(5000));
  deal.product_id = 30;
  EXPECT_TRUE(Build(options, {deal}).total.won_below_list.empty());
}

TEST(PipelineTest, GroupsByTeamThroughOrgChart) {
  PipelineOptions options = OptionsAsOf(Date(2018, 1, 1));
  options.group_by = GroupBy::kTeam;
  model::Opportunity a = Deal(1, "won", Cny(1));
  a.owner_id = 10;
  model::Opportunity b = Deal(2, "lost", Cny(1));
  b.owner_id = 11;  // in a region without a team
  model::Opportunity c = Deal(3, "won", Cny(1));

  PipelineReport report = Build(options, {a, b, c});
  ASSERT_EQ(report.groups.size(), 2u);
  EXPECT_EQ(report.groups[0].key, "sh-1");
  EXPECT_EQ(report.groups[0].name, "上海一组");
  EXPECT_EQ(report.groups[0].opportunities, 1);
  EXPECT_EQ(report.groups[1].key, "none");
  EXPECT_EQ(report.groups[1].opportunities, 2);
  EXPECT_EQ(report.total.opportunities, 3);
}

TEST(PipelineTest, GroupsByRegionInPinyinOrder) {
  PipelineOptions options = OptionsAsOf(Date(2018, 1, 1));
  options.group_by = GroupBy::kRegion;
  model::Opportunity east = Deal(1, "won", Cny(1));
  east.owner_id = 10;  // team 上海一组 inside 华东区
  model::Opportunity north = Deal(2, "won", Cny(1));
  north.owner_id = 11;

  PipelineReport report = Build(options, {north, east});
  ASSERT_EQ(report.groups.size(), 2u);
  // 华北 (huabei) sorts before 华东 (huadong).
  EXPECT_EQ(report.groups[0].name, "华北区");
  EXPECT_EQ(report.groups[1].name, "华东区");
}

TEST(PipelineTest, GroupsByRepAndProduct) {
  PipelineOptions options = OptionsAsOf(Date(2018, 1, 1));
  model::Opportunity a = Deal(1, "won", Cny(1));
  a.owner_id = 12;
  a.product_id = 31;
  model::Opportunity b = Deal(2, "won", Cny(1));
  b.owner_id = 10;
  b.product_id = 31;

  options.group_by = GroupBy::kRep;
  PipelineReport by_rep = Build(options, {a, b});
  ASSERT_EQ(by_rep.groups.size(), 2u);
  EXPECT_EQ(by_rep.groups[0].name, "王芳");  // wang before zhang
  EXPECT_EQ(by_rep.groups[1].name, "张伟");

  options.group_by = GroupBy::kProduct;
  PipelineReport by_product = Build(options, {a, b});
  ASSERT_EQ(by_product.groups.size(), 1u);
  EXPECT_EQ(by_product.groups[0].key, "mg");
  EXPECT_EQ(by_product.groups[0].won, 2);
}

TEST(PipelineTest, AmountSumOverflowIsRejected) {
  PipelineBuilder builder(OptionsAsOf(Date(2018, 1, 1)), SampleReferences());
  ASSERT_TRUE(builder.Add(Deal(1, "won", Cny(INT64_MAX - 5)), {}).ok());

  Status status = builder.Add(Deal(2, "won", Cny(10)), {});
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message_en().find("'D2'"), std::string::npos);

  PipelineReport report = std::move(builder).Finish();
  EXPECT_EQ(report.total.won, 1);
  EXPECT_EQ(StageOf(report.total, "won").amounts.at("CNY"), INT64_MAX - 5);
}

TEST(GroupByTest, ParsesNames) {
  EXPECT_EQ(*ParseGroupBy("team"), GroupBy::kTeam);
  EXPECT_EQ(*ParseGroupBy("product"), GroupBy::kProduct);
  Result<GroupBy> bad = ParseGroupBy("city");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message_en().find("'city'"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::report
