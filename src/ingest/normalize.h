// Value normalisation applied to CSV fields before they are parsed: trimming, full-width to
// half-width, letter case.
#pragma once

#include <string>
#include <string_view>

namespace salesradar::ingest {

enum class LetterCase { kKeep, kLower, kUpper };

struct NormalizeOptions {
  // Strip leading and trailing white space: ASCII white space, U+00A0 (no-break space),
  // U+3000 (ideographic space), U+200B (zero width space) and U+FEFF (a stray byte order mark).
  bool trim = true;
  // Apply Unicode NFKC, which turns full-width letters, digits and punctuation (ＡＢＣ１２３，)
  // and the ideographic space into their ASCII forms, and compatibility ideographs into the
  // unified ones.
  bool half_width = true;
  // Case mapping with Unicode root-locale rules.
  LetterCase letter_case = LetterCase::kKeep;
};

// Returns `value` after the steps of `options`, in the order half-width, trim, case.
// REQUIRES: `value` is valid UTF-8 (the text sources guarantee it).
std::string NormalizeValue(std::string_view value, const NormalizeOptions& options);

// Returns `value` without the leading and trailing white space listed in NormalizeOptions.
std::string_view TrimSpace(std::string_view value);

// Returns the NFKC form of `value`.
std::string ToHalfWidth(std::string_view value);

std::string ToLowerCase(std::string_view value);
std::string ToUpperCase(std::string_view value);

}  // namespace salesradar::ingest
