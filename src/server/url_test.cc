#include "server/url.h"

#include <gtest/gtest.h>

namespace salesradar::server {
namespace {

TEST(UrlTest, SplitTargetAtFirstQuestionMark) {
  TargetParts parts = SplitTarget("/a/b?x=1?y");
  EXPECT_EQ(parts.path, "/a/b");
  EXPECT_EQ(parts.query, "x=1?y");

  TargetParts no_query = SplitTarget("/a");
  EXPECT_EQ(no_query.path, "/a");
  EXPECT_EQ(no_query.query, "");
}

TEST(UrlTest, PercentDecodeEscapesAndPlus) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%E9%94%80%E5%94%AE", false), "销售");
}

TEST(UrlTest, PercentDecodeRejectsMalformedEscapes) {
  EXPECT_FALSE(PercentDecode("%", false).has_value());
  EXPECT_FALSE(PercentDecode("%4", false).has_value());
  EXPECT_FALSE(PercentDecode("abc%zz", false).has_value());
}

TEST(UrlTest, ParseQueryKeepsOrderAndDecodes) {
  auto query = ParseQuery("b=2&a=x%20y&flag&&c=");
  ASSERT_TRUE(query.has_value());
  ASSERT_EQ(query->size(), 4u);
  EXPECT_EQ((*query)[0], (std::pair<std::string, std::string>{"b", "2"}));
  EXPECT_EQ((*query)[1], (std::pair<std::string, std::string>{"a", "x y"}));
  EXPECT_EQ((*query)[2], (std::pair<std::string, std::string>{"flag", ""}));
  EXPECT_EQ((*query)[3], (std::pair<std::string, std::string>{"c", ""}));
}

TEST(UrlTest, ParseQueryRejectsMalformedEscape) {
  EXPECT_FALSE(ParseQuery("a=%g1").has_value());
}

}  // namespace
}  // namespace salesradar::server
