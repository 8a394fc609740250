#include "ingest/csv_reader.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

struct ParsedRecord {
  int64_t line;
  std::vector<std::string> fields;
  CsvProblem problem;
};

// Reads every record of `text`, served in chunks of `chunk_size` bytes.
std::vector<ParsedRecord> ReadAll(const std::string& text, size_t chunk_size) {
  StringTextSource source(text, chunk_size);
  CsvReader reader(source);
  CsvRecord record;
  std::vector<ParsedRecord> out;
  while (true) {
    Result<bool> more = reader.Next(record);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) {
      return out;
    }
    ParsedRecord parsed{record.line(), {}, record.problem()};
    for (size_t i = 0; i < record.size(); ++i) {
      parsed.fields.emplace_back(record.field(i));
    }
    out.push_back(std::move(parsed));
  }
}

// Every test runs with chunk sizes that split the text at every kind of position.
class CsvReaderTest : public ::testing::TestWithParam<size_t> {};

INSTANTIATE_TEST_SUITE_P(ChunkSizes, CsvReaderTest, ::testing::Values(1, 2, 3, 7, 4096));

TEST_P(CsvReaderTest, PlainRecordsWithLf) {
  auto records = ReadAll("id,name\n1,Acme\n2,华为\n", GetParam());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].fields, (std::vector<std::string>{"id", "name"}));
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"2", "华为"}));
  EXPECT_EQ(records[2].line, 3);
}

TEST_P(CsvReaderTest, CrlfAndMissingFinalNewline) {
  auto records = ReadAll("a,b\r\n1,2\r\n3,4", GetParam());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"3", "4"}));
  EXPECT_EQ(records[2].line, 3);
}

TEST_P(CsvReaderTest, QuotedDelimitersQuotesAndNewlines) {
  std::string text =
      "id,note\r\n"
      "1,\"Smith, John\"\r\n"
      "2,\"say \"\"hi\"\"\"\r\n"
      "3,\"first line\r\nsecond line\"\r\n"
      "4,after\r\n";
  auto records = ReadAll(text, GetParam());
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[1].fields[1], "Smith, John");
  EXPECT_EQ(records[2].fields[1], "say \"hi\"");
  EXPECT_EQ(records[3].fields[1], "first line\nsecond line");
  EXPECT_EQ(records[3].line, 4);
  // The record after a two-line field starts on line 6.
  EXPECT_EQ(records[4].line, 6);
  EXPECT_EQ(records[4].fields[1], "after");
}

TEST_P(CsvReaderTest, EmptyFieldsAndEmptyLines) {
  auto records = ReadAll("a,b,c\n\n,,\n1,,\"\"\n\n", GetParam());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(records[1].line, 3);
  EXPECT_EQ(records[2].fields, (std::vector<std::string>{"1", "", ""}));
  EXPECT_EQ(records[2].line, 4);
}

TEST_P(CsvReaderTest, TrailingDelimiterGivesEmptyLastField) {
  auto records = ReadAll("a,b\n1,", GetParam());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"1", ""}));
}

TEST_P(CsvReaderTest, UnterminatedQuoteAtEndIsReported) {
  auto records = ReadAll("id,note\n1,ok\n2,\"truncated here", GetParam());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].problem, CsvProblem::kNone);
  EXPECT_EQ(records[2].problem, CsvProblem::kUnterminatedQuote);
  EXPECT_EQ(records[2].line, 3);
  EXPECT_EQ(records[2].fields[1], "truncated here");
}

TEST_P(CsvReaderTest, TextAfterClosingQuoteIsReportedAndSkipped) {
  auto records = ReadAll("a,b\n\"x\"y,2\n3,4\n", GetParam());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].problem, CsvProblem::kTextAfterQuote);
  EXPECT_EQ(records[1].fields, (std::vector<std::string>{"xy", "2"}));
  EXPECT_EQ(records[2].problem, CsvProblem::kNone);
  EXPECT_EQ(records[2].line, 3);
}

TEST_P(CsvReaderTest, QuoteInsideUnquotedFieldIsText) {
  auto records = ReadAll("a\n12\" monitor\n", GetParam());
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[1].fields[0], "12\" monitor");
}

TEST_P(CsvReaderTest, LoneCarriageReturnEndsRecord) {
  auto records = ReadAll("a\r1\r2", GetParam());
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[2].fields[0], "2");
  EXPECT_EQ(records[2].line, 3);
}

TEST(CsvReaderLimitTest, OverlongRecordStopsReading) {
  StringTextSource source("a\n\"" + std::string(100, 'x'), 8);
  CsvOptions options;
  options.max_record_bytes = 50;
  CsvReader reader(source, options);
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(record));
  Result<bool> next = reader.Next(record);
  ASSERT_FALSE(next.ok());
  EXPECT_NE(next.error().message_en().find("line 2"), std::string::npos);
}

TEST(CsvReaderLimitTest, SemicolonDelimiter) {
  StringTextSource source("a;b\n\"1;2\";3\n");
  CsvOptions options;
  options.delimiter = ';';
  CsvReader reader(source, options);
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(record));
  ASSERT_TRUE(*reader.Next(record));
  ASSERT_EQ(record.size(), 2u);
  EXPECT_EQ(record.field(0), "1;2");
  EXPECT_EQ(record.field(1), "3");
}

}  // namespace
}  // namespace salesradar::ingest
