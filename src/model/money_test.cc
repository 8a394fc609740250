#include "model/money.h"

#include <limits>

#include <gtest/gtest.h>

namespace salesradar::model {
namespace {

struct ParseCase {
  std::string_view text;
  MoneyUnit unit;
  int64_t fen;
};

class ParseFenValid : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseFenValid, ParsesExactly) {
  const ParseCase& c = GetParam();
  Result<int64_t> fen = ParseFen(c.text, c.unit);
  ASSERT_TRUE(fen.ok()) << c.text << ": " << fen.error().message_en();
  EXPECT_EQ(*fen, c.fen) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Amounts, ParseFenValid,
    ::testing::Values(ParseCase{"1,234.56", MoneyUnit::kYuan, 123456},
                      ParseCase{"1234.56", MoneyUnit::kYuan, 123456},
                      ParseCase{"1054", MoneyUnit::kYuan, 105400},
                      ParseCase{"0", MoneyUnit::kYuan, 0},
                      ParseCase{"-0", MoneyUnit::kYuan, 0},
                      ParseCase{".5", MoneyUnit::kYuan, 50},
                      ParseCase{"3.", MoneyUnit::kYuan, 300},
                      ParseCase{"12.50", MoneyUnit::kYuan, 1250},
                      ParseCase{"12.5000", MoneyUnit::kYuan, 1250},
                      ParseCase{"  42  ", MoneyUnit::kYuan, 4200},
                      ParseCase{"+7", MoneyUnit::kYuan, 700},
                      ParseCase{"-5.01", MoneyUnit::kYuan, -501},
                      ParseCase{"12.5", MoneyUnit::kWan, 12'500'000},
                      ParseCase{"0.000001", MoneyUnit::kWan, 1},
                      ParseCase{"1,000", MoneyUnit::kWan, 1'000'000'000},
                      ParseCase{"2.5", MoneyUnit::kThousand, 250'000},
                      ParseCase{"0.00001", MoneyUnit::kThousand, 1},
                      ParseCase{"99", MoneyUnit::kFen, 99},
                      ParseCase{"99.0", MoneyUnit::kFen, 99},
                      ParseCase{"92233720368547758.07", MoneyUnit::kYuan,
                                std::numeric_limits<int64_t>::max()},
                      ParseCase{"1,234,567,890.12", MoneyUnit::kYuan, 123456789012}));

struct RejectCase {
  std::string_view text;
  MoneyUnit unit;
};

class ParseFenInvalid : public ::testing::TestWithParam<RejectCase> {};

TEST_P(ParseFenInvalid, RejectsAndNamesValue) {
  const RejectCase& c = GetParam();
  Result<int64_t> fen = ParseFen(c.text, c.unit);
  ASSERT_FALSE(fen.ok()) << c.text;
  EXPECT_EQ(fen.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(fen.error().message_en().find(std::string(c.text)), std::string::npos)
      << fen.error().message_en();
  EXPECT_NE(fen.error().message_zh().find(std::string(c.text)), std::string::npos)
      << fen.error().message_zh();
}

INSTANTIATE_TEST_SUITE_P(
    Garbage, ParseFenInvalid,
    ::testing::Values(RejectCase{"", MoneyUnit::kYuan}, RejectCase{"   ", MoneyUnit::kYuan},
                      RejectCase{"abc", MoneyUnit::kYuan}, RejectCase{"-", MoneyUnit::kYuan},
                      RejectCase{".", MoneyUnit::kYuan}, RejectCase{"1.2.3", MoneyUnit::kYuan},
                      RejectCase{"1,23", MoneyUnit::kYuan},
                      RejectCase{"1234,567", MoneyUnit::kYuan},
                      RejectCase{",123", MoneyUnit::kYuan}, RejectCase{"12,", MoneyUnit::kYuan},
                      RejectCase{"1.2,3", MoneyUnit::kYuan}, RejectCase{"1e5", MoneyUnit::kYuan},
                      RejectCase{"¥12", MoneyUnit::kYuan}, RejectCase{"--1", MoneyUnit::kYuan},
                      RejectCase{"1 000", MoneyUnit::kYuan}));

INSTANTIATE_TEST_SUITE_P(
    FractionOfFen, ParseFenInvalid,
    ::testing::Values(RejectCase{"0.001", MoneyUnit::kYuan}, RejectCase{"1.234", MoneyUnit::kYuan},
                      RejectCase{"0.5", MoneyUnit::kFen},
                      RejectCase{"0.0000001", MoneyUnit::kWan},
                      RejectCase{"0.000001", MoneyUnit::kThousand}));

INSTANTIATE_TEST_SUITE_P(
    Overflow, ParseFenInvalid,
    ::testing::Values(RejectCase{"92233720368547758.08", MoneyUnit::kYuan},
                      RejectCase{"99999999999999999999", MoneyUnit::kFen},
                      RejectCase{"9223372036854775807", MoneyUnit::kYuan},
                      RejectCase{"10000000000000", MoneyUnit::kWan}));

TEST(ParseFen, FractionMessageSaysHowManyDecimals) {
  Result<int64_t> fen = ParseFen("1.234", MoneyUnit::kYuan);
  ASSERT_FALSE(fen.ok());
  EXPECT_NE(fen.error().message_en().find("at most 2 decimals"), std::string::npos)
      << fen.error().message_en();
}

TEST(ParseMoneyUnit, AcceptsEnglishAndChineseNames) {
  EXPECT_EQ(*ParseMoneyUnit("yuan"), MoneyUnit::kYuan);
  EXPECT_EQ(*ParseMoneyUnit("YUAN"), MoneyUnit::kYuan);
  EXPECT_EQ(*ParseMoneyUnit("元"), MoneyUnit::kYuan);
  EXPECT_EQ(*ParseMoneyUnit("fen"), MoneyUnit::kFen);
  EXPECT_EQ(*ParseMoneyUnit("分"), MoneyUnit::kFen);
  EXPECT_EQ(*ParseMoneyUnit("wan"), MoneyUnit::kWan);
  EXPECT_EQ(*ParseMoneyUnit("万元"), MoneyUnit::kWan);
  EXPECT_EQ(*ParseMoneyUnit("万"), MoneyUnit::kWan);
  EXPECT_EQ(*ParseMoneyUnit("thousand"), MoneyUnit::kThousand);
  EXPECT_EQ(*ParseMoneyUnit("k"), MoneyUnit::kThousand);
  EXPECT_EQ(*ParseMoneyUnit("千元"), MoneyUnit::kThousand);
}

TEST(ParseMoneyUnit, RejectsUnknownName) {
  Result<MoneyUnit> unit = ParseMoneyUnit("million");
  ASSERT_FALSE(unit.ok());
  EXPECT_NE(unit.error().message_en().find("'million'"), std::string::npos);
}

TEST(ParseMoney, PairsAmountWithCurrency) {
  Result<Money> money = ParseMoney("1,234.56", MoneyUnit::kYuan, "USD");
  ASSERT_TRUE(money.ok());
  EXPECT_EQ(money->fen, 123456);
  EXPECT_EQ(money->currency, "USD");
}

TEST(ParseMoney, RejectsMalformedCurrency) {
  for (std::string_view currency : {"usd", "US", "USDX", "", "元"}) {
    Result<Money> money = ParseMoney("1", MoneyUnit::kYuan, currency);
    ASSERT_FALSE(money.ok()) << currency;
    EXPECT_EQ(money.error().code(), ErrorCode::kInvalidArgument);
  }
}

TEST(FormatAmount, GroupsThousands) {
  EXPECT_EQ(FormatAmount(0), "0.00");
  EXPECT_EQ(FormatAmount(5), "0.05");
  EXPECT_EQ(FormatAmount(-5), "-0.05");
  EXPECT_EQ(FormatAmount(100), "1.00");
  EXPECT_EQ(FormatAmount(99999), "999.99");
  EXPECT_EQ(FormatAmount(100000), "1,000.00");
  EXPECT_EQ(FormatAmount(123456789), "1,234,567.89");
  EXPECT_EQ(FormatAmount(std::numeric_limits<int64_t>::max()), "92,233,720,368,547,758.07");
  EXPECT_EQ(FormatAmount(std::numeric_limits<int64_t>::min()), "-92,233,720,368,547,758.08");
}

TEST(FormatMoney, YuanSignForCnyCodeForOthers) {
  EXPECT_EQ(FormatMoney({123456700, "CNY"}), "¥1,234,567.00");
  EXPECT_EQ(FormatMoney({-500, "CNY"}), "-¥5.00");
  EXPECT_EQ(FormatMoney({123456700, "USD"}), "1,234,567.00 USD");
}

TEST(FormatMoneyInWan, RoundsHalfAwayFromZero) {
  EXPECT_EQ(FormatMoneyInWan({12345678, "CNY"}), "12.35万元");
  EXPECT_EQ(FormatMoneyInWan({12345000, "CNY"}), "12.35万元");
  EXPECT_EQ(FormatMoneyInWan({12344999, "CNY"}), "12.34万元");
  EXPECT_EQ(FormatMoneyInWan({-12345678, "CNY"}), "-12.35万元");
  EXPECT_EQ(FormatMoneyInWan({4999, "CNY"}), "0.00万元");
  EXPECT_EQ(FormatMoneyInWan({-4999, "CNY"}), "0.00万元");
  EXPECT_EQ(FormatMoneyInWan({100'000'000'000, "CNY"}), "100,000.00万元");
  EXPECT_EQ(FormatMoneyInWan({12345678, "USD"}), "12.35万 USD");
}

TEST(Money, RoundTripsThroughFormatAmount) {
  for (int64_t fen : {int64_t{0}, int64_t{1}, int64_t{99}, int64_t{100}, int64_t{123456},
                      int64_t{-123456}, std::numeric_limits<int64_t>::max()}) {
    Result<int64_t> parsed = ParseFen(FormatAmount(fen), MoneyUnit::kYuan);
    ASSERT_TRUE(parsed.ok()) << fen;
    EXPECT_EQ(*parsed, fen);
  }
}

}  // namespace
}  // namespace salesradar::model
