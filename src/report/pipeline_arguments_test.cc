#include "report/pipeline_arguments.h"

#include <chrono>

#include <gtest/gtest.h>

namespace salesradar::report {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

TEST(ParseAsOfDateTest, AcceptsIsoDate) {
  Result<model::CivilDate> date = ParseAsOfDate("2017-12-31");
  ASSERT_TRUE(date.ok());
  EXPECT_EQ(*date, (model::CivilDate{year(2017), month(12), day(31)}));
}

TEST(ParseAsOfDateTest, RejectsOtherFormatsNamingValue) {
  for (const char* text : {"2017/12/31", "31.12.2017", "2017-02-30", "", "yesterday"}) {
    Result<model::CivilDate> date = ParseAsOfDate(text);
    ASSERT_FALSE(date.ok()) << text;
    EXPECT_NE(date.error().message_en().find("'" + std::string(text) + "'"), std::string::npos);
    EXPECT_NE(date.error().message_en().find("YYYY-MM-DD"), std::string::npos);
    EXPECT_NE(date.error().message_zh().find("YYYY-MM-DD"), std::string::npos);
  }
}

TEST(ParseStaleDaysTest, WholeDaysInRange) {
  EXPECT_EQ(*ParseStaleDays("90"), 90);
  EXPECT_EQ(*ParseStaleDays("0"), 0);
  for (const char* text : {"-1", "9.5", "90d", "", "36501"}) {
    EXPECT_FALSE(ParseStaleDays(text).ok()) << text;
  }
}

TEST(ParseListedDealsTest, WholeNumberInRange) {
  EXPECT_EQ(*ParseListedDeals("0"), 0);
  EXPECT_EQ(*ParseListedDeals("25"), 25);
  for (const char* text : {"-3", "ten", "100001"}) {
    Result<int64_t> parsed = ParseListedDeals(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message_zh().find("--top"), std::string::npos);
  }
}

TEST(ParseMaxDiscountTest, PercentToBasisPoints) {
  EXPECT_EQ(*ParseMaxDiscount("15"), 1500);
  EXPECT_EQ(*ParseMaxDiscount("12.5"), 1250);
  EXPECT_EQ(*ParseMaxDiscount("7.25%"), 725);
  EXPECT_EQ(*ParseMaxDiscount("0"), 0);
  EXPECT_EQ(*ParseMaxDiscount("100"), 10000);
  for (const char* text : {"", "-5", "100.01", "1.234", "abc", "15 %", ".5", "10000"}) {
    Result<int64_t> parsed = ParseMaxDiscount(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.error().message_en().find("--max-discount"), std::string::npos);
  }
}

TEST(DateInTest, UsesShanghaiCalendarDay) {
  // 2017-12-31T16:30:00Z is 00:30 on 2018-01-01 in Shanghai.
  Timestamp instant = std::chrono::time_point_cast<Microseconds>(
      std::chrono::sys_days(model::CivilDate{year(2017), month(12), day(31)}) +
      std::chrono::minutes(16 * 60 + 30));
  EXPECT_EQ(DateIn(instant, kReportTimeZone), (model::CivilDate{year(2018), month(1), day(1)}));
}

TEST(EndOfDayTest, IsNextMidnightInShanghai) {
  Timestamp end = EndOfDay(model::CivilDate{year(2017), month(12), day(31)}, kReportTimeZone);
  Timestamp expected = std::chrono::time_point_cast<Microseconds>(
      std::chrono::sys_days(model::CivilDate{year(2017), month(12), day(31)}) +
      std::chrono::hours(16));
  EXPECT_EQ(end, expected);
}

}  // namespace
}  // namespace salesradar::report
