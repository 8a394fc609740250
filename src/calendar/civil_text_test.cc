#include "calendar/civil_text.h"

#include <gtest/gtest.h>

namespace salesradar::calendar {
namespace {

TEST(ParseIsoDateTest, ValidAndInvalid) {
  EXPECT_EQ(ParseIsoDate("2026-02-14"), cctz::civil_day(2026, 2, 14));
  EXPECT_EQ(ParseIsoDate("2024-02-29"), cctz::civil_day(2024, 2, 29));
  for (const char* bad : {"2025-02-29", "2026-02-30", "2026-13-01", "2026-00-10", "2026-2-14",
                          "20260214", "2026/02/14", "2026-02-14 ", "", "tomorrow"}) {
    EXPECT_FALSE(ParseIsoDate(bad).has_value()) << bad;
  }
}

TEST(ParseTimeOfDayTest, ValidAndInvalid) {
  EXPECT_EQ(ParseTimeOfDay("00:00"), 0);
  EXPECT_EQ(ParseTimeOfDay("09:00"), 540);
  EXPECT_EQ(ParseTimeOfDay("13:30"), 810);
  EXPECT_EQ(ParseTimeOfDay("23:59"), 1439);
  EXPECT_EQ(ParseTimeOfDay("24:00"), 1440);
  for (const char* bad : {"9:00", "24:01", "25:00", "12:60", "12-00", "noon", "", "12:00:00"}) {
    EXPECT_FALSE(ParseTimeOfDay(bad).has_value()) << bad;
  }
}

TEST(CivilTextTest, FormatsAndWeekdays) {
  EXPECT_EQ(FormatIsoDate(cctz::civil_day(2026, 2, 14)), "2026-02-14");
  EXPECT_EQ(FormatTimeOfDay(810), "13:30");
  EXPECT_EQ(FormatTimeOfDay(1440), "24:00");
  EXPECT_EQ(ParseWeekday("saturday"), cctz::weekday::saturday);
  EXPECT_FALSE(ParseWeekday("Saturday").has_value());
  EXPECT_EQ(WeekdayName(cctz::weekday::sunday), "sunday");
  EXPECT_EQ(WeekdayNameZh(cctz::weekday::saturday), "星期六");
}

}  // namespace
}  // namespace salesradar::calendar
