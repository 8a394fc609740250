#include "ingest/money_parse.h"

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

TEST(ParseAmountUnitTest, ModelAndLargeUnits) {
  EXPECT_EQ(*ParseAmountUnit("fen"), 0);
  EXPECT_EQ(*ParseAmountUnit("yuan"), 2);
  EXPECT_EQ(*ParseAmountUnit("元"), 2);
  EXPECT_EQ(*ParseAmountUnit("thousand"), 5);
  EXPECT_EQ(*ParseAmountUnit("万元"), 6);
  EXPECT_EQ(*ParseAmountUnit("million"), 8);
  EXPECT_EQ(*ParseAmountUnit("亿"), 10);
  EXPECT_FALSE(ParseAmountUnit("lakh").ok());
}

TEST(ParseMoneyAmountTest, UnitsScaleExactly) {
  EXPECT_EQ(*ParseMoneyAmount("1,234.56", 2, "CNY"), (model::Money{123456, "CNY"}));
  EXPECT_EQ(*ParseMoneyAmount("12.5", 6, "CNY"), (model::Money{12'500'000, "CNY"}));
  EXPECT_EQ(*ParseMoneyAmount("1100.04", 8, "USD"), (model::Money{110'004'000'000, "USD"}));
  EXPECT_EQ(*ParseMoneyAmount("7", 0, "CNY"), (model::Money{7, "CNY"}));
}

TEST(ParseMoneyAmountTest, CurrencySignsAndSign) {
  EXPECT_EQ(*ParseMoneyAmount("¥1,200.00", 2, "CNY"), (model::Money{120000, "CNY"}));
  EXPECT_EQ(*ParseMoneyAmount("$ 5", 2, "USD"), (model::Money{500, "USD"}));
  EXPECT_EQ(*ParseMoneyAmount("-¥5", 2, "CNY"), (model::Money{-500, "CNY"}));
  EXPECT_EQ(*ParseMoneyAmount("-5", 2, "CNY"), (model::Money{-500, "CNY"}));
}

TEST(ParseMoneyAmountTest, RejectsWhatIsNotAnAmount) {
  EXPECT_FALSE(ParseMoneyAmount("abc", 2, "CNY").ok());
  EXPECT_FALSE(ParseMoneyAmount("¥-5", 2, "CNY").ok());
  EXPECT_FALSE(ParseMoneyAmount("--5", 2, "CNY").ok());
  Result<model::Money> fraction = ParseMoneyAmount("0.001", 2, "CNY");
  ASSERT_FALSE(fraction.ok());
  EXPECT_EQ(fraction.error().message_en(), "more than 2 decimal places");
}

}  // namespace
}  // namespace salesradar::ingest
