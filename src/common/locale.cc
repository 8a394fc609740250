#include "common/locale.h"

#include <cctype>
#include <cstdlib>

namespace salesradar {
namespace {

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) {
    return false;
  }
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) {
      return false;
    }
  }
  return true;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

}  // namespace

Locale LocaleFromAcceptLanguage(std::string_view header) {
  // Languages are taken in the order given; quality values are rare in practice and browsers
  // list the preferred language first, so the order decides.
  while (!header.empty()) {
    size_t comma = header.find(',');
    std::string_view item = Trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);

    if (StartsWithIgnoreCase(item, "zh")) {
      return Locale::kChinese;
    }
    if (StartsWithIgnoreCase(item, "en")) {
      return Locale::kEnglish;
    }
  }
  return Locale::kChinese;
}

Locale LocaleFromEnvironment() {
  for (const char* name : {"SALESRADAR_LANG", "LC_ALL", "LC_MESSAGES", "LANG"}) {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
      continue;
    }
    return StartsWithIgnoreCase(value, "en") ? Locale::kEnglish : Locale::kChinese;
  }
  return Locale::kChinese;
}

std::string_view LocaleTag(Locale locale) {
  return locale == Locale::kEnglish ? "en" : "zh-CN";
}

}  // namespace salesradar
