// Bad calendar files: each must fail with the file, the line, the value and a fix in both
// languages.
#include "calendar/calendar_loader.h"

#include <string>

#include <gtest/gtest.h>

#include "calendar/test_calendars.h"

namespace salesradar::calendar {
namespace {

const char kCalendarYaml[] = R"(id: test
zone: Asia/Shanghai
working_hours:
  - "09:00-12:00"
  - "13:30-18:00"
rest_days: [saturday, sunday]
)";

// Loads kCalendarYaml with one year file and returns the error; fails the test if it loads.
Error LoadYearError(const std::string& year_file_name, const std::string& year_yaml) {
  Result<BusinessCalendar> calendar =
      LoadCalendar(CalendarFile{"test/calendar.yaml", kCalendarYaml}, {CalendarFile{year_file_name, year_yaml}});
  EXPECT_FALSE(calendar.ok()) << "the year file was accepted:\n" << year_yaml;
  if (calendar.ok()) {
    return Internal("加载成功", "loaded");
  }
  return calendar.error();
}

Error LoadCalendarError(const std::string& calendar_yaml) {
  Result<BusinessCalendar> calendar = LoadCalendar(CalendarFile{"test/calendar.yaml", calendar_yaml}, {});
  EXPECT_FALSE(calendar.ok()) << "the calendar file was accepted:\n" << calendar_yaml;
  if (calendar.ok()) {
    return Internal("加载成功", "loaded");
  }
  return calendar.error();
}

// Checks that both messages name `file` and `line` and contain the given fragments.
void ExpectMessage(const Error& error, const std::string& file, int line, const std::string& en_fragment,
                   const std::string& zh_fragment) {
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  const std::string& en = error.message_en();
  const std::string& zh = error.message_zh();
  EXPECT_EQ(en.rfind(file + " line " + std::to_string(line) + ": ", 0), 0u) << en;
  EXPECT_EQ(zh.rfind(file + " 第 " + std::to_string(line) + " 行：", 0), 0u) << zh;
  EXPECT_NE(en.find(en_fragment), std::string::npos) << en;
  EXPECT_NE(zh.find(zh_fragment), std::string::npos) << zh;
}

TEST(CalendarLoaderTest, ShippedCalendarsLoad) {
  for (const std::string id : {"cn", "nl"}) {
    Result<BusinessCalendar> calendar = LoadCalendar(testing::ShippedCalendarFile(id), testing::ShippedYearFiles(id));
    ASSERT_TRUE(calendar.ok()) << calendar.error().ToLogString();
    EXPECT_EQ(calendar->id(), id);
  }
}

TEST(CalendarLoaderTest, OverlappingHolidays) {
  Error error = LoadYearError("test/2026.yaml", R"(year: 2026
holidays:
  - name: {zh: 春节, en: Spring Festival}
    from: 2026-02-15
    to: 2026-02-23
  - name: {zh: 测试, en: Test}
    from: 2026-02-20
    to: 2026-02-25
)");
  ExpectMessage(error, "test/2026.yaml", 6, "holiday 'Test' (2026-02-20 to 2026-02-25) overlaps holiday 'Spring Festival'",
                "日期重叠");
}

TEST(CalendarLoaderTest, MakeUpDayThatIsNotAWeekend) {
  Error error = LoadYearError("test/2026.yaml", R"(year: 2026
make_up_workdays:
  - date: 2026-02-13
    name: {zh: 调休, en: Make-up}
)");
  ExpectMessage(error, "test/2026.yaml", 3, "make-up working day 2026-02-13 is a friday, not a weekly rest day (saturday, sunday)",
                "调休上班日 2026-02-13 是星期五");
}

TEST(CalendarLoaderTest, MakeUpDayInsideHoliday) {
  Error error = LoadYearError("test/2026.yaml", R"(year: 2026
holidays:
  - name: {zh: 春节, en: Spring Festival}
    from: 2026-02-15
    to: 2026-02-23
make_up_workdays:
  - date: 2026-02-21
    name: {zh: 调休, en: Make-up}
)");
  ExpectMessage(error, "test/2026.yaml", 7, "2026-02-21 is also inside holiday 'Spring Festival'", "同时落在假日 '春节' 中");
}

TEST(CalendarLoaderTest, DuplicateMakeUpDay) {
  Error error = LoadYearError("test/2026.yaml", R"(year: 2026
make_up_workdays:
  - date: 2026-02-14
    name: {zh: 调休, en: Make-up}
  - date: 2026-02-14
    name: {zh: 调休, en: Make-up}
)");
  ExpectMessage(error, "test/2026.yaml", 5, "2026-02-14 is listed twice", "重复出现");
}

TEST(CalendarLoaderTest, DateOutsideFileYear) {
  Error holiday = LoadYearError("test/2026.yaml", R"(year: 2026
holidays:
  - name: {zh: 元旦, en: New Year's Day}
    from: 2025-12-31
    to: 2026-01-01
)");
  ExpectMessage(holiday, "test/2026.yaml", 3, "date 2025-12-31 is outside this file's year 2026; move it to the file for 2025",
                "不在本文件的年份 2026 内");

  Error make_up = LoadYearError("test/2026.yaml", R"(year: 2026
make_up_workdays:
  - date: 2027-01-02
    name: {zh: 调休, en: Make-up}
)");
  ExpectMessage(make_up, "test/2026.yaml", 3, "date 2027-01-02 is outside this file's year 2026", "2027 年的文件");
}

TEST(CalendarLoaderTest, HolidayEndingBeforeItStarts) {
  Error error = LoadYearError("test/2026.yaml", R"(year: 2026
holidays:
  - name: {zh: 国庆节, en: National Day}
    from: 2026-10-07
    to: 2026-10-01
)");
  ExpectMessage(error, "test/2026.yaml", 3, "starts on 2026-10-07, after its end 2026-10-01; swap from and to", "交换 from 和 to");
}

TEST(CalendarLoaderTest, InvalidDate) {
  Error error = LoadYearError("test/2026.yaml", R"(year: 2026
holidays:
  - name: {zh: 春节, en: Spring Festival}
    date: 2026-02-30
)");
  ExpectMessage(error, "test/2026.yaml", 4, "invalid date '2026-02-30'; write an existing date as YYYY-MM-DD",
                "日期 '2026-02-30' 无效");
}

TEST(CalendarLoaderTest, HolidayWithBothDateAndRange) {
  Error error = LoadYearError("test/2026.yaml", R"(year: 2026
holidays:
  - name: {zh: 春节, en: Spring Festival}
    date: 2026-02-15
    to: 2026-02-23
)");
  ExpectMessage(error, "test/2026.yaml", 3, "needs either date (one day) or from and to", "只写 date");
}

TEST(CalendarLoaderTest, MissingName) {
  Error error = LoadYearError("test/2026.yaml", R"(year: 2026
holidays:
  - date: 2026-02-15
)");
  ExpectMessage(error, "test/2026.yaml", 3, "field 'name' must be written as {zh: 中文名, en: English name}",
                "字段 'name' 必须写成");
}

TEST(CalendarLoaderTest, UnknownField) {
  Error error = LoadYearError("test/2026.yaml", R"(year: 2026
holiday:
  - name: {zh: 春节, en: Spring Festival}
    date: 2026-02-15
)");
  ExpectMessage(error, "test/2026.yaml", 2, "unknown field 'holiday'; the fields allowed here are year, source, holidays, make_up_workdays",
                "未知字段 'holiday'");
}

TEST(CalendarLoaderTest, FileNameAndYearDisagree) {
  Error error = LoadYearError("test/2026.yaml", "year: 2025\n");
  ExpectMessage(error, "test/2026.yaml", 1, "the file name says 2026 but its year field says 2025", "文件名表示 2026 年");
}

TEST(CalendarLoaderTest, InvalidYear) {
  Error error = LoadYearError("test/extra.yaml", "year: twenty\n");
  ExpectMessage(error, "test/extra.yaml", 1, "year 'twenty' is invalid", "年份 'twenty' 无效");
}

TEST(CalendarLoaderTest, YamlSyntaxError) {
  Error error = LoadYearError("test/2026.yaml", "year: 2026\nholidays:\n  - name: {zh: 春节, en: Spring\n");
  EXPECT_EQ(error.code(), ErrorCode::kInvalidArgument);
  EXPECT_NE(error.message_en().find("test/2026.yaml line "), std::string::npos) << error.message_en();
  EXPECT_NE(error.message_en().find("YAML syntax error"), std::string::npos) << error.message_en();
}

TEST(CalendarLoaderTest, TwoFilesForOneYear) {
  Result<BusinessCalendar> calendar =
      LoadCalendar(CalendarFile{"test/calendar.yaml", kCalendarYaml},
                   {CalendarFile{"test/2026.yaml", "year: 2026\n"}, CalendarFile{"test/2026-copy.yaml", "year: 2026\n"}});
  ASSERT_FALSE(calendar.ok());
  ExpectMessage(calendar.error(), "test/2026-copy.yaml", 1, "year 2026 is defined twice", "出现了两次");
}

TEST(CalendarLoaderTest, UnknownZone) {
  Error error = LoadCalendarError(R"(id: test
zone: Asia/Shangai
working_hours: ["09:00-18:00"]
)");
  ExpectMessage(error, "test/calendar.yaml", 2, "unknown time zone 'Asia/Shangai'; use an IANA zone name such as Asia/Shanghai",
                "未知的时区 'Asia/Shangai'");
}

TEST(CalendarLoaderTest, BadWorkingHours) {
  struct Case {
    std::string hours;
    std::string en_fragment;
  };
  const Case cases[] = {
      {R"(["9:00-12:00"])", "working hours '9:00-12:00' are invalid; write \"HH:MM-HH:MM\""},
      {R"(["09:00 to 12:00"])", "working hours '09:00 to 12:00' are invalid"},
      {R"(["09:00-25:00"])", "working hours '09:00-25:00' are invalid"},
      {R"(["18:00-09:00"])", "working hours '18:00-09:00' are invalid; the start must be before the end"},
      {R"(["12:00-12:00"])", "working hours '12:00-12:00' are invalid; the start must be before the end"},
      {R"(["09:00-13:00", "12:00-18:00"])", "working hours '12:00-18:00' overlap or precede the interval before them ('09:00-13:00')"},
      {R"(["13:30-18:00", "09:00-12:00"])", "working hours '09:00-12:00' overlap or precede"},
  };
  for (const Case& c : cases) {
    Error error = LoadCalendarError("id: test\nworking_hours: " + c.hours + "\n");
    ExpectMessage(error, "test/calendar.yaml", 2, c.en_fragment, "工作时间");
  }
}

TEST(CalendarLoaderTest, NoWorkingHoursOrNoWorkday) {
  Error no_hours = LoadCalendarError("id: test\n");
  EXPECT_NE(no_hours.message_en().find("has no working hours"), std::string::npos) << no_hours.message_en();

  Error no_workday = LoadCalendarError(
      "id: test\nworking_hours: [\"09:00-18:00\"]\n"
      "rest_days: [monday, tuesday, wednesday, thursday, friday, saturday, sunday]\n");
  EXPECT_NE(no_workday.message_en().find("lists all seven weekdays"), std::string::npos) << no_workday.message_en();
}

TEST(CalendarLoaderTest, BadRestDayPolicyAndId) {
  Error weekday = LoadCalendarError("id: test\nworking_hours: [\"09:00-18:00\"]\nrest_days: [Saturday]\n");
  ExpectMessage(weekday, "test/calendar.yaml", 3, "rest day 'Saturday' is invalid", "休息日 'Saturday' 无效");

  Error policy = LoadCalendarError("id: test\nworking_hours: [\"09:00-18:00\"]\nmissing_years: guess\n");
  ExpectMessage(policy, "test/calendar.yaml", 3, "missing_years 'guess' is invalid; write weekly_pattern or error",
                "missing_years 的值 'guess' 无效");

  Error id = LoadCalendarError("id: China Mainland\nworking_hours: [\"09:00-18:00\"]\n");
  ExpectMessage(id, "test/calendar.yaml", 1, "calendar id 'China Mainland' is invalid", "日历 id 'China Mainland' 无效");
}

TEST(CalendarLoaderTest, DefaultsApply) {
  Result<CalendarSpec> spec = ParseCalendarFile(CalendarFile{"x/calendar.yaml", "id: x\nworking_hours: [\"09:00-18:00\"]\n"});
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->zone, "Asia/Shanghai");
  EXPECT_EQ(spec->name.en, "x");
  EXPECT_TRUE(spec->rest_days[5]);
  EXPECT_TRUE(spec->rest_days[6]);
  EXPECT_FALSE(spec->rest_days[0]);
  EXPECT_EQ(spec->missing_years, MissingYearPolicy::kWeeklyPattern);
}

TEST(CalendarLoaderTest, SpecBuiltInCodeHasNoFilePrefix) {
  CalendarSpec spec;
  spec.id = "code";
  spec.zone = "Mars/Olympus";
  spec.working_hours = {{9 * 60, 18 * 60, {}}};
  Result<BusinessCalendar> calendar = BusinessCalendar::Create(spec);
  ASSERT_FALSE(calendar.ok());
  EXPECT_EQ(calendar.error().message_en().rfind("unknown time zone 'Mars/Olympus'", 0), 0u)
      << calendar.error().message_en();
}

}  // namespace
}  // namespace salesradar::calendar
