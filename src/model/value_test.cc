#include "model/value.h"

#include <gtest/gtest.h>

namespace salesradar::model {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

TEST(ParseIsoDate, AcceptsValidDates) {
  Result<CivilDate> date = ParseIsoDate("2017-03-01");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(*date, (CivilDate{year(2017), month(3), day(1)}));

  Result<CivilDate> leap_day = ParseIsoDate("2016-02-29");
  ASSERT_TRUE(leap_day.ok());
  EXPECT_EQ(*leap_day, (CivilDate{year(2016), month(2), day(29)}));
}

TEST(ParseIsoDate, RejectsMalformedAndNonexistentDates) {
  for (std::string_view text : {"", "2017-3-1", "2017/03/01", "2017-02-30", "2017-02-29",
                                "2017-13-01", "2017-00-10", "2017-01-00", "20170301",
                                "2017-03-01T00:00", "abcd-ef-gh", "+017-03-01"}) {
    Result<CivilDate> date = ParseIsoDate(text);
    ASSERT_FALSE(date.ok()) << text;
    EXPECT_NE(date.error().message_en().find("'" + std::string(text) + "'"), std::string::npos)
        << date.error().message_en();
  }
}

TEST(FormatIsoDate, PadsFields) {
  EXPECT_EQ(FormatIsoDate(CivilDate{year(987), month(1), day(2)}), "0987-01-02");
  EXPECT_EQ(FormatIsoDate(CivilDate{year(2017), month(12), day(31)}), "2017-12-31");
}

TEST(ValueFitsType, MatchesAlternativeToType) {
  EXPECT_TRUE(ValueFitsType(Value(std::string("x")), FieldType::kString));
  EXPECT_TRUE(ValueFitsType(Value(std::string("won")), FieldType::kEnum));
  EXPECT_TRUE(ValueFitsType(Value(int64_t{5}), FieldType::kInt));
  EXPECT_TRUE(ValueFitsType(Value(Money{5, "CNY"}), FieldType::kMoney));
  EXPECT_TRUE(ValueFitsType(Value(CivilDate{year(2017), month(1), day(1)}), FieldType::kDate));
  EXPECT_TRUE(ValueFitsType(Value(FromUnixMicros(1)), FieldType::kTimestamp));
  EXPECT_TRUE(ValueFitsType(Value(true), FieldType::kBool));
  EXPECT_TRUE(ValueFitsType(Value(Reference{1, ""}), FieldType::kReference));
  EXPECT_TRUE(ValueFitsType(Value(Null{}), FieldType::kMoney));

  EXPECT_FALSE(ValueFitsType(Value(int64_t{5}), FieldType::kString));
  EXPECT_FALSE(ValueFitsType(Value(std::string("5")), FieldType::kInt));
  EXPECT_FALSE(ValueFitsType(Value(int64_t{5}), FieldType::kMoney));
  EXPECT_FALSE(ValueFitsType(Value(true), FieldType::kInt));
}

TEST(DescribeValue, ReadableForEachType) {
  EXPECT_EQ(DescribeValue(Null{}), "null");
  EXPECT_EQ(DescribeValue(std::string("GTX Pro")), "GTX Pro");
  EXPECT_EQ(DescribeValue(int64_t{-3}), "-3");
  EXPECT_EQ(DescribeValue(Money{123456, "CNY"}), "¥1,234.56");
  EXPECT_EQ(DescribeValue(CivilDate{year(2017), month(3), day(1)}), "2017-03-01");
  EXPECT_EQ(DescribeValue(FromUnixMicros(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(DescribeValue(FromUnixMicros(1'500'000'000'000'001)), "2017-07-14T02:40:00.000001Z");
  EXPECT_EQ(DescribeValue(true), "true");
  EXPECT_EQ(DescribeValue(Reference{42, ""}), "#42");
  EXPECT_EQ(DescribeValue(Reference{0, "A17"}), "ext:A17");
}

TEST(ParseFieldType, RoundTripsNames) {
  for (FieldType type : {FieldType::kString, FieldType::kEnum, FieldType::kInt, FieldType::kMoney,
                         FieldType::kDate, FieldType::kTimestamp, FieldType::kBool,
                         FieldType::kReference}) {
    Result<FieldType> parsed = ParseFieldType(FieldTypeName(type));
    ASSERT_TRUE(parsed.ok()) << FieldTypeName(type);
    EXPECT_EQ(*parsed, type);
  }
  EXPECT_FALSE(ParseFieldType("float").ok());
}

}  // namespace
}  // namespace salesradar::model
