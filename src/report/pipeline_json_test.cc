#include "report/pipeline_json.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "report/report_test_data.h"

namespace salesradar::report {
namespace {

using nlohmann::json;

TEST(PipelineJsonTest, StableTopLevelFields) {
  json out = json::parse(RenderPipelineJson(testing::ChineseSampleReport(GroupBy::kRep),
                                            Locale::kChinese));
  EXPECT_EQ(out["report"], "pipeline");
  EXPECT_EQ(out["version"], 1);
  EXPECT_EQ(out["as_of"], "2017-12-31");
  EXPECT_EQ(out["group_by"], "rep");
  EXPECT_EQ(out["stale_days"], 90);
  EXPECT_EQ(out["max_discount_basis_points"], 1500);
  EXPECT_EQ(out["opportunities_read"], 5);
  EXPECT_EQ(out["excluded_engaged_after_as_of"], 0);
  EXPECT_EQ(out["total"]["key"], "all");
  EXPECT_EQ(out["groups"].size(), 2u);
}

TEST(PipelineJsonTest, MoneyAsIntegerFenPerCurrency) {
  json total = json::parse(RenderPipelineJson(testing::ChineseSampleReport(GroupBy::kNone),
                                              Locale::kChinese))["total"];
  json won = total["stages"][2];
  EXPECT_EQ(won["stage"], "won");
  EXPECT_EQ(won["label"], "赢单");
  EXPECT_EQ(won["count"], 2);
  ASSERT_EQ(won["amounts"].size(), 1u);
  EXPECT_EQ(won["amounts"][0]["fen"], 123856789);
  EXPECT_EQ(won["amounts"][0]["currency"], "CNY");
  EXPECT_EQ(won["amounts"][0]["formatted"], "¥1,238,567.89");

  json lost = total["stages"][3];
  EXPECT_EQ(lost["amounts"][0]["currency"], "USD");
  EXPECT_EQ(lost["amounts"][0]["formatted"], "0.00 USD");
}

TEST(PipelineJsonTest, RatiosKeepNumeratorAndDenominator) {
  json total = json::parse(RenderPipelineJson(testing::ChineseSampleReport(GroupBy::kNone),
                                              Locale::kEnglish))["total"];
  EXPECT_EQ(total["win_rate"]["won"], 2);
  EXPECT_EQ(total["win_rate"]["closed"], 3);
  EXPECT_EQ(total["win_rate"]["percent"], "66.7%");
  EXPECT_EQ(total["days_to_close"]["closed"], 3);
  EXPECT_EQ(total["days_to_close"]["total_days"], 3 * 40);
  EXPECT_EQ(total["days_to_close"]["average"], "40.0");
  EXPECT_EQ(total["stages"][2]["label"], "Won");
}

TEST(PipelineJsonTest, FindingsNameDealsWithChineseTextUnchanged) {
  json total = json::parse(RenderPipelineJson(testing::ChineseSampleReport(GroupBy::kNone),
                                              Locale::kChinese))["total"];
  ASSERT_EQ(total["stale"]["count"], 1);
  json stale = total["stale"]["deals"][0];
  EXPECT_EQ(stale["id"], "商机-4");
  EXPECT_EQ(stale["name"], "年度采购");
  EXPECT_EQ(stale["owner"], "张伟");
  EXPECT_EQ(stale["account"], "上海精工机械有限公司");
  EXPECT_EQ(stale["product"], "GTX 专业版");
  EXPECT_EQ(stale["engage_date"], "2017-03-01");
  EXPECT_TRUE(stale["close_date"].is_null());
  EXPECT_TRUE(stale["amount"].is_null());
  EXPECT_EQ(stale["age_days"], 305);

  ASSERT_EQ(total["won_below_list"]["count"], 1);
  json cheap = total["won_below_list"]["deals"][0];
  EXPECT_EQ(cheap["id"], "商机-1");
  EXPECT_EQ(cheap["list_price"]["fen"], 482100);
  EXPECT_EQ(cheap["discount_basis_points"], 1703);
  EXPECT_EQ(cheap["discount_percent"], "17.03");
}

TEST(PipelineJsonTest, InvalidUtf8IsReplacedNotThrown) {
  PipelineReport report = testing::ChineseSampleReport(GroupBy::kRep);
  report.groups[0].name = "bad\xFFname";
  json out = json::parse(RenderPipelineJson(report, Locale::kChinese));
  EXPECT_EQ(out["groups"][0]["name"], "bad\xEF\xBF\xBDname");
}

}  // namespace
}  // namespace salesradar::report
