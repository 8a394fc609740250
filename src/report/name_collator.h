// Orders display names the way a Chinese reader expects, using ICU's collation for the "zh"
// locale: Chinese names by pinyin, then Latin names alphabetically (CLDR's zh collation puts
// the Han script before Latin).
#pragma once

#include <memory>
#include <string_view>

#include <unicode/uversion.h>

// ICU's namespace carries its version (icu_72), so the forward declaration uses its macros.
U_NAMESPACE_BEGIN
class Collator;
U_NAMESPACE_END

namespace salesradar::report {

// Not thread-safe: one collator per thread.
class NameCollator {
 public:
  NameCollator();
  ~NameCollator();
  NameCollator(const NameCollator&) = delete;
  NameCollator& operator=(const NameCollator&) = delete;

  // Returns true when `a` sorts before `b`. Equal-collating names fall back to byte order, so
  // the order is total. When ICU has no collation data, byte order is used throughout.
  bool Less(std::string_view a, std::string_view b) const;

 private:
  std::unique_ptr<icu::Collator> collator_;  // null when ICU could not create it
};

}  // namespace salesradar::report
