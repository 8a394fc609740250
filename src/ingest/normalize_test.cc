#include "ingest/normalize.h"

#include <gtest/gtest.h>

namespace salesradar::ingest {
namespace {

TEST(NormalizeTest, TrimsAsciiAndWideSpaces) {
  EXPECT_EQ(TrimSpace("  Acme \t"), "Acme");
  EXPECT_EQ(TrimSpace("\xE3\x80\x80华为\xC2\xA0"), "华为");
  EXPECT_EQ(TrimSpace("\xEF\xBB\xBFid"), "id");
  EXPECT_EQ(TrimSpace("   "), "");
  EXPECT_EQ(TrimSpace("a b"), "a b");
}

TEST(NormalizeTest, FullWidthBecomesHalfWidth) {
  EXPECT_EQ(ToHalfWidth("ＧＴＸ　Ｐｒｏ"), "GTX Pro");
  EXPECT_EQ(ToHalfWidth("１２３，４５６．７８"), "123,456.78");
  EXPECT_EQ(ToHalfWidth("华为技术"), "华为技术");
  EXPECT_EQ(ToHalfWidth("plain"), "plain");
}

TEST(NormalizeTest, CaseMapping) {
  EXPECT_EQ(ToLowerCase("Won"), "won");
  EXPECT_EQ(ToUpperCase("usd"), "USD");
  EXPECT_EQ(ToLowerCase("ÉCOLE 华为"), "école 华为");
}

TEST(NormalizeTest, StepsRunInOrder) {
  NormalizeOptions options;
  options.letter_case = LetterCase::kLower;
  // The ideographic space becomes an ASCII space first, so trimming removes it.
  EXPECT_EQ(NormalizeValue("\xE3\x80\x80ＷＯＮ\xE3\x80\x80", options), "won");

  NormalizeOptions keep;
  keep.trim = false;
  keep.half_width = false;
  EXPECT_EQ(NormalizeValue(" ＷＯＮ ", keep), " ＷＯＮ ");
}

}  // namespace
}  // namespace salesradar::ingest
