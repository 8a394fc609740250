#include "ingest/scalar_parse.h"

#include <limits>

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

TEST(ParseIntegerTest, AcceptsSignsAndGroups) {
  EXPECT_EQ(*ParseInteger("42"), 42);
  EXPECT_EQ(*ParseInteger("-7"), -7);
  EXPECT_EQ(*ParseInteger("+7"), 7);
  EXPECT_EQ(*ParseInteger("1,234,567"), 1234567);
  EXPECT_EQ(*ParseInteger("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(*ParseInteger("-9223372036854775808"), std::numeric_limits<int64_t>::min());
}

TEST(ParseIntegerTest, RejectsNonIntegers) {
  for (const char* text :
       {"", "-", "1.5", "1e3", "12a", "1,23", ",123", "1,,234", "9223372036854775808"}) {
    EXPECT_FALSE(ParseInteger(text).ok()) << text;
  }
}

TEST(ParseScaledDecimalTest, ScalesExactly) {
  EXPECT_EQ(*ParseScaledDecimal("1,234.56", 2), 123456);
  EXPECT_EQ(*ParseScaledDecimal("1054", 2), 105400);
  EXPECT_EQ(*ParseScaledDecimal(".5", 2), 50);
  EXPECT_EQ(*ParseScaledDecimal("3.", 2), 300);
  EXPECT_EQ(*ParseScaledDecimal("-12.5", 6), -12500000);
  EXPECT_EQ(*ParseScaledDecimal("12.500", 2), 1250);
  EXPECT_EQ(*ParseScaledDecimal("7", 0), 7);
}

TEST(ParseScaledDecimalTest, RejectsExtraPrecisionAndOverflow) {
  Result<int64_t> fraction = ParseScaledDecimal("0.001", 2);
  ASSERT_FALSE(fraction.ok());
  EXPECT_EQ(fraction.error().message_en(), "more than 2 decimal places");
  EXPECT_FALSE(ParseScaledDecimal("99999999999999999999", 2).ok());
  EXPECT_FALSE(ParseScaledDecimal("1.2.3", 2).ok());
  EXPECT_FALSE(ParseScaledDecimal(".", 2).ok());
}

TEST(ParseBooleanTest, WordsInBothLanguages) {
  EXPECT_TRUE(*ParseBoolean("Yes"));
  EXPECT_TRUE(*ParseBoolean("是"));
  EXPECT_TRUE(*ParseBoolean("1"));
  EXPECT_FALSE(*ParseBoolean("FALSE"));
  EXPECT_FALSE(*ParseBoolean("否"));
  EXPECT_FALSE(ParseBoolean("maybe").ok());
}

}  // namespace
}  // namespace salesradar::ingest
