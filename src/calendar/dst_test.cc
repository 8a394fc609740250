// Daylight-saving changes in Europe/Amsterdam: summer time ended on 2011-10-30 (03:00 CEST became
// 02:00 CET) and started on 2012-03-25 (02:00 CET became 03:00 CEST). Windows over them count
// real elapsed time.
#include <chrono>

#include <gtest/gtest.h>

#include "calendar/test_calendars.h"
#include "calendar/window.h"

namespace salesradar::calendar {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::Local;

const BusinessCalendar& Nl() {
  static const BusinessCalendar calendar = testing::LoadShipped("nl");
  return calendar;
}

// Every hour of every day is working time.
const BusinessCalendar& AroundTheClock() {
  static const BusinessCalendar calendar = testing::LoadInline(R"(
id: amsterdam-24x7
zone: Europe/Amsterdam
working_hours: ["00:00-24:00"]
rest_days: []
)");
  return calendar;
}

// A night shift whose hours contain both changes.
const BusinessCalendar& NightShift() {
  static const BusinessCalendar calendar = testing::LoadInline(R"(
id: amsterdam-night
zone: Europe/Amsterdam
working_hours: ["01:00-04:00"]
rest_days: []
)");
  return calendar;
}

std::string Show(const BusinessCalendar& calendar, Result<Timestamp> t) {
  return t.ok() ? calendar.FormatLocal(*t) : "error: " + t.error().ToLogString();
}

Microseconds Between(const BusinessCalendar& calendar, Timestamp a, Timestamp b) {
  Result<Microseconds> time = calendar.WorkingTimeBetween(a, b);
  EXPECT_TRUE(time.ok());
  return time.ok() ? *time : Microseconds(-1);
}

TEST(DstTest, WallTimeCountsElapsedHours) {
  Timestamp saturday_autumn = Local(Nl(), "2011-10-29 12:00");
  EXPECT_EQ(Nl().FormatLocal(saturday_autumn), "2011-10-29 12:00:00 +02:00");
  EXPECT_EQ(Nl().FormatLocal(AddWallTime(saturday_autumn, hours(48))), "2011-10-31 11:00:00 +01:00");

  Timestamp saturday_spring = Local(Nl(), "2012-03-24 12:00");
  EXPECT_EQ(Nl().FormatLocal(AddWallTime(saturday_spring, hours(48))), "2012-03-26 13:00:00 +02:00");

  Result<Window> three_days = ParseWindow("3d");
  ASSERT_TRUE(three_days.ok());
  EXPECT_EQ(Show(Nl(), WindowEnd(Nl(), Local(Nl(), "2011-10-28 16:00"), *three_days)),
            "2011-10-31 15:00:00 +01:00");
}

TEST(DstTest, OfficeHoursAcrossEndOfSummerTime2011) {
  // Friday 16:00 CEST to Monday 16:00 CET is 73 elapsed hours but 8 working hours.
  Timestamp friday = Local(Nl(), "2011-10-28 16:00");
  Timestamp monday = Local(Nl(), "2011-10-31 16:00");
  EXPECT_EQ(monday - friday, hours(73));
  EXPECT_EQ(Between(Nl(), friday, monday), hours(8));
  EXPECT_EQ(Between(Nl(), Local(Nl(), "2011-10-28 09:00"), Local(Nl(), "2011-10-31 17:00")), hours(16));

  EXPECT_EQ(Show(Nl(), Nl().AddWorkingTime(friday, hours(2))), "2011-10-31 10:00:00 +01:00");
  EXPECT_EQ(Show(Nl(), Nl().AddWorkdays(friday, 1)), "2011-10-31 16:00:00 +01:00");
  EXPECT_EQ(Show(Nl(), Nl().AddWorkdays(friday, 2)), "2011-11-01 16:00:00 +01:00");
}

TEST(DstTest, OfficeHoursAcrossStartOfSummerTime2012) {
  Timestamp friday = Local(Nl(), "2012-03-23 16:00");
  Timestamp monday = Local(Nl(), "2012-03-26 16:00");
  EXPECT_EQ(monday - friday, hours(71));
  EXPECT_EQ(Between(Nl(), friday, monday), hours(8));
  EXPECT_EQ(Show(Nl(), Nl().AddWorkingTime(friday, hours(2))), "2012-03-26 10:00:00 +02:00");
  EXPECT_EQ(Show(Nl(), Nl().AddWorkdays(friday, 1)), "2012-03-26 16:00:00 +02:00");
}

TEST(DstTest, AutumnChangeDayHas25Hours) {
  Timestamp midnight = Local(AroundTheClock(), "2011-10-30 00:00");
  Timestamp next_midnight = Local(AroundTheClock(), "2011-10-31 00:00");
  EXPECT_EQ(Between(AroundTheClock(), midnight, next_midnight), hours(25));
  EXPECT_EQ(Show(AroundTheClock(), AroundTheClock().AddWorkingTime(midnight, hours(24))),
            "2011-10-30 23:00:00 +01:00");
  EXPECT_EQ(Show(AroundTheClock(), AroundTheClock().AddWorkingTime(midnight, hours(3))),
            "2011-10-30 02:00:00 +01:00");

  Result<Window> sixteen = ParseWindow("16 work_hours");
  ASSERT_TRUE(sixteen.ok());
  EXPECT_EQ(Show(AroundTheClock(), WindowEnd(AroundTheClock(), Local(AroundTheClock(), "2011-10-29 20:00"), *sixteen)),
            "2011-10-30 11:00:00 +01:00");
}

TEST(DstTest, SpringChangeDayHas23Hours) {
  Timestamp midnight = Local(AroundTheClock(), "2012-03-25 00:00");
  Timestamp next_midnight = Local(AroundTheClock(), "2012-03-26 00:00");
  EXPECT_EQ(Between(AroundTheClock(), midnight, next_midnight), hours(23));
  EXPECT_EQ(Show(AroundTheClock(), AroundTheClock().AddWorkingTime(midnight, hours(24))),
            "2012-03-26 01:00:00 +02:00");
  EXPECT_EQ(Show(AroundTheClock(), AroundTheClock().AddWorkingTime(midnight, hours(2))),
            "2012-03-25 03:00:00 +02:00");
}

TEST(DstTest, RepeatedHourIsWorkingTimeTwice) {
  Timestamp first = Local(AroundTheClock(), "2011-10-30 02:30");
  Timestamp second = first + hours(1);
  EXPECT_EQ(AroundTheClock().FormatLocal(first), "2011-10-30 02:30:00 +02:00");
  EXPECT_EQ(AroundTheClock().FormatLocal(second), "2011-10-30 02:30:00 +01:00");
  Result<bool> first_working = AroundTheClock().IsWorkingTime(first);
  Result<bool> second_working = AroundTheClock().IsWorkingTime(second);
  ASSERT_TRUE(first_working.ok());
  ASSERT_TRUE(second_working.ok());
  EXPECT_TRUE(*first_working);
  EXPECT_TRUE(*second_working);
}

TEST(DstTest, NightShiftIntervalsFollowTheWallClock) {
  // 01:00 CEST to 04:00 CET is four real hours; 01:00 CET to 04:00 CEST is two.
  Result<std::vector<TimeInterval>> autumn = NightShift().WorkingIntervalsOn(cctz::civil_day(2011, 10, 30));
  ASSERT_TRUE(autumn.ok());
  ASSERT_EQ(autumn->size(), 1u);
  EXPECT_EQ(NightShift().FormatLocal(autumn->front().begin), "2011-10-30 01:00:00 +02:00");
  EXPECT_EQ(NightShift().FormatLocal(autumn->front().end), "2011-10-30 04:00:00 +01:00");
  EXPECT_EQ(autumn->front().end - autumn->front().begin, hours(4));

  Result<std::vector<TimeInterval>> spring = NightShift().WorkingIntervalsOn(cctz::civil_day(2012, 3, 25));
  ASSERT_TRUE(spring.ok());
  ASSERT_EQ(spring->size(), 1u);
  EXPECT_EQ(spring->front().end - spring->front().begin, hours(2));

  // Two working days from Saturday 02:00 reach the same working point of Monday's shift.
  EXPECT_EQ(Show(NightShift(), NightShift().AddWorkdays(Local(NightShift(), "2011-10-29 02:00"), 2)),
            "2011-10-31 02:00:00 +01:00");
}

TEST(DstTest, BoundaryInsideSpringGapMapsToTransition) {
  const BusinessCalendar calendar = testing::LoadInline(R"(
id: gap
zone: Europe/Amsterdam
working_hours: ["02:30-05:00"]
rest_days: []
)");
  Result<std::vector<TimeInterval>> spring = calendar.WorkingIntervalsOn(cctz::civil_day(2012, 3, 25));
  ASSERT_TRUE(spring.ok());
  ASSERT_EQ(spring->size(), 1u);
  EXPECT_EQ(calendar.FormatLocal(spring->front().begin), "2012-03-25 03:00:00 +02:00");
  EXPECT_EQ(spring->front().end - spring->front().begin, hours(2));
}

TEST(DstTest, DutchHolidays) {
  struct Case {
    cctz::civil_day day;
    DayKind kind;
  };
  const Case cases[] = {
      {cctz::civil_day(2011, 4, 22), DayKind::kWorkday},  // Good Friday is not a general day off
      {cctz::civil_day(2011, 4, 25), DayKind::kHoliday},  // Easter Monday
      {cctz::civil_day(2011, 4, 30), DayKind::kHoliday},  // Koninginnedag on a Saturday
      {cctz::civil_day(2011, 5, 5), DayKind::kWorkday},   // Bevrijdingsdag outside a lustrum year
      {cctz::civil_day(2011, 6, 2), DayKind::kHoliday},   // Ascension Day
      {cctz::civil_day(2011, 6, 13), DayKind::kHoliday},  // Whit Monday
      {cctz::civil_day(2011, 12, 26), DayKind::kHoliday},
      {cctz::civil_day(2012, 4, 6), DayKind::kWorkday},   // Good Friday
      {cctz::civil_day(2012, 4, 9), DayKind::kHoliday},   // Easter Monday
      {cctz::civil_day(2012, 4, 30), DayKind::kHoliday},  // Koninginnedag on a Monday
      {cctz::civil_day(2012, 5, 17), DayKind::kHoliday},  // Ascension Day
      {cctz::civil_day(2012, 5, 28), DayKind::kHoliday},  // Whit Monday
      {cctz::civil_day(2012, 12, 25), DayKind::kHoliday},
      {cctz::civil_day(2012, 12, 27), DayKind::kWorkday},
  };
  for (const Case& c : cases) {
    Result<DayInfo> info = Nl().DescribeDay(c.day);
    ASSERT_TRUE(info.ok());
    EXPECT_EQ(info->kind, c.kind) << c.day;
  }

  // Thursday before Easter 2012: Good Friday works, Easter Monday does not.
  EXPECT_EQ(Show(Nl(), Nl().AddWorkdays(Local(Nl(), "2012-04-05 10:00"), 2)), "2012-04-10 10:00:00 +02:00");
}

}  // namespace
}  // namespace salesradar::calendar
