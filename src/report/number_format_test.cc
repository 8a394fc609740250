#include "report/number_format.h"

#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

namespace salesradar::report {
namespace {

TEST(FormatCountTest, GroupsThousands) {
  EXPECT_EQ(FormatCount(0), "0");
  EXPECT_EQ(FormatCount(999), "999");
  EXPECT_EQ(FormatCount(8800), "8,800");
  EXPECT_EQ(FormatCount(1234567), "1,234,567");
  EXPECT_EQ(FormatCount(-1234), "-1,234");
  EXPECT_EQ(FormatCount(std::numeric_limits<int64_t>::min()), "-9,223,372,036,854,775,808");
}

TEST(FormatQuotientTest, RoundsHalfUp) {
  EXPECT_EQ(FormatQuotient(335, 7, 1), "47.9");  // 47.857...
  EXPECT_EQ(FormatQuotient(1, 8, 2), "0.13");    // 0.125
  EXPECT_EQ(FormatQuotient(10, 4, 0), "3");      // 2.5
  EXPECT_EQ(FormatQuotient(1, 3, 4), "0.3333");
  EXPECT_EQ(FormatQuotient(12000, 1, 0), "12,000");
  EXPECT_EQ(FormatQuotient(5, 0, 1), "-");
}

TEST(FormatPercentTest, OneDecimal) {
  EXPECT_EQ(FormatPercent(4238, 6711), "63.2%");
  EXPECT_EQ(FormatPercent(1, 1), "100.0%");
  EXPECT_EQ(FormatPercent(0, 3), "0.0%");
  EXPECT_EQ(FormatPercent(0, 0), "-");
}

TEST(FormatBasisPointsTest, DropsTrailingZeros) {
  EXPECT_EQ(FormatBasisPoints(1500), "15");
  EXPECT_EQ(FormatBasisPoints(1250), "12.5");
  EXPECT_EQ(FormatBasisPoints(1234), "12.34");
  EXPECT_EQ(FormatBasisPoints(1205), "12.05");
  EXPECT_EQ(FormatBasisPoints(5), "0.05");
  EXPECT_EQ(FormatBasisPoints(-250), "-2.5");
}

}  // namespace
}  // namespace salesradar::report
