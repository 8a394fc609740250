#include "report/name_collator.h"

#include <unicode/coll.h>
#include <unicode/locid.h>
#include <unicode/stringpiece.h>

namespace salesradar::report {

NameCollator::NameCollator() {
  UErrorCode status = U_ZERO_ERROR;
  collator_.reset(icu::Collator::createInstance(icu::Locale("zh"), status));
  if (U_FAILURE(status)) {
    collator_.reset();
  }
}

NameCollator::~NameCollator() = default;

bool NameCollator::Less(std::string_view a, std::string_view b) const {
  if (collator_ != nullptr) {
    UErrorCode status = U_ZERO_ERROR;
    UCollationResult result = collator_->compareUTF8(
        icu::StringPiece(a.data(), static_cast<int32_t>(a.size())),
        icu::StringPiece(b.data(), static_cast<int32_t>(b.size())), status);
    if (U_SUCCESS(status) && result != UCOL_EQUAL) {
      return result == UCOL_LESS;
    }
  }
  return a < b;
}

}  // namespace salesradar::report
