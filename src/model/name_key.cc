#include "model/name_key.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

namespace salesradar::model {
namespace {

// Trims white space and collapses inner runs of it to one U+0020.
icu::UnicodeString CollapseWhiteSpace(const icu::UnicodeString& text) {
  icu::UnicodeString out;
  bool pending_space = false;
  for (int32_t i = 0; i < text.length();) {
    UChar32 c = text.char32At(i);
    i += U16_LENGTH(c);
    if (u_isUWhiteSpace(c)) {
      pending_space = !out.isEmpty();
      continue;
    }
    if (pending_space) {
      out.append(static_cast<UChar>(0x20));
      pending_space = false;
    }
    out.append(c);
  }
  return out;
}

}  // namespace

std::string NameKey(std::string_view name) {
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(name.data(), static_cast<int32_t>(name.size())));

  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc_casefold = icu::Normalizer2::getNFKCCasefoldInstance(status);
  icu::UnicodeString folded = text;
  if (U_SUCCESS(status)) {
    folded = nfkc_casefold->normalize(text, status);
  }
  // NOTE: when ICU's normalisation data is missing, only white space is folded.
  if (U_FAILURE(status)) {
    folded = text;
  }

  std::string out;
  CollapseWhiteSpace(folded).toUTF8String(out);
  return out;
}

}  // namespace salesradar::model
