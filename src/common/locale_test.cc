#include "common/locale.h"

#include <gtest/gtest.h>

namespace salesradar {
namespace {

TEST(LocaleTest, AcceptLanguageDefaultsToChinese) {
  EXPECT_EQ(LocaleFromAcceptLanguage(""), Locale::kChinese);
  EXPECT_EQ(LocaleFromAcceptLanguage("fr-FR,de;q=0.8"), Locale::kChinese);
}

TEST(LocaleTest, AcceptLanguageTakesFirstSupported) {
  EXPECT_EQ(LocaleFromAcceptLanguage("en-US,en;q=0.9,zh-CN;q=0.8"), Locale::kEnglish);
  EXPECT_EQ(LocaleFromAcceptLanguage("zh-CN,zh;q=0.9,en;q=0.8"), Locale::kChinese);
  EXPECT_EQ(LocaleFromAcceptLanguage("fr, EN-gb"), Locale::kEnglish);
}

TEST(LocaleTest, TagNames) {
  EXPECT_EQ(LocaleTag(Locale::kChinese), "zh-CN");
  EXPECT_EQ(LocaleTag(Locale::kEnglish), "en");
}

}  // namespace
}  // namespace salesradar
