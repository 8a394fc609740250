// Imports the bundled CRM sample with the real `salesradar` binary into a temporary database
// and checks the pipeline report against figures computed here from the raw CSV.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "report_test_support.h"

namespace salesradar::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Per-stage counts and the won amount, read straight from sales_pipeline.csv. The file has no
// quoted fields; lines end in CRLF.
struct RawPipeline {
  std::map<std::string, int64_t> stage_counts;  // lower-case stage -> rows
  int64_t won_fen = 0;
  int64_t rows = 0;
};

RawPipeline ReadRawPipeline(const fs::path& csv) {
  RawPipeline raw;
  std::ifstream in(csv, std::ios::binary);
  EXPECT_TRUE(in) << csv;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.empty()) {
      continue;
    }
    std::vector<std::string> cells;
    size_t start = 0;
    for (size_t comma; (comma = line.find(',', start)) != std::string::npos; start = comma + 1) {
      cells.push_back(line.substr(start, comma - start));
    }
    cells.push_back(line.substr(start));
    EXPECT_EQ(cells.size(), 8u) << line;

    std::string stage = cells[4];
    for (char& c : stage) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    raw.stage_counts[stage] += 1;
    if (stage == "won") {
      raw.won_fen += std::stoll(cells[7]) * 100;  // whole dollars in the sample
    }
    raw.rows += 1;
  }
  return raw;
}

class SampleImportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    directory_ = new testing::TempDirectory("sample_import");
    database_ = (directory_->path() / "sample.db").string();
    import_status_ = testing::ImportSample(testing::SampleDataDirectory(), database_,
                                           directory_->path() / "import.log");
  }
  static void TearDownTestSuite() {
    delete directory_;
    directory_ = nullptr;
  }

  static testing::TempDirectory* directory_;
  static std::string database_;
  static int import_status_;
};

testing::TempDirectory* SampleImportTest::directory_ = nullptr;
std::string SampleImportTest::database_;
int SampleImportTest::import_status_ = -1;

TEST_F(SampleImportTest, StageCountsAndWonAmountMatchRawCsv) {
  ASSERT_EQ(import_status_, 0) << testing::ReadFile(directory_->path() / "import.log");
  RawPipeline raw = ReadRawPipeline(testing::SampleDataDirectory() / "sales_pipeline.csv");
  ASSERT_EQ(raw.rows, 8800);

  testing::CommandOutput output = testing::RunSalesradar(
      {"--database", database_, "report", "pipeline", "--json", "--as-of", "2017-12-31"});
  ASSERT_EQ(output.status, 0) << output.text;
  json report = json::parse(output.text);

  EXPECT_EQ(report["opportunities_read"], raw.rows);
  EXPECT_EQ(report["excluded_engaged_after_as_of"], 0);
  const json& total = report["total"];
  EXPECT_EQ(total["opportunities"], raw.rows);

  std::map<std::string, int64_t> reported_counts;
  for (const json& stage : total["stages"]) {
    reported_counts[stage["stage"].get<std::string>()] = stage["count"].get<int64_t>();
  }
  EXPECT_EQ(reported_counts, raw.stage_counts);

  const json& won = total["stages"][2];
  ASSERT_EQ(won["stage"], "won");
  ASSERT_EQ(won["amounts"].size(), 1u) << won.dump();
  EXPECT_EQ(won["amounts"][0]["fen"], raw.won_fen);
  EXPECT_EQ(total["won"], raw.stage_counts["won"]);
  EXPECT_EQ(total["lost"], raw.stage_counts["lost"]);
}

TEST_F(SampleImportTest, TableReportInBothLanguages) {
  ASSERT_EQ(import_status_, 0);

  testing::CommandOutput zh = testing::RunSalesradar(
      {"--database", database_, "report", "pipeline", "--as-of", "2017-12-31", "--by", "region"});
  ASSERT_EQ(zh.status, 0) << zh.text;
  EXPECT_NE(zh.text.find("销售管道报告（截至 2017-12-31）"), std::string::npos);
  EXPECT_NE(zh.text.find("统计商机 8,800 个"), std::string::npos) << zh.text;
  EXPECT_NE(zh.text.find("4,238"), std::string::npos);

  testing::CommandOutput en = testing::RunSalesradar({"--database", database_, "--lang", "en",
                                                      "report", "pipeline", "--as-of",
                                                      "2017-12-31", "--by", "team"});
  ASSERT_EQ(en.status, 0) << en.text;
  EXPECT_NE(en.text.find("Pipeline report as of 2017-12-31"), std::string::npos);
  EXPECT_NE(en.text.find("8,800 opportunities counted"), std::string::npos) << en.text;
}

TEST_F(SampleImportTest, EveryGroupingCoversAllDeals) {
  ASSERT_EQ(import_status_, 0);
  for (const char* by : {"team", "region", "rep", "product"}) {
    testing::CommandOutput output = testing::RunSalesradar({"--database", database_, "report",
                                                            "pipeline", "--json", "--as-of",
                                                            "2017-12-31", "--by", by});
    ASSERT_EQ(output.status, 0) << by << ": " << output.text;
    json report = json::parse(output.text);
    int64_t sum = 0;
    for (const json& group : report["groups"]) {
      sum += group["opportunities"].get<int64_t>();
    }
    EXPECT_EQ(sum, 8800) << by;
    EXPECT_GT(report["groups"].size(), 1u) << by;
  }
}

TEST_F(SampleImportTest, BadAsOfDateNamesValueAndFormat) {
  testing::CommandOutput output = testing::RunSalesradar(
      {"--database", database_, "report", "pipeline", "--as-of", "2017-02-30"});
  EXPECT_EQ(output.status, 2);
  EXPECT_NE(output.text.find("'2017-02-30'"), std::string::npos) << output.text;
  EXPECT_NE(output.text.find("YYYY-MM-DD"), std::string::npos) << output.text;
}

TEST(ReportCommandTest, MissingDatabaseSaysToImportFirst) {
  testing::TempDirectory directory("missing_db");
  std::string database = (directory.path() / "none.db").string();
  testing::CommandOutput output = testing::RunSalesradar(
      {"--database", database, "--lang", "en", "report", "pipeline"});
  EXPECT_EQ(output.status, 1);
  EXPECT_NE(output.text.find("salesradar import"), std::string::npos) << output.text;
  EXPECT_FALSE(fs::exists(database)) << "the report must not create a database";
}

TEST(ReportCommandTest, EmptyDatabaseSaysToImportFirst) {
  testing::TempDirectory directory("empty_db");
  std::string database = (directory.path() / "empty.db").string();
  // Importing only the products leaves a database with a schema and no opportunity.
  ASSERT_EQ(testing::ImportOne(testing::SampleDataDirectory() / "products.csv", "products.yaml",
                               database, directory.path() / "import.log"),
            0);

  testing::CommandOutput output =
      testing::RunSalesradar({"--database", database, "report", "pipeline"});
  EXPECT_EQ(output.status, 1);
  EXPECT_NE(output.text.find("没有商机"), std::string::npos) << output.text;
  EXPECT_NE(output.text.find("salesradar import"), std::string::npos) << output.text;
}

}  // namespace
}  // namespace salesradar::report
