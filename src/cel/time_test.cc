#include <gtest/gtest.h>

#include "cel/test_util.h"
#include "cel/time_util.h"

namespace salesradar::cel {
namespace {

class TimeTest : public EvalFixture {
 protected:
  int64_t Int(std::string_view source) {
    Value v = Eval(source);
    EXPECT_EQ(v.kind(), ValueKind::kInt) << source << " gave " << DebugString(v);
    return v.kind() == ValueKind::kInt ? v.int_value() : -1;
  }
};

// 2026-01-31T17:30:00Z is 2026-02-01 01:30 in Shanghai (UTC+8, no daylight saving time).
TEST_F(TimeTest, AccessorsInShanghai) {
  const std::string t = "timestamp('2026-01-31T17:30:00Z')";
  EXPECT_EQ(Int(t + ".getHours()"), 17);
  EXPECT_EQ(Int(t + ".getHours('Asia/Shanghai')"), 1);
  EXPECT_EQ(Int(t + ".getDate('Asia/Shanghai')"), 1);
  EXPECT_EQ(Int(t + ".getMonth('Asia/Shanghai')"), 1);
  EXPECT_EQ(Int(t + ".getMonth()"), 0);
  EXPECT_EQ(Int(t + ".getDayOfWeek('Asia/Shanghai')"), 0);  // Sunday
  EXPECT_EQ(Int(t + ".getDayOfWeek()"), 6);                 // Saturday in UTC
  EXPECT_EQ(Int(t + ".getDayOfYear('Asia/Shanghai')"), 31);
  EXPECT_EQ(Int(t + ".getFullYear('Asia/Shanghai')"), 2026);
}

TEST_F(TimeTest, FixedOffsets) {
  const std::string t = "timestamp('2026-01-31T17:30:00Z')";
  EXPECT_EQ(Int(t + ".getHours('+08:00')"), 1);
  EXPECT_EQ(Int(t + ".getHours('08:00')"), 1);
  EXPECT_EQ(Int(t + ".getMinutes('-02:30')"), 0);
  EXPECT_EQ(Int(t + ".getHours('-02:30')"), 15);
  EXPECT_EQ(Int(t + ".getHours('UTC')"), 17);
}

TEST_F(TimeTest, DaylightSavingTime) {
  // New York is UTC-5 in January and UTC-4 in July.
  EXPECT_EQ(Int("timestamp('2026-01-15T12:00:00Z').getHours('America/New_York')"), 7);
  EXPECT_EQ(Int("timestamp('2026-07-15T12:00:00Z').getHours('America/New_York')"), 8);
}

TEST_F(TimeTest, UnknownZoneIsAnError) {
  Value v = Eval("timestamp('2026-01-31T17:30:00Z').getHours('Mars/Olympus')");
  ASSERT_TRUE(v.is_error());
  EXPECT_EQ(v.error_message(), "unknown time zone 'Mars/Olympus'");
  EXPECT_TRUE(Eval("timestamp('2026-01-31T17:30:00Z').getHours('+25:00')").is_error());
}

TEST_F(TimeTest, ParsesOffsetsInTimestamps) {
  EXPECT_TRUE(Eval("timestamp('2026-02-01T01:30:00+08:00') == timestamp('2026-01-31T17:30:00Z')").bool_value());
  EXPECT_TRUE(Eval("timestamp('2026-02-30T00:00:00Z')").is_error());
  EXPECT_TRUE(Eval("timestamp('2026-01-31 17:30:00Z')").is_error());
}

TEST_F(TimeTest, Arithmetic) {
  EXPECT_TRUE(Eval("timestamp('2026-01-01T00:00:00Z') + duration('48h') == timestamp('2026-01-03T00:00:00Z')").bool_value());
  EXPECT_EQ(Eval("timestamp('2026-01-03T00:00:00Z') - timestamp('2026-01-01T00:00:00Z')").duration().nanos,
            int64_t{48} * 3600 * 1'000'000'000);
  EXPECT_EQ(Int("duration('1h30m').getMinutes()"), 90);
  EXPECT_EQ(Eval("string(duration('-1.5s'))").string_value(), "-1.5s");
  EXPECT_EQ(Eval("string(timestamp('2026-01-01T00:00:00.250+08:00'))").string_value(), "2025-12-31T16:00:00.25Z");
  EXPECT_TRUE(Eval("timestamp('9999-12-31T23:59:59Z') + duration('1s')").is_error());
}

TEST(DurationText, ParseAndFormat) {
  EXPECT_EQ(ParseDuration("1h2m3.5s")->nanos, 3'723'500'000'000);
  EXPECT_EQ(ParseDuration("300ms")->nanos, 300'000'000);
  EXPECT_EQ(ParseDuration("1us")->nanos, 1000);
  EXPECT_EQ(ParseDuration("1\xC2\xB5s")->nanos, 1000);
  EXPECT_EQ(ParseDuration("-0.5h")->nanos, -1'800'000'000'000);
  EXPECT_FALSE(ParseDuration("1d").has_value());
  EXPECT_FALSE(ParseDuration("h").has_value());
  EXPECT_FALSE(ParseDuration("").has_value());
  EXPECT_FALSE(ParseDuration("3000000h").has_value());
  EXPECT_EQ(FormatDuration(Duration{1'000'000'000}), "1s");
  EXPECT_EQ(FormatDuration(Duration{-1}), "-0.000000001s");
}

}  // namespace
}  // namespace salesradar::cel
