#include "ingest/row_converter.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

using model::Money;
using model::Value;

constexpr const char* kMapping = R"(entity: opportunity
external_id: {template: "deal:{id}"}
fields:
  name: name
  stage: {column: stage, values: {初步接触: prospecting, 赢单: won}}
  amount: {column: amount, unit: wan, nulls: ["N/A", "-"]}
  engage_date: {column: engaged, formats: [YYYY-MM-DD, YYYY年M月D日]}
  account: account
custom_fields:
  strategic: {column: strategic, type: bool, label: 战略客户}
)";

class RowConverterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Mapping> mapping = ParseMapping(kMapping, "m.yaml");
    ASSERT_TRUE(mapping.ok()) << mapping.error().message_en();
    mapping_ = std::move(mapping).value();
    Result<RowConverter> converter =
        RowConverter::Create(mapping_.targets[0], header_, "m.yaml", "deals.csv");
    ASSERT_TRUE(converter.ok()) << converter.error().message_en();
    converter_.emplace(std::move(converter).value());
  }

  // Parses one CSV data line (after the header) and converts it.
  bool Convert(const std::string& line, ConvertedRow& row, std::vector<RowError>& errors) {
    source_ = std::make_unique<StringTextSource>("header\n" + line);
    reader_ = std::make_unique<CsvReader>(*source_);
    CsvRecord header;
    EXPECT_TRUE(*reader_->Next(header));
    EXPECT_TRUE(*reader_->Next(record_));
    return converter_->Convert(record_, row, errors);
  }

  std::vector<std::string> header_ = {"id",      "name",    "stage",    "amount",
                                      "engaged", "account", "strategic"};
  Mapping mapping_;
  std::optional<RowConverter> converter_;
  std::unique_ptr<StringTextSource> source_;
  std::unique_ptr<CsvReader> reader_;
  CsvRecord record_;
};

TEST_F(RowConverterTest, ConvertsEveryType) {
  ConvertedRow row;
  std::vector<RowError> errors;
  ASSERT_TRUE(Convert(" 17 ,华为（一期）,赢单,\"1,234.5\",2024年3月1日,华为技术,是", row, errors));
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(row.line, 2);
  EXPECT_EQ(row.record.kind, model::EntityKind::kOpportunity);
  EXPECT_EQ(row.record.external_id, "deal:17");
  EXPECT_EQ(row.record.fields.at("name"), Value(std::string("华为（一期）")));
  EXPECT_EQ(row.record.fields.at("stage"), Value(std::string("won")));
  EXPECT_EQ(row.record.fields.at("amount"), Value(Money{1'234'500'000, "CNY"}));
  EXPECT_EQ(
      row.record.fields.at("engage_date"),
      Value(model::CivilDate{std::chrono::year(2024), std::chrono::month(3), std::chrono::day(1)}));
  EXPECT_EQ(row.record.custom_fields.at("strategic"), Value(true));

  // References wait for the importer.
  EXPECT_EQ(row.record.fields.count("account"), 0u);
  ASSERT_EQ(row.references.size(), 1u);
  EXPECT_EQ(row.references[0].key, "华为技术");
  EXPECT_EQ(row.references[0].column, "account");
}

TEST_F(RowConverterTest, EmptyAndNullTextsBecomeNull) {
  ConvertedRow row;
  std::vector<RowError> errors;
  ASSERT_TRUE(Convert("18,,Won,N/A,,,", row, errors));
  EXPECT_TRUE(model::IsNull(row.record.fields.at("name")));
  EXPECT_TRUE(model::IsNull(row.record.fields.at("amount")));
  EXPECT_TRUE(model::IsNull(row.record.fields.at("engage_date")));
  EXPECT_TRUE(model::IsNull(row.record.custom_fields.at("strategic")));
  ASSERT_EQ(row.references.size(), 1u);
  EXPECT_EQ(row.references[0].key, "");
}

TEST_F(RowConverterTest, FullWidthDigitsParse) {
  ConvertedRow row;
  std::vector<RowError> errors;
  ASSERT_TRUE(Convert("１９,x,ＷＯＮ,１２,２０２４-０１-０２,,", row, errors));
  EXPECT_EQ(row.record.external_id, "deal:19");
  EXPECT_EQ(row.record.fields.at("stage"), Value(std::string("won")));
  EXPECT_EQ(row.record.fields.at("amount"), Value(Money{12'000'000, "CNY"}));
}

TEST_F(RowConverterTest, EachBadColumnIsReported) {
  ConvertedRow row;
  std::vector<RowError> errors;
  EXPECT_FALSE(Convert("20,x,Negotiating,-5,2024-02-30,,maybe", row, errors));
  ASSERT_EQ(errors.size(), 4u);
  EXPECT_EQ(errors[0].column, "stage");
  EXPECT_EQ(errors[0].value, "Negotiating");
  EXPECT_EQ(errors[1].column, "amount");
  EXPECT_EQ(errors[1].reason.en, "amount is negative; amounts must be 0 or more");
  EXPECT_EQ(errors[2].column, "engaged");
  EXPECT_EQ(errors[3].column, "strategic");
  for (const RowError& error : errors) {
    EXPECT_EQ(error.line, 2);
  }
}

TEST_F(RowConverterTest, MissingRequiredStageAndId) {
  ConvertedRow row;
  std::vector<RowError> errors;
  EXPECT_FALSE(Convert(",x,,1,,,", row, errors));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].column, "id");
  EXPECT_EQ(errors[0].reason.en, "the external id is empty; every row needs a unique id");
  EXPECT_EQ(errors[1].column, "stage");
  EXPECT_EQ(errors[1].reason.en, "required stage is missing");
}

TEST_F(RowConverterTest, WrongColumnCountNamesBothCounts) {
  ConvertedRow row;
  std::vector<RowError> errors;
  EXPECT_FALSE(Convert("21,x,Won", row, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].column, "");
  EXPECT_EQ(errors[0].reason.en,
            "expected 7 columns as in the header, found 3; check for unquoted commas");
}

TEST_F(RowConverterTest, UnterminatedQuoteIsReported) {
  ConvertedRow row;
  std::vector<RowError> errors;
  EXPECT_FALSE(Convert("22,\"cut off", row, errors));
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].reason.en.find("probably truncated"), std::string::npos);
}

TEST(RowConverterCreateTest, MissingColumnNamesHeaderAndMappingLine) {
  Result<Mapping> mapping = ParseMapping(
      "entity: account\nexternal_id: id\nfields:\n  name: name\n  industry: sectr\n", "m.yaml");
  ASSERT_TRUE(mapping.ok());
  Result<RowConverter> converter =
      RowConverter::Create(mapping->targets[0], {"id", "name", "sector"}, "m.yaml", "accounts.csv");
  ASSERT_FALSE(converter.ok());
  EXPECT_EQ(converter.error().message_en(),
            "m.yaml:5: column 'sectr' is not in the header of accounts.csv; did you mean "
            "'sector'? (header: id, name, sector)");
}

TEST(RowConverterCreateTest, DuplicateHeaderColumnIsRejected) {
  Result<Mapping> mapping =
      ParseMapping("entity: account\nexternal_id: id\nfields:\n  name: name\n", "m.yaml");
  ASSERT_TRUE(mapping.ok());
  Result<RowConverter> converter =
      RowConverter::Create(mapping->targets[0], {"id", "name", "name"}, "m.yaml", "a.csv");
  ASSERT_FALSE(converter.ok());
  EXPECT_NE(converter.error().message_en().find("appears more than once"), std::string::npos);
}

TEST(RowConverterCreateTest, BadConstantFailsBeforeRows) {
  Result<Mapping> mapping = ParseMapping(
      "entity: org_unit\nexternal_id: id\nfields:\n  name: name\n  type: {value: regoin}\n",
      "m.yaml");
  ASSERT_TRUE(mapping.ok());
  Result<RowConverter> converter =
      RowConverter::Create(mapping->targets[0], {"id", "name"}, "m.yaml", "a.csv");
  ASSERT_FALSE(converter.ok());
  EXPECT_NE(converter.error().message_en().find("m.yaml:5: constant 'regoin' of field 'type'"),
            std::string::npos)
      << converter.error().message_en();
}

TEST(RowConverterCreateTest, TimestampsUseTheMappingTimeZone) {
  Result<Mapping> mapping = ParseMapping(
      "entity: activity\nexternal_id: id\nfields:\n  type: {value: call}\n"
      "  occurred_at: {column: at, formats: [YYYY-MM-DD HH:mm], time_zone: Asia/Shanghai}\n",
      "m.yaml");
  ASSERT_TRUE(mapping.ok()) << mapping.error().message_en();
  Result<RowConverter> converter =
      RowConverter::Create(mapping->targets[0], {"id", "at"}, "m.yaml", "a.csv");
  ASSERT_TRUE(converter.ok()) << converter.error().message_en();

  StringTextSource source("id,at\nA1,2024-03-01 08:30\n");
  CsvReader reader(source);
  CsvRecord record;
  ASSERT_TRUE(*reader.Next(record));
  ASSERT_TRUE(*reader.Next(record));
  ConvertedRow row;
  std::vector<RowError> errors;
  ASSERT_TRUE(converter->Convert(record, row, errors));
  // 08:30 in Shanghai (UTC+8) is 00:30 UTC.
  int64_t expected_micros = (int64_t{1709251200} + 30 * 60) * 1'000'000;
  EXPECT_EQ(row.record.fields.at("occurred_at"), Value(FromUnixMicros(expected_micros)));
  EXPECT_EQ(row.record.fields.at("type"), Value(std::string("call")));
}

TEST(FormatRowErrorTest, SameFormatInBothLocales) {
  RowError error{12, "close_date", "2017-02-30", {"不是有效的日期", "not a valid date"}};
  EXPECT_EQ(FormatRowError("pipeline.csv", error, Locale::kEnglish),
            "pipeline.csv:12: column 'close_date': not a valid date (value '2017-02-30')");
  EXPECT_EQ(FormatRowError("pipeline.csv", error, Locale::kChinese),
            "pipeline.csv:12: column 'close_date': 不是有效的日期 (value '2017-02-30')");
}

TEST(FormatRowErrorTest, WholeRowAndLongValues) {
  RowError row_error{3, "", "", {"应有 5 列", "expected 5 columns"}};
  EXPECT_EQ(FormatRowError("a.csv", row_error, Locale::kEnglish), "a.csv:3: expected 5 columns");

  RowError long_value{4, "note", "line one\nline two" + std::string(200, 'x'), {"坏", "bad"}};
  std::string text = FormatRowError("a.csv", long_value, Locale::kEnglish);
  EXPECT_NE(text.find("line one\\nline two"), std::string::npos) << text;
  EXPECT_NE(text.find("...')"), std::string::npos) << text;
  EXPECT_LT(text.size(), 160u);
}

}  // namespace
}  // namespace salesradar::ingest
