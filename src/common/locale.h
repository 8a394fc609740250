// The two user-facing locales. Simplified Chinese is the default everywhere.
#pragma once

#include <string>
#include <string_view>

namespace salesradar {

enum class Locale { kChinese, kEnglish };

// Picks the locale from an HTTP Accept-Language header: English when the first language
// that SalesRadar supports is English, Chinese otherwise (also for an empty header).
Locale LocaleFromAcceptLanguage(std::string_view header);

// Picks the locale for command-line output from SALESRADAR_LANG, then LC_ALL, LC_MESSAGES and
// LANG: English when the first of these that is set starts with "en", Chinese otherwise.
Locale LocaleFromEnvironment();

// Returns "zh-CN" or "en".
std::string_view LocaleTag(Locale locale);

// A user-visible text in both locales.
struct LocalizedText {
  std::string zh;
  std::string en;

  const std::string& in(Locale locale) const { return locale == Locale::kEnglish ? en : zh; }
};

}  // namespace salesradar
