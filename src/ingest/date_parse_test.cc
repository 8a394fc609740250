#include "ingest/date_parse.h"

#include <vector>

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

std::vector<DateFormat> Formats(std::initializer_list<std::string_view> patterns) {
  std::vector<DateFormat> formats;
  for (std::string_view pattern : patterns) {
    formats.push_back(DateFormat::Parse(pattern).value());
  }
  return formats;
}

TEST(DateParseTest, IsoAndSlashAndDots) {
  auto formats = Formats({"YYYY-MM-DD", "YYYY/MM/DD", "DD.MM.YYYY"});
  year_month_day expected{year(2017), month(3), day(1)};
  EXPECT_EQ(ParseDateTime("2017-03-01", formats)->date, expected);
  EXPECT_EQ(ParseDateTime("2017/3/1", formats)->date, expected);
  EXPECT_EQ(ParseDateTime("01.03.2017", formats)->date, expected);
  EXPECT_FALSE(ParseDateTime("2017-03-01", formats)->has_time);
}

TEST(DateParseTest, DateWithTime) {
  auto formats = Formats({"YYYY-MM-DD HH:mm:ss", "YYYY-MM-DD HH:mm"});
  Result<CivilDateTime> parsed = ParseDateTime("2017-03-01 09:05:30", formats);
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->has_time);
  EXPECT_EQ(parsed->time_of_day, std::chrono::seconds(9 * 3600 + 5 * 60 + 30));
  EXPECT_EQ(ParseDateTime("2017-03-01 23:59", formats)->time_of_day,
            std::chrono::seconds(23 * 3600 + 59 * 60));
}

TEST(DateParseTest, ChineseAndDefaultFormats) {
  year_month_day expected{year(2017), month(12), day(31)};
  EXPECT_EQ(ParseDateTime("2017年12月31日", DefaultDateFormats())->date, expected);
  EXPECT_EQ(ParseDateTime("2017-12-31", DefaultDateFormats())->date, expected);
}

TEST(DateParseTest, ImpossibleDatesAreRejected) {
  auto formats = Formats({"YYYY-MM-DD"});
  EXPECT_FALSE(ParseDateTime("2017-02-30", formats).ok());
  EXPECT_FALSE(ParseDateTime("2017-13-01", formats).ok());
  EXPECT_FALSE(ParseDateTime("2017-03-01x", formats).ok());
  EXPECT_FALSE(ParseDateTime("17-03-01", formats).ok());
  EXPECT_FALSE(ParseDateTime("", formats).ok());
  EXPECT_FALSE(ParseDateTime("2017-03-01 25:00", Formats({"YYYY-MM-DD HH:mm"})).ok());
}

TEST(DateParseTest, ErrorListsFormats) {
  Result<CivilDateTime> parsed = ParseDateTime("March 1", Formats({"YYYY-MM-DD", "DD.MM.YYYY"}));
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.error().message_en(),
            "not a valid date; expected one of the formats YYYY-MM-DD, DD.MM.YYYY");
}

TEST(DateParseTest, ExcelSerial) {
  auto formats = Formats({"excel"});
  EXPECT_EQ(ParseDateTime("42795", formats)->date, (year_month_day{year(2017), month(3), day(1)}));
  Result<CivilDateTime> noon = ParseDateTime("42795.5", formats);
  ASSERT_TRUE(noon.ok());
  EXPECT_TRUE(noon->has_time);
  EXPECT_EQ(noon->time_of_day, std::chrono::seconds(12 * 3600));
  EXPECT_EQ(ParseDateTime("61", formats)->date, (year_month_day{year(1900), month(3), day(1)}));
  EXPECT_FALSE(ParseDateTime("60", formats).ok());
  EXPECT_FALSE(ParseDateTime("abc", formats).ok());
}

TEST(DateFormatTest, InvalidPatterns) {
  EXPECT_FALSE(DateFormat::Parse("MM-DD").ok());
  EXPECT_FALSE(DateFormat::Parse("YYYY-MM-DD-DD").ok());
  EXPECT_FALSE(DateFormat::Parse("YYYY-MM-DD mm").ok());
  Result<DateFormat> bad = DateFormat::Parse("dd/mm/yyyy");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message_en().find("'dd/mm/yyyy'"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::ingest

namespace salesradar::ingest {
namespace {

CivilDateTime MatchOrDie(std::string_view pattern, std::string_view text) {
  Result<DateFormat> format = DateFormat::Parse(pattern);
  EXPECT_TRUE(format.ok()) << pattern;
  std::optional<CivilDateTime> parsed = format->Match(text);
  EXPECT_TRUE(parsed.has_value()) << text;
  return parsed.value_or(CivilDateTime{});
}

TEST(DateParseTest, FractionAndUtcOffset) {
  CivilDateTime parsed = MatchOrDie("YYYY-MM-DDTHH:mm:ss.SSSZ", "2011-10-01T00:38:44.546+02:00");
  EXPECT_EQ(parsed.date, std::chrono::year_month_day(std::chrono::year(2011), std::chrono::October,
                                                     std::chrono::day(1)));
  EXPECT_EQ(parsed.time_of_day, std::chrono::seconds(38 * 60 + 44));
  EXPECT_EQ(parsed.fraction, std::chrono::microseconds(546000));
  ASSERT_TRUE(parsed.utc_offset.has_value());
  EXPECT_EQ(*parsed.utc_offset, std::chrono::seconds(7200));
}

TEST(DateParseTest, UtcOffsetForms) {
  EXPECT_EQ(*MatchOrDie("YYYY-MM-DD HH:mm:ssZ", "2026-02-14 09:00:00Z").utc_offset,
            std::chrono::seconds(0));
  EXPECT_EQ(*MatchOrDie("YYYY-MM-DD HH:mm:ssZ", "2026-02-14 09:00:00-0530").utc_offset,
            std::chrono::seconds(-(5 * 3600 + 30 * 60)));
  EXPECT_EQ(MatchOrDie("YYYY-MM-DD HH:mm:ss.SSS", "2026-02-14 09:00:00.1234567").fraction,
            std::chrono::microseconds(123456));
}

TEST(DateParseTest, BadFractionAndOffsetDoNotMatch) {
  Result<DateFormat> format = DateFormat::Parse("YYYY-MM-DDTHH:mm:ss.SSSZ");
  ASSERT_TRUE(format.ok());
  EXPECT_FALSE(format->Match("2011-10-01T00:38:44.+02:00").has_value());
  EXPECT_FALSE(format->Match("2011-10-01T00:38:44.5+2:00").has_value());
  EXPECT_FALSE(format->Match("2011-10-01T00:38:44.5+25:00").has_value());
  EXPECT_FALSE(format->Match("2011-10-01T00:38:44.5").has_value());
}

TEST(DateParseTest, FractionNeedsSecondsAndOffsetNeedsHours) {
  EXPECT_FALSE(DateFormat::Parse("YYYY-MM-DD HH:mm.SSS").ok());
  EXPECT_FALSE(DateFormat::Parse("YYYY-MM-DDZ").ok());
}

}  // namespace
}  // namespace salesradar::ingest
