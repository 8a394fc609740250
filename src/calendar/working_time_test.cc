// Working-time arithmetic on the shipped mainland China calendar (09:00-12:00 and 13:30-18:00,
// 7.5 working hours a day). Expected instants are written as local times with their offsets.
#include <chrono>

#include <gtest/gtest.h>

#include "calendar/test_calendars.h"

namespace salesradar::calendar {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using testing::Local;

class ChinaWorkingTimeTest : public ::testing::Test {
 protected:
  static const BusinessCalendar& Cn() {
    static const BusinessCalendar calendar = testing::LoadShipped("cn");
    return calendar;
  }

  Timestamp At(std::string_view local) const { return Local(Cn(), local); }
  std::string Show(Result<Timestamp> t) const {
    return t.ok() ? Cn().FormatLocal(*t) : "error: " + t.error().ToLogString();
  }
  bool Working(std::string_view local) const {
    Result<bool> working = Cn().IsWorkingTime(At(local));
    EXPECT_TRUE(working.ok()) << local;
    return working.ok() && *working;
  }
};

TEST_F(ChinaWorkingTimeTest, IsWorkingTimeOnOrdinaryMonday) {
  EXPECT_FALSE(Working("2026-03-02 08:59:59"));
  EXPECT_TRUE(Working("2026-03-02 09:00"));
  EXPECT_TRUE(Working("2026-03-02 11:59:59"));
  EXPECT_FALSE(Working("2026-03-02 12:00"));
  EXPECT_FALSE(Working("2026-03-02 13:29:59"));
  EXPECT_TRUE(Working("2026-03-02 13:30"));
  EXPECT_TRUE(Working("2026-03-02 17:59:59"));
  EXPECT_FALSE(Working("2026-03-02 18:00"));
}

TEST_F(ChinaWorkingTimeTest, IsWorkingTimeAroundSpringFestival2026) {
  EXPECT_TRUE(Working("2026-02-14 10:00"));   // Saturday, 调休上班
  EXPECT_FALSE(Working("2026-02-15 10:00"));  // Sunday, first day of the holiday
  EXPECT_FALSE(Working("2026-02-16 10:00"));  // Monday inside the holiday
  EXPECT_FALSE(Working("2026-02-23 10:00"));  // Monday, last day of the holiday
  EXPECT_TRUE(Working("2026-02-24 10:00"));   // Tuesday, back at work
  EXPECT_TRUE(Working("2026-02-28 10:00"));   // Saturday, 调休上班
  EXPECT_FALSE(Working("2026-03-01 10:00"));  // Sunday
  EXPECT_FALSE(Working("2026-03-07 10:00"));  // an ordinary Saturday
}

TEST_F(ChinaWorkingTimeTest, NextWorkingInstant) {
  EXPECT_EQ(Show(Cn().NextWorkingInstant(At("2026-03-02 10:15"))), "2026-03-02 10:15:00 +08:00");
  EXPECT_EQ(Show(Cn().NextWorkingInstant(At("2026-03-02 12:15"))), "2026-03-02 13:30:00 +08:00");
  EXPECT_EQ(Show(Cn().NextWorkingInstant(At("2026-02-13 18:30"))), "2026-02-14 09:00:00 +08:00");
  EXPECT_EQ(Show(Cn().NextWorkingInstant(At("2026-02-14 18:00"))), "2026-02-24 09:00:00 +08:00");
  EXPECT_EQ(Show(Cn().NextWorkingInstant(At("2025-09-30 18:00"))), "2025-10-09 09:00:00 +08:00");
}

TEST_F(ChinaWorkingTimeTest, WorkingTimeBetweenAcrossSpringFestival2026) {
  // Friday 2/13 and the 调休 Saturday 2/14 each count 7.5 h; 2/15 to 2/23 count nothing.
  Result<Microseconds> full_days = Cn().WorkingTimeBetween(At("2026-02-13 09:00"), At("2026-02-24 09:00"));
  ASSERT_TRUE(full_days.ok());
  EXPECT_EQ(*full_days, hours(15));

  // Fri 1 h + Sat 2/14 7.5 h + Tue 2/24 to Fri 2/27 30 h + Sat 2/28 7.5 h.
  Result<Microseconds> to_march = Cn().WorkingTimeBetween(At("2026-02-13 17:00"), At("2026-03-02 09:00"));
  ASSERT_TRUE(to_march.ok());
  EXPECT_EQ(*to_march, hours(46));

  Result<Microseconds> reversed = Cn().WorkingTimeBetween(At("2026-03-02 09:00"), At("2026-02-13 17:00"));
  ASSERT_TRUE(reversed.ok());
  EXPECT_EQ(*reversed, -hours(46));

  Result<Microseconds> lunch = Cn().WorkingTimeBetween(At("2026-03-02 11:00"), At("2026-03-02 14:00"));
  ASSERT_TRUE(lunch.ok());
  EXPECT_EQ(*lunch, minutes(90));
}

TEST_F(ChinaWorkingTimeTest, AddWorkingTimeAcrossSpringFestival2026) {
  // Fri 17:00-18:00 is 1 h, Sat 2/14 adds 7.5 h, Tue 2/24 supplies the last 7.5 h.
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2026-02-13 17:00"), hours(16))), "2026-02-24 18:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2026-02-13 17:00"), hours(1))), "2026-02-13 18:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2026-02-13 17:00"), minutes(61))), "2026-02-14 09:01:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2026-02-14 17:00"), hours(2))), "2026-02-24 10:00:00 +08:00");
  // Thu 2/26 16:00: 2 h that day, 7.5 h Friday, 6.5 h on the 调休 Saturday 2/28.
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2026-02-26 16:00"), hours(16))), "2026-02-28 17:00:00 +08:00");
  // Starting inside a holiday counts from the first working instant after it.
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2026-02-18 10:00"), hours(3))), "2026-02-24 12:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2026-02-18 10:00"), minutes(181))), "2026-02-24 13:31:00 +08:00");
}

TEST_F(ChinaWorkingTimeTest, AddWorkdaysAcrossSpringFestival2026) {
  // Friday 17:00, 2 workdays: the 调休 Saturday and the first day after the holiday.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-02-13 17:00"), 2)), "2026-02-24 17:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-02-13 17:00"), 1)), "2026-02-14 17:00:00 +08:00");
  // Thursday 2/26 10:00 + 2 workdays lands on the second 调休 Saturday.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-02-26 10:00"), 2)), "2026-02-28 10:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-02-26 10:00"), 3)), "2026-03-02 10:00:00 +08:00");
  // An event during the holiday: the first working day after it counts whole.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-02-21 10:00"), 1)), "2026-02-24 18:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-02-21 10:00"), 2)), "2026-02-25 18:00:00 +08:00");
  // After hours on the 调休 Saturday: counting starts on 2/24.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-02-14 19:00"), 1)), "2026-02-24 18:00:00 +08:00");
}

TEST_F(ChinaWorkingTimeTest, AddWorkdaysOnOrdinaryWeek) {
  // Before work the whole day counts, after work it does not.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-02 08:00"), 1)), "2026-03-02 18:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-02 09:00"), 1)), "2026-03-02 18:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-02 09:01"), 1)), "2026-03-03 09:01:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-02 18:00"), 1)), "2026-03-03 18:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-02 23:00"), 1)), "2026-03-03 18:00:00 +08:00");
  // During lunch the morning has passed, so the deadline is the end of the next morning.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-02 12:30"), 1)), "2026-03-03 12:00:00 +08:00");
  // Friday 17:00 + 2 workdays is Tuesday 17:00; a Saturday event gets all of Monday.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-06 17:00"), 2)), "2026-03-10 17:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-07 10:00"), 1)), "2026-03-09 18:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-07 10:00"), 5)), "2026-03-13 18:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-03-02 10:00"), 0)), "2026-03-02 10:00:00 +08:00");
}

TEST_F(ChinaWorkingTimeTest, NationalDay2025WithMakeUpDays) {
  // Friday 9/26 17:00: Sunday 9/28 is a 调休 working day.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2025-09-26 17:00"), 1)), "2025-09-28 17:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2025-09-26 17:00"), 2)), "2025-09-29 17:00:00 +08:00");
  // Tuesday 9/30, the last day before the 8-day holiday of 10/1 to 10/8.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2025-09-30 15:00"), 1)), "2025-10-09 15:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2025-09-30 15:00"), 2)), "2025-10-10 15:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2025-09-30 15:00"), 3)), "2025-10-11 15:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2025-09-30 15:00"), 4)), "2025-10-13 15:00:00 +08:00");
  // 3 h on 9/30, 7.5 h on 10/9, then 3 h and 2.5 h on 10/10.
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2025-09-30 15:00"), hours(16))), "2025-10-10 16:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2025-09-27 10:00"), hours(8))), "2025-09-29 09:30:00 +08:00");

  Result<Microseconds> holiday = Cn().WorkingTimeBetween(At("2025-10-01 00:00"), At("2025-10-09 00:00"));
  ASSERT_TRUE(holiday.ok());
  EXPECT_EQ(*holiday, Microseconds(0));
  Result<Microseconds> week = Cn().WorkingTimeBetween(At("2025-10-06 00:00"), At("2025-10-13 00:00"));
  ASSERT_TRUE(week.ok());
  EXPECT_EQ(*week, hours(15) + hours(7) + minutes(30));  // 10/9, 10/10 and 调休 Saturday 10/11
}

TEST_F(ChinaWorkingTimeTest, YearBoundaryWithData) {
  // 2026-01-01 to 01-03 are 元旦 and Sunday 1/4 is a 调休 working day.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2025-12-31 17:00"), 1)), "2026-01-04 17:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2025-12-31 17:00"), 2)), "2026-01-05 17:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkingTime(At("2025-12-31 17:00"), hours(2))), "2026-01-04 10:00:00 +08:00");
  EXPECT_TRUE(Cn().YearsWithoutData(At("2025-12-31 17:00"), At("2026-01-05 17:00")).empty());
}

TEST_F(ChinaWorkingTimeTest, MissingYearUsesWeeklyPattern) {
  // 2027 has no file and cn uses missing_years: weekly_pattern, so Friday 2027-01-01 counts as a
  // working day although 元旦 will be a holiday.
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-12-31 17:00"), 1)), "2027-01-01 17:00:00 +08:00");
  EXPECT_EQ(Show(Cn().AddWorkdays(At("2026-12-31 17:00"), 2)), "2027-01-04 17:00:00 +08:00");
  EXPECT_EQ(Cn().YearsWithoutData(At("2026-12-31 17:00"), At("2027-01-04 17:00")), std::vector<int>{2027});

  Result<DayInfo> day = Cn().DescribeDay(cctz::civil_day(2027, 1, 1));
  ASSERT_TRUE(day.ok());
  EXPECT_EQ(day->kind, DayKind::kWorkday);
  EXPECT_TRUE(day->from_weekly_pattern);
}

TEST(MissingYearPolicyTest, ErrorPolicyFailsOnlyWhenNeeded) {
  CalendarSpec spec;
  spec.id = "strict";
  spec.working_hours = {{9 * 60, 18 * 60, {}}};
  spec.missing_years = MissingYearPolicy::kError;
  YearData year_2026;
  year_2026.year = 2026;
  spec.years.push_back(year_2026);
  Result<BusinessCalendar> strict = BusinessCalendar::Create(spec);
  ASSERT_TRUE(strict.ok()) << strict.error().ToLogString();

  // Within 2026 nothing needs 2027.
  Timestamp thursday = Local(*strict, "2026-12-31 10:00");
  Result<Microseconds> same_day = strict->WorkingTimeBetween(thursday, Local(*strict, "2026-12-31 20:00"));
  ASSERT_TRUE(same_day.ok()) << same_day.error().ToLogString();
  EXPECT_EQ(*same_day, hours(8));

  // Crossing into 2027 does.
  Result<Timestamp> deadline = strict->AddWorkdays(thursday, 2);
  ASSERT_FALSE(deadline.ok());
  EXPECT_EQ(deadline.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(deadline.error().message_en().find("no holiday data for 2027"), std::string::npos)
      << deadline.error().message_en();
  EXPECT_NE(deadline.error().message_zh().find("没有 2027 年的节假日数据"), std::string::npos)
      << deadline.error().message_zh();
}

TEST_F(ChinaWorkingTimeTest, NegativeAmountsAreRejected) {
  Result<Timestamp> time = Cn().AddWorkingTime(At("2026-03-02 10:00"), -hours(1));
  ASSERT_FALSE(time.ok());
  EXPECT_EQ(time.error().code(), ErrorCode::kInvalidArgument);
  Result<Timestamp> days = Cn().AddWorkdays(At("2026-03-02 10:00"), -1);
  ASSERT_FALSE(days.ok());
  EXPECT_EQ(days.error().code(), ErrorCode::kInvalidArgument);
  Result<Timestamp> too_many = Cn().AddWorkdays(At("2026-03-02 10:00"), kMaxDaysWalked + 1);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code(), ErrorCode::kInvalidArgument);
}

TEST_F(ChinaWorkingTimeTest, SubSecondPrecisionIsKept) {
  Timestamp start = At("2026-03-02 17:59:59") + std::chrono::microseconds(250'000);
  EXPECT_EQ(Show(Cn().AddWorkingTime(start, std::chrono::microseconds(750'001))),
            "2026-03-03 09:00:00.000001 +08:00");
}

}  // namespace
}  // namespace salesradar::calendar
