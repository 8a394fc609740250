#include "report/pipeline_text.h"

#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "report/report_test_data.h"
#include "report/text_width.h"

namespace salesradar::report {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

// Returns the lines of the table whose header line starts with `header`.
std::vector<std::string> TableStartingWith(const std::string& text, const std::string& header) {
  std::vector<std::string> table;
  for (const std::string& line : Lines(text)) {
    if (table.empty() && line.rfind(header, 0) != 0) {
      continue;
    }
    if (line.empty()) {
      break;
    }
    table.push_back(line);
  }
  return table;
}

TEST(PipelineTextTest, ChineseHeadersByDefault) {
  std::string text =
      RenderPipelineText(testing::ChineseSampleReport(GroupBy::kNone), TextOptions{});
  EXPECT_NE(text.find("销售管道报告（截至 2017-12-31）"), std::string::npos);
  EXPECT_NE(text.find("赢单率"), std::string::npos);
  EXPECT_NE(text.find("66.7% (2 / 3)"), std::string::npos);
  EXPECT_NE(text.find("¥1,238,567.89"), std::string::npos);
  EXPECT_NE(text.find("0.00 USD"), std::string::npos);
}

TEST(PipelineTextTest, EnglishHeadersWithEnglishLocale) {
  TextOptions options;
  options.locale = Locale::kEnglish;
  std::string text = RenderPipelineText(testing::ChineseSampleReport(GroupBy::kNone), options);
  EXPECT_NE(text.find("Pipeline report as of 2017-12-31"), std::string::npos);
  EXPECT_NE(text.find("Win rate"), std::string::npos);
  EXPECT_NE(text.find("Prospecting"), std::string::npos);
  EXPECT_EQ(text.find("赢单率"), std::string::npos);
}

// The last column of the group table is right-aligned, so every line has the same display
// width. A wrong width for Chinese names would break that.
TEST(PipelineTextTest, GroupTableAlignedForChineseNames) {
  std::string text =
      RenderPipelineText(testing::ChineseSampleReport(GroupBy::kRep), TextOptions{});
  std::vector<std::string> table = TableStartingWith(text, "销售 ");
  ASSERT_EQ(table.size(), 6u);  // header, rule, 张伟, John Smith, rule, 合计
  size_t width = DisplayWidth(table[0]);
  for (const std::string& line : table) {
    EXPECT_EQ(DisplayWidth(line), width) << line;
  }
  EXPECT_EQ(table[2].rfind("张伟", 0), 0u);  // the zh collation puts Han before Latin
  EXPECT_EQ(table[3].rfind("John Smith", 0), 0u);
  EXPECT_EQ(table[5].rfind("合计", 0), 0u);
}

TEST(PipelineTextTest, ListsFlaggedDeals) {
  std::string text =
      RenderPipelineText(testing::ChineseSampleReport(GroupBy::kNone), TextOptions{});
  EXPECT_NE(text.find("未关闭时间最长的商机（前 1 个，共 1 个）"), std::string::npos);
  EXPECT_NE(text.find("折扣最大的赢单（前 1 个，共 1 个）"), std::string::npos);
  EXPECT_NE(text.find("17.03%"), std::string::npos);
  EXPECT_NE(text.find("上海精工机械有限公司"), std::string::npos);
}

TEST(PipelineTextTest, ListsCanBeTurnedOff) {
  TextOptions options;
  options.max_listed_deals = 0;
  std::string text = RenderPipelineText(testing::ChineseSampleReport(GroupBy::kNone), options);
  EXPECT_EQ(text.find("未关闭时间最长的商机"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::report
