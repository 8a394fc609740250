// The shipped mainland China data, day by day, against the State Council notices for 2025 and
// 2026 (国务院办公厅关于2025年/2026年部分节假日安排的通知).
#include <gtest/gtest.h>

#include "calendar/civil_text.h"
#include "calendar/test_calendars.h"

namespace salesradar::calendar {
namespace {

const BusinessCalendar& Cn() {
  static const BusinessCalendar calendar = testing::LoadShipped("cn");
  return calendar;
}

// Returns the kinds of the days from `first` to `last` as a string: W workday, M make-up
// working day, R rest day, H holiday.
std::string Kinds(std::string_view first, std::string_view last) {
  std::string kinds;
  for (cctz::civil_day day = *ParseIsoDate(first); day <= *ParseIsoDate(last); ++day) {
    Result<DayInfo> info = Cn().DescribeDay(day);
    if (!info.ok()) {
      return "error";
    }
    switch (info->kind) {
      case DayKind::kWorkday: kinds += 'W'; break;
      case DayKind::kMakeUpWorkday: kinds += 'M'; break;
      case DayKind::kRestDay: kinds += 'R'; break;
      case DayKind::kHoliday: kinds += 'H'; break;
    }
  }
  return kinds;
}

TEST(ChinaCalendarTest, Year2025) {
  EXPECT_EQ(Kinds("2024-12-31", "2025-01-02"), "WHW");
  // Spring Festival: Sun 1/26 works, 1/28 (除夕) to 2/4 off, Sat 2/8 works.
  EXPECT_EQ(Kinds("2025-01-25", "2025-02-09"), "RMWHHHHHHHHWWWMR");
  EXPECT_EQ(Kinds("2025-04-03", "2025-04-07"), "WHHHW");
  // Labour Day: Sun 4/27 works, 5/1 to 5/5 off.
  EXPECT_EQ(Kinds("2025-04-26", "2025-05-06"), "RMWWWHHHHHW");
  EXPECT_EQ(Kinds("2025-05-30", "2025-06-03"), "WHHHW");
  // National Day and Mid-Autumn: Sun 9/28 works, 10/1 to 10/8 off, Sat 10/11 works.
  EXPECT_EQ(Kinds("2025-09-27", "2025-10-12"), "RMWWHHHHHHHHWWMR");
}

TEST(ChinaCalendarTest, Year2026) {
  // New Year: 1/1 to 1/3 off, Sun 1/4 works.
  EXPECT_EQ(Kinds("2025-12-31", "2026-01-05"), "WHHHMW");
  // Spring Festival: Sat 2/14 works, 2/15 to 2/23 off, Sat 2/28 works.
  EXPECT_EQ(Kinds("2026-02-13", "2026-03-01"), "WMHHHHHHHHHWWWWMR");
  EXPECT_EQ(Kinds("2026-04-03", "2026-04-07"), "WHHHW");
  // Labour Day: 5/1 to 5/5 off, Sat 5/9 works.
  EXPECT_EQ(Kinds("2026-04-30", "2026-05-10"), "WHHHHHWWWMR");
  EXPECT_EQ(Kinds("2026-06-18", "2026-06-22"), "WHHHW");
  // Mid-Autumn 9/25 to 9/27; National Day: Sun 9/20 works, 10/1 to 10/7 off, Sat 10/10 works.
  EXPECT_EQ(Kinds("2026-09-19", "2026-09-28"), "RMWWWWHHHW");
  EXPECT_EQ(Kinds("2026-09-30", "2026-10-11"), "WHHHHHHHWWMR");
}

TEST(ChinaCalendarTest, NamesAndSource) {
  Result<DayInfo> spring = Cn().DescribeDay(cctz::civil_day(2026, 2, 17));
  ASSERT_TRUE(spring.ok());
  ASSERT_TRUE(spring->name.has_value());
  EXPECT_EQ(spring->name->zh, "春节");
  EXPECT_EQ(spring->name->en, "Spring Festival");
  EXPECT_FALSE(spring->from_weekly_pattern);

  Result<DayInfo> make_up = Cn().DescribeDay(cctz::civil_day(2025, 10, 11));
  ASSERT_TRUE(make_up.ok());
  EXPECT_EQ(make_up->kind, DayKind::kMakeUpWorkday);
  EXPECT_EQ(make_up->name->zh, "国庆节调休上班");

  for (const YearData& year : Cn().spec().years) {
    EXPECT_NE(year.source.find("国务院办公厅关于"), std::string::npos) << year.year;
  }
}

}  // namespace
}  // namespace salesradar::calendar
