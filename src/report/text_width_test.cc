#include "report/text_width.h"

#include <gtest/gtest.h>

namespace salesradar::report {
namespace {

TEST(DisplayWidthTest, AsciiCountsOne) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("Won"), 3u);
}

TEST(DisplayWidthTest, ChineseAndFullwidthCountTwo) {
  EXPECT_EQ(DisplayWidth("赢单"), 4u);
  EXPECT_EQ(DisplayWidth("华东区 East"), 11u);
  EXPECT_EQ(DisplayWidth("ＡＢ"), 4u);     // full-width Latin letters
  EXPECT_EQ(DisplayWidth("（无）"), 6u);   // full-width brackets
}

TEST(DisplayWidthTest, AmbiguousAndHalfwidthCountOne) {
  EXPECT_EQ(DisplayWidth("¥"), 1u);   // U+00A5 is narrow
  EXPECT_EQ(DisplayWidth("ｱ"), 1u);   // U+FF71 half-width katakana
  EXPECT_EQ(DisplayWidth("é"), 1u);
}

TEST(DisplayWidthTest, CombiningMarkCountsZero) {
  EXPECT_EQ(DisplayWidth("e\xCC\x81"), 1u);  // 'e' + U+0301 combining acute
}

TEST(DisplayWidthTest, IllFormedSequencesCountOneEach) {
  EXPECT_EQ(DisplayWidth("a\xFF\xFE"), 3u);
  EXPECT_EQ(DisplayWidth("\xE8\xB5"), 1u);   // a truncated three-byte sequence
  EXPECT_EQ(DisplayWidth("\xE8\xB5x"), 2u);
}

TEST(PadTest, PadsToDisplayWidth) {
  EXPECT_EQ(PadRight("赢单", 6), "赢单  ");
  EXPECT_EQ(PadLeft("赢单", 6), "  赢单");
  EXPECT_EQ(PadRight("Lost", 2), "Lost");
}

}  // namespace
}  // namespace salesradar::report
