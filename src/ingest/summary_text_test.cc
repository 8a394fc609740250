#include "ingest/summary_text.h"

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

TargetSummary PipelineSummary() {
  TargetSummary summary;
  summary.file = "/data/sales_pipeline.csv";
  summary.entity = model::EntityKind::kOpportunity;
  summary.rows_read = 10;
  summary.inserted = 6;
  summary.updated = 1;
  summary.unchanged = 1;
  summary.rejected = 2;
  UnresolvedReferences account;
  account.field = "account";
  account.column = "account";
  account.target = model::EntityKind::kAccount;
  account.counts = {{"", 3}, {"Acme Inc", 1}};
  summary.unresolved.push_back(account);
  return summary;
}

TEST(FormatSummaryTest, EnglishCountsAndUnresolvedValues) {
  std::vector<TargetSummary> summaries = {PipelineSummary()};
  EXPECT_EQ(FormatSummary(summaries, Locale::kEnglish),
            "sales_pipeline.csv -> opportunity: 10 rows read: 6 inserted, 1 updated, 1 unchanged, "
            "2 rejected\n"
            "  unresolved account (column 'account', optional, left empty):\n"
            "    (empty) ×3\n"
            "    'Acme Inc' ×1\n");
}

TEST(FormatSummaryTest, ChineseWithTotalForSeveralTargets) {
  TargetSummary teams;
  teams.file = "teams.csv";
  teams.entity = model::EntityKind::kOrgUnit;
  teams.description = "大区";
  teams.rows_read = 4;
  teams.inserted = 2;
  teams.duplicates = 2;
  std::vector<TargetSummary> summaries = {teams, PipelineSummary()};
  std::string text = FormatSummary(summaries, Locale::kChinese);
  EXPECT_NE(text.find("teams.csv → 组织单元（org_unit，大区）：读取 4 行：新增 2，更新 0，未变 0，"
                      "拒绝 0，跳过重复行 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("（空） ×3"), std::string::npos) << text;
  EXPECT_NE(text.find("合计：读取 14 行：新增 8，更新 1，未变 1，拒绝 2，跳过重复行 2\n"),
            std::string::npos)
      << text;
}

TEST(FormatSummaryTest, ManyUnresolvedValuesAreSummedUp) {
  TargetSummary summary = PipelineSummary();
  summary.unresolved[0].counts.clear();
  for (int i = 0; i < 25; ++i) {
    summary.unresolved[0].counts[std::to_string(100 + i)] = 1;
  }
  summary.unresolved[0].values_not_listed = 7;
  std::vector<TargetSummary> summaries = {summary};
  std::string text = FormatSummary(summaries, Locale::kEnglish);
  EXPECT_NE(text.find("... and 12 more rows with other values"), std::string::npos) << text;
}

}  // namespace
}  // namespace salesradar::ingest
