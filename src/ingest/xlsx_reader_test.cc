#include "ingest/xlsx_reader.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

namespace fs = std::filesystem;

// Made by tests/data/ingest/make_xlsx.py.
std::string FixturePath() { return std::string(SALESRADAR_SOURCE_DIR) + "/tests/data/ingest/opportunities.xlsx"; }

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(XlsxReader, ReadsFirstSheetRows) {
  std::vector<std::pair<int64_t, std::vector<std::string>>> rows;
  Status read = ReadXlsx(FixturePath(), [&](int64_t number, std::vector<std::string>& cells) -> Status {
    rows.emplace_back(number, cells);
    return OkStatus();
  });
  ASSERT_TRUE(read.ok()) << read.error().ToLogString();

  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].first, 1);
  EXPECT_EQ(rows[0].second.front(), "商机编号");
  EXPECT_EQ(rows[0].second[1], "商机名称");  // rich text joined, phonetic run left out
  EXPECT_EQ(rows[1].second,
            (std::vector<std::string>{"X001", "华为 5G 基站电源采购", "华为技术有限公司", "张伟", "赢单", "1200000",
                                      "2024-01-05", "2024-03-01"}));
  EXPECT_EQ(rows[2].second[2], "");  // the cell left out of the row
  EXPECT_EQ(rows[2].second[5], "350000.5");
  EXPECT_EQ(rows[2].second[6], "2024-02-10");
  EXPECT_EQ(rows[3].second[6], "不是日期");
}

TEST(XlsxReader, ConvertsToCsv) {
  fs::path csv = fs::path(::testing::TempDir()) / "xlsx_reader_test.csv";
  Result<int64_t> rows = ConvertXlsxToCsv(FixturePath(), csv.string());
  ASSERT_TRUE(rows.ok()) << rows.error().ToLogString();
  EXPECT_EQ(*rows, 4);

  std::string text = ReadFile(csv);
  EXPECT_EQ(text.substr(0, text.find("\r\n")), "商机编号,商机名称,客户,负责人,阶段,金额,开始日期,结束日期");
  EXPECT_NE(text.find("X002,\"腾讯云机房改造, 二期\",,李娜,洽谈中,350000.5,2024-02-10,\r\n"), std::string::npos);
}

TEST(XlsxReader, RejectsFileThatIsNoZip) {
  fs::path path = fs::path(::testing::TempDir()) / "not_a_workbook.xlsx";
  std::ofstream(path) << "id,name\n1,a\n";
  Status read = ReadXlsx(path.string(), [](int64_t, std::vector<std::string>&) { return OkStatus(); });
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(read.error().message_en().find("not a valid XLSX"), std::string::npos);
}

TEST(XlsxReader, MissingFileIsNotFound) {
  Status read = ReadXlsx("/nonexistent/book.xlsx", [](int64_t, std::vector<std::string>&) { return OkStatus(); });
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code(), ErrorCode::kNotFound);
}

TEST(XlsxReader, HandlerErrorStopsReading) {
  int calls = 0;
  Status read = ReadXlsx(FixturePath(), [&](int64_t, std::vector<std::string>&) -> Status {
    ++calls;
    return InvalidArgument("停", "stop");
  });
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().message_en(), "stop");
  EXPECT_EQ(calls, 1);
}

TEST(XlsxReader, PartSizeLimit) {
  XlsxLimits limits;
  limits.max_part_bytes = 100;
  Status read = ReadXlsx(FixturePath(), [](int64_t, std::vector<std::string>&) { return OkStatus(); }, limits);
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.error().message_en().find("larger than 100 bytes"), std::string::npos);
}

TEST(XlsxCells, ColumnIndex) {
  EXPECT_EQ(ColumnIndexOfCellReference("A1"), 0);
  EXPECT_EQ(ColumnIndexOfCellReference("H12"), 7);
  EXPECT_EQ(ColumnIndexOfCellReference("Z3"), 25);
  EXPECT_EQ(ColumnIndexOfCellReference("AA3"), 26);
  EXPECT_EQ(ColumnIndexOfCellReference("XFD1"), 16383);
  EXPECT_EQ(ColumnIndexOfCellReference("12"), -1);
}

TEST(XlsxCells, SerialDates) {
  EXPECT_EQ(FormatExcelSerial(45296, false), "2024-01-05");
  EXPECT_EQ(FormatExcelSerial(45296.5, false), "2024-01-05 12:00:00");
  EXPECT_EQ(FormatExcelSerial(1, false), "1900-01-01");
  EXPECT_EQ(FormatExcelSerial(61, false), "1900-03-01");
  EXPECT_EQ(FormatExcelSerial(0.75, false), "18:00:00");
  EXPECT_EQ(FormatExcelSerial(0, true), "1904-01-01");
  EXPECT_EQ(FormatExcelSerial(45296.99999999, false), "2024-01-06");
}

TEST(XlsxCells, DateFormats) {
  EXPECT_TRUE(IsDateFormat(14, ""));
  EXPECT_TRUE(IsDateFormat(31, ""));  // a built-in Chinese date format
  EXPECT_FALSE(IsDateFormat(0, "General"));
  EXPECT_FALSE(IsDateFormat(4, "#,##0.00"));
  EXPECT_TRUE(IsDateFormat(176, "yyyy\"年\"m\"月\"d\"日\""));
  EXPECT_TRUE(IsDateFormat(177, "hh:mm"));
  EXPECT_FALSE(IsDateFormat(178, "[$¥-804]#,##0.00"));
  EXPECT_FALSE(IsDateFormat(179, "0.00\"days\""));
}

TEST(XlsxCells, CsvQuoting) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
}

}  // namespace
}  // namespace salesradar::ingest
