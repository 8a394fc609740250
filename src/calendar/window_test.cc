#include "calendar/window.h"

#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "calendar/test_calendars.h"

namespace salesradar::calendar {
namespace {

TEST(ParseWindowTest, AcceptsEveryUnit) {
  struct Case {
    std::string text;
    Window expected;
  };
  const Case cases[] = {
      {"48h", {48, WindowUnit::kHours}},
      {"30m", {30, WindowUnit::kMinutes}},
      {"3d", {3, WindowUnit::kDays}},
      {"2 workdays", {2, WindowUnit::kWorkdays}},
      {"1 workday", {1, WindowUnit::kWorkdays}},
      {"16 work_hours", {16, WindowUnit::kWorkHours}},
      {"1 work_hour", {1, WindowUnit::kWorkHours}},
      {"90 work_minutes", {90, WindowUnit::kWorkMinutes}},
      {"  48 h  ", {48, WindowUnit::kHours}},
      {"2workdays", {2, WindowUnit::kWorkdays}},
      {"87600h", {87600, WindowUnit::kHours}},
      {"2500 workdays", {2500, WindowUnit::kWorkdays}},
  };
  for (const Case& c : cases) {
    Result<Window> window = ParseWindow(c.text);
    ASSERT_TRUE(window.ok()) << c.text << ": " << window.error().ToLogString();
    EXPECT_EQ(*window, c.expected) << c.text;
  }
}

TEST(ParseWindowTest, RejectsWithMessageNamingTheProblem) {
  struct Case {
    std::string text;
    std::string expected_en;
    std::string expected_zh;
  };
  const Case cases[] = {
      {"", "it is empty", "内容为空"},
      {"   ", "it is empty", "内容为空"},
      {"h", "must start with a whole number", "必须以正整数开头"},
      {"-3h", "must start with a whole number", "必须以正整数开头"},
      {"+3h", "must start with a whole number", "必须以正整数开头"},
      {"1.5h", "must be a whole number", "必须是整数"},
      {"0h", "at least 1", "至少为 1"},
      {"0 workdays", "at least 1", "至少为 1"},
      {"48", "unknown unit ''", "未知的单位 ''"},
      {"48 hours", "unknown unit 'hours'", "未知的单位 'hours'"},
      {"48H", "unknown unit 'H'", "未知的单位 'H'"},
      {"10s", "unknown unit 's'", "未知的单位 's'"},
      {"2 work days", "unknown unit 'work days'", "未知的单位 'work days'"},
      {"16 work hours", "unknown unit 'work hours'", "未知的单位 'work hours'"},
      {"2 工作日", "unknown unit '工作日'", "未知的单位 '工作日'"},
      {"87601h", "exceeds the maximum 87600", "超过上限 87600"},
      {"2501 workdays", "exceeds the maximum 2500", "超过上限 2500"},
      {"9999999999h", "too large", "数字过大"},
  };
  for (const Case& c : cases) {
    Result<Window> window = ParseWindow(c.text);
    ASSERT_FALSE(window.ok()) << "'" << c.text << "' was accepted";
    EXPECT_EQ(window.error().code(), ErrorCode::kInvalidArgument);
    const std::string& en = window.error().message_en();
    const std::string& zh = window.error().message_zh();
    EXPECT_NE(en.find("'" + c.text + "'"), std::string::npos) << en;
    EXPECT_NE(en.find(c.expected_en), std::string::npos) << en;
    EXPECT_NE(en.find("2 workdays"), std::string::npos) << en;  // shows the accepted forms
    EXPECT_NE(zh.find(c.expected_zh), std::string::npos) << zh;
  }
}

TEST(FormatWindowTest, RoundTrips) {
  for (const char* text : {"48h", "30m", "3d", "2 workdays", "1 workday", "16 work_hours", "1 work_hour",
                           "90 work_minutes"}) {
    Result<Window> window = ParseWindow(text);
    ASSERT_TRUE(window.ok()) << text;
    EXPECT_EQ(FormatWindow(*window), text);
  }
}

TEST(WindowTest, DurationsAndKinds) {
  EXPECT_EQ(Window({3, WindowUnit::kDays}).Duration(), std::chrono::hours(72));
  EXPECT_EQ(Window({30, WindowUnit::kMinutes}).Duration(), std::chrono::minutes(30));
  EXPECT_EQ(Window({16, WindowUnit::kWorkHours}).Duration(), std::chrono::hours(16));
  EXPECT_FALSE(Window({48, WindowUnit::kHours}).IsBusinessTime());
  EXPECT_TRUE(Window({2, WindowUnit::kWorkdays}).IsBusinessTime());
  EXPECT_TRUE(Window({90, WindowUnit::kWorkMinutes}).IsBusinessTime());
}

TEST(WindowEndTest, EachKindOnChinaCalendar) {
  BusinessCalendar cn = testing::LoadShipped("cn");
  Timestamp friday = testing::Local(cn, "2026-02-13 17:00");
  struct Case {
    std::string window;
    std::string expected;
  };
  const Case cases[] = {
      {"48h", "2026-02-15 17:00:00 +08:00"},
      {"30m", "2026-02-13 17:30:00 +08:00"},
      {"3d", "2026-02-16 17:00:00 +08:00"},
      {"2 workdays", "2026-02-24 17:00:00 +08:00"},
      {"16 work_hours", "2026-02-24 18:00:00 +08:00"},
      {"90 work_minutes", "2026-02-14 09:30:00 +08:00"},
  };
  for (const Case& c : cases) {
    Result<Window> window = ParseWindow(c.window);
    ASSERT_TRUE(window.ok()) << c.window;
    Result<Timestamp> end = WindowEnd(cn, friday, *window);
    ASSERT_TRUE(end.ok()) << c.window;
    EXPECT_EQ(cn.FormatLocal(*end), c.expected) << c.window;
  }
}

}  // namespace
}  // namespace salesradar::calendar
