// Chinese names go through `salesradar import` and come back unchanged in the JSON report.
// The data (tests/report/data/chinese) has the bundled sample's layout, so the sample's mapping
// files import it. It includes full-width brackets, an ideographic comma, a middle dot and a
// character outside the Basic Multilingual Plane (𠮷, four bytes in UTF-8). Mappings keep
// names as written by default (no full-width to half-width folding for free text).
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report_test_support.h"

namespace salesradar::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class ChineseRoundTripTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new testing::TempDirectory("chinese_round_trip");
    database_ = (directory_->path() / "chinese.db").string();
    import_status_ = testing::ImportSample(DataDirectory(), database_,
                                           directory_->path() / "import.log");
  }
  static void TearDownTestSuite() {
    delete directory_;
    directory_ = nullptr;
  }

  static fs::path DataDirectory() {
    return fs::path(SALESRADAR_SOURCE_DIR) / "tests" / "report" / "data" / "chinese";
  }

  // Runs the JSON report grouped by `by` and returns it, or null after a test failure.
  static json Report(const std::string& by) {
    testing::CommandOutput output = testing::RunSalesradar({"--database", database_, "report",
                                                            "pipeline", "--json", "--as-of",
                                                            "2017-12-31", "--by", by});
    EXPECT_EQ(output.status, 0) << output.text;
    return output.status == 0 ? json::parse(output.text) : json();
  }

  static std::set<std::string> GroupNames(const json& report) {
    std::set<std::string> names;
    for (const json& group : report["groups"]) {
      names.insert(group["name"].get<std::string>());
    }
    return names;
  }

  static testing::TempDirectory* directory_;
  static std::string database_;
  static int import_status_;
};

testing::TempDirectory* ChineseRoundTripTest::directory_ = nullptr;
std::string ChineseRoundTripTest::database_;
int ChineseRoundTripTest::import_status_ = -1;

TEST_F(ChineseRoundTripTest, RepAndProductNamesUnchanged) {
  ASSERT_EQ(import_status_, 0) << testing::ReadFile(directory_->path() / "import.log");

  EXPECT_EQ(GroupNames(Report("rep")),
            (std::set<std::string>{"张伟", "李娜", "欧阳·娜娜", "𠮷祥"}));
  EXPECT_EQ(GroupNames(Report("product")),
            (std::set<std::string>{"智能网关 专业版", "工业传感器"}));
  EXPECT_EQ(GroupNames(Report("region")), (std::set<std::string>{"华东区", "华北区"}));
}

TEST_F(ChineseRoundTripTest, DealListsCarryAccountNamesUnchanged) {
  ASSERT_EQ(import_status_, 0) << testing::ReadFile(directory_->path() / "import.log");
  json total = Report("rep")["total"];

  ASSERT_EQ(total["stale"]["count"], 2);
  const json& oldest = total["stale"]["deals"][0];
  EXPECT_EQ(oldest["id"], "ZH-003");
  EXPECT_EQ(oldest["owner"], "欧阳·娜娜");
  EXPECT_EQ(oldest["account"], "深圳𠮷祥科技");
  EXPECT_EQ(oldest["product"], "智能网关 专业版");
  EXPECT_EQ(oldest["age_days"], 360);
  const json& second = total["stale"]["deals"][1];
  EXPECT_EQ(second["id"], "ZH-002");
  EXPECT_EQ(second["account"], "北京（海淀）医疗器械、设备股份公司");

  ASSERT_EQ(total["won_below_list"]["count"], 1);
  const json& discounted = total["won_below_list"]["deals"][0];
  EXPECT_EQ(discounted["id"], "ZH-001");
  EXPECT_EQ(discounted["owner"], "张伟");
  EXPECT_EQ(discounted["account"], "上海精工机械有限公司");
  EXPECT_EQ(discounted["discount_percent"], "17.03");
}

TEST_F(ChineseRoundTripTest, TableOutputShowsChineseNames) {
  ASSERT_EQ(import_status_, 0);
  testing::CommandOutput output = testing::RunSalesradar(
      {"--database", database_, "report", "pipeline", "--as-of", "2017-12-31", "--by", "rep"});
  ASSERT_EQ(output.status, 0) << output.text;
  EXPECT_NE(output.text.find("欧阳·娜娜"), std::string::npos) << output.text;
  EXPECT_NE(output.text.find("北京（海淀）医疗器械、设备股份公司"), std::string::npos) << output.text;
}

}  // namespace
}  // namespace salesradar::report
