#include "server/config_values.h"

#include <gtest/gtest.h>

namespace salesradar::server {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(ConfigValuesTest, IntegerInRange) {
  EXPECT_EQ(*ParseInteger("2", 1, 10), 2);
  EXPECT_EQ(*ParseInteger("-3", -5, 10), -3);
}

TEST(ConfigValuesTest, IntegerErrorsNameValueAndRange) {
  Result<int64_t> malformed = ParseInteger("two", 1, 10);
  ASSERT_FALSE(malformed.ok());
  EXPECT_EQ(malformed.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(malformed.error().message_en(), "'two' is not a whole number; write a number from 1 to 10");
  EXPECT_EQ(malformed.error().message_zh(), "“two” 不是整数；请写 1 到 10 之间的整数");

  Result<int64_t> too_big = ParseInteger("11", 1, 10);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().message_en(), "11 is out of range; write a number from 1 to 10");

  EXPECT_FALSE(ParseInteger("", 1, 10).ok());
  EXPECT_FALSE(ParseInteger("2 ", 1, 10).ok());
  EXPECT_FALSE(ParseInteger("99999999999999999999", 1, 10).ok());
}

TEST(ConfigValuesTest, ByteSizeUnits) {
  const uint64_t max = uint64_t{1} << 40;
  EXPECT_EQ(*ParseByteSize("1048576", 1, max), 1048576u);
  EXPECT_EQ(*ParseByteSize("512KiB", 1, max), 512u * 1024);
  EXPECT_EQ(*ParseByteSize("8 MiB", 1, max), 8u << 20);
  EXPECT_EQ(*ParseByteSize("8mib", 1, max), 8u << 20);
  EXPECT_EQ(*ParseByteSize("2MB", 1, max), 2000000u);
  EXPECT_EQ(*ParseByteSize("1GiB", 1, max), 1u << 30);
  EXPECT_EQ(*ParseByteSize("10B", 1, max), 10u);
}

TEST(ConfigValuesTest, ByteSizeErrors) {
  Result<uint64_t> bad_unit = ParseByteSize("8XB", 1, 1 << 30);
  ASSERT_FALSE(bad_unit.ok());
  EXPECT_NE(bad_unit.error().message_en().find("'8XB' is not a size"), std::string::npos);

  Result<uint64_t> too_big = ParseByteSize("2GiB", 1, 1 << 30);
  ASSERT_FALSE(too_big.ok());
  EXPECT_EQ(too_big.error().message_en(), "'2GiB' is out of range; write a size from 1B to 1GiB");

  EXPECT_FALSE(ParseByteSize("", 1, 100).ok());
  EXPECT_FALSE(ParseByteSize("MiB", 1, 100).ok());
  EXPECT_FALSE(ParseByteSize("-1", 1, 100).ok());
  EXPECT_FALSE(ParseByteSize("99999999999GiB", 1, UINT64_MAX).ok());
}

TEST(ConfigValuesTest, Durations) {
  EXPECT_EQ(*ParseDuration("500ms", milliseconds(0), hours(1)), milliseconds(500));
  EXPECT_EQ(*ParseDuration("30s", milliseconds(0), hours(1)), seconds(30));
  EXPECT_EQ(*ParseDuration("2m", milliseconds(0), hours(1)), seconds(120));
  EXPECT_EQ(*ParseDuration("1h", milliseconds(0), hours(1)), hours(1));
  EXPECT_EQ(*ParseDuration("1m30s", milliseconds(0), hours(1)), seconds(90));
  EXPECT_EQ(*ParseDuration("1s500ms", milliseconds(0), hours(1)), milliseconds(1500));
}

TEST(ConfigValuesTest, DurationErrors) {
  Result<milliseconds> no_unit = ParseDuration("30", milliseconds(0), hours(1));
  ASSERT_FALSE(no_unit.ok());
  EXPECT_EQ(no_unit.error().message_en(),
            "'30' is not a duration; write whole numbers with a unit ms, s, m or h, for example "
            "500ms, 30s or 1m30s");

  Result<milliseconds> too_long = ParseDuration("2h", milliseconds(1), hours(1));
  ASSERT_FALSE(too_long.ok());
  EXPECT_EQ(too_long.error().message_en(), "'2h' is out of range; write a duration from 1ms to 1h");

  EXPECT_FALSE(ParseDuration("", milliseconds(0), hours(1)).ok());
  EXPECT_FALSE(ParseDuration("1.5s", milliseconds(0), hours(1)).ok());
  EXPECT_FALSE(ParseDuration("5d", milliseconds(0), hours(1)).ok());
  EXPECT_FALSE(ParseDuration("s", milliseconds(0), hours(1)).ok());
}

TEST(ConfigValuesTest, ListenAddresses) {
  ListenAddress v4 = *ParseListenAddress("0.0.0.0:80");
  EXPECT_EQ(v4.host, "0.0.0.0");
  EXPECT_EQ(v4.port, 80);

  ListenAddress v6 = *ParseListenAddress("[::1]:8443");
  EXPECT_EQ(v6.host, "::1");
  EXPECT_EQ(v6.port, 8443);
  EXPECT_EQ(v6.ToString(), "[::1]:8443");

  ListenAddress local = *ParseListenAddress("localhost:0");
  EXPECT_EQ(local.host, "127.0.0.1");
  EXPECT_EQ(local.port, 0);
}

TEST(ConfigValuesTest, ListenAddressErrors) {
  Result<ListenAddress> no_port = ParseListenAddress("127.0.0.1");
  ASSERT_FALSE(no_port.ok());
  EXPECT_EQ(no_port.error().message_en(),
            "'127.0.0.1' has no port; write host:port, for example 127.0.0.1:8080 or [::1]:8080");

  EXPECT_FALSE(ParseListenAddress("example.com:80").ok());
  EXPECT_FALSE(ParseListenAddress("::1:80").ok());
  EXPECT_FALSE(ParseListenAddress("[::zz]:80").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:65536").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:").ok());
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:80x").ok());
}

TEST(ConfigValuesTest, LogLevels) {
  EXPECT_EQ(*ParseLogLevel("debug"), "debug");
  Result<std::string> bad = ParseLogLevel("verbose");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().message_en(),
            "'verbose' is not a log level; use one of trace, debug, info, warn, error, off");
}

TEST(ConfigValuesTest, FormatSizesAndDurations) {
  EXPECT_EQ(FormatByteSize(8u << 20), "8MiB");
  EXPECT_EQ(FormatByteSize(1536), "1536B");
  EXPECT_EQ(FormatByteSize(2048), "2KiB");
  EXPECT_EQ(FormatDuration(milliseconds(250)), "250ms");
  EXPECT_EQ(FormatDuration(seconds(15)), "15s");
  EXPECT_EQ(FormatDuration(seconds(120)), "2m");
  EXPECT_EQ(FormatDuration(hours(2)), "2h");
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
}

}  // namespace
}  // namespace salesradar::server
