#include "calendar/calendar_registry.h"

#include <gtest/gtest.h>

#include "calendar/test_calendars.h"

namespace salesradar::calendar {
namespace {

TEST(CalendarRegistryTest, AddFindAndList) {
  CalendarRegistry registry;
  ASSERT_TRUE(registry.Add(testing::LoadShipped("nl")).ok());
  ASSERT_TRUE(registry.Add(testing::LoadShipped("cn")).ok());
  EXPECT_EQ(registry.size(), 2u);
  EXPECT_EQ(registry.Ids(), (std::vector<std::string>{"cn", "nl"}));

  Result<std::shared_ptr<const BusinessCalendar>> cn = registry.Find("cn");
  ASSERT_TRUE(cn.ok());
  EXPECT_EQ((*cn)->zone().name(), "Asia/Shanghai");
}

TEST(CalendarRegistryTest, DuplicateIdIsRejected) {
  CalendarRegistry registry;
  ASSERT_TRUE(registry.Add(testing::LoadShipped("cn")).ok());
  Status again = registry.Add(testing::LoadShipped("cn"));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kAlreadyExists);
  EXPECT_NE(again.error().message_en().find("calendar 'cn' already exists"), std::string::npos);
}

TEST(CalendarRegistryTest, UnknownIdListsKnownOnes) {
  CalendarRegistry registry;
  ASSERT_TRUE(registry.Add(testing::LoadShipped("cn")).ok());
  ASSERT_TRUE(registry.Add(testing::LoadShipped("nl")).ok());
  Result<std::shared_ptr<const BusinessCalendar>> missing = registry.Find("de");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(missing.error().message_en(), "calendar 'de' not found; the known calendars are: cn, nl");
  EXPECT_EQ(missing.error().message_zh(), "找不到日历 'de'；已知的日历有：cn, nl");
}

TEST(CalendarRegistryTest, ReplaceKeepsOldVersionAliveForHolders) {
  CalendarRegistry registry;
  ASSERT_TRUE(registry.Add(testing::LoadShipped("cn")).ok());
  std::shared_ptr<const BusinessCalendar> old_version = *registry.Find("cn");

  // An admin replaces cn by a calendar without year files.
  registry.Replace(testing::LoadInline("id: cn\nworking_hours: [\"09:00-17:00\"]\n"));
  std::shared_ptr<const BusinessCalendar> new_version = *registry.Find("cn");

  EXPECT_TRUE(old_version->HasYearData(2026));
  EXPECT_FALSE(new_version->HasYearData(2026));
  EXPECT_EQ(registry.size(), 1u);
}

}  // namespace
}  // namespace salesradar::calendar
