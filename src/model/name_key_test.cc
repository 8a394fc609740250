#include "model/name_key.h"

#include <gtest/gtest.h>

namespace salesradar::model {
namespace {

TEST(NameKey, FoldsCaseAndWidth) {
  EXPECT_EQ(NameKey("Acme Corporation"), "acme corporation");
  EXPECT_EQ(NameKey("ＡＣＭＥ　Ｃｏｒｐｏｒａｔｉｏｎ"), "acme corporation");
  EXPECT_EQ(NameKey("ACME CORPORATION"), NameKey("acme corporation"));
}

TEST(NameKey, TrimsAndCollapsesWhiteSpace) {
  EXPECT_EQ(NameKey("  Acme \t  Corporation \n"), "acme corporation");
  EXPECT_EQ(NameKey(""), "");
  EXPECT_EQ(NameKey("   "), "");
}

// "GTXPro" in the pipeline export and "GTX Pro" in the product list are different spellings
// that the importer must report, not match silently.
TEST(NameKey, KeepsInnerSpaces) { EXPECT_NE(NameKey("GTXPro"), NameKey("GTX Pro")); }

TEST(NameKey, KeepsChineseText) {
  EXPECT_EQ(NameKey("华东大区"), "华东大区");
  EXPECT_EQ(NameKey("上海　分公司"), "上海 分公司");
}

}  // namespace
}  // namespace salesradar::model
