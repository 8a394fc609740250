// Display width of UTF-8 text in a terminal, for aligning table columns that mix Chinese and
// Latin text.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace salesradar::report {

// Returns the number of terminal columns that `utf8` takes. A code point whose Unicode East
// Asian Width is Wide or Fullwidth (CJK ideographs, full-width forms, most emoji) counts 2.
// Combining marks and other zero-width code points count 0, everything else 1. Ambiguous-width
// characters count 1, as in terminals set to a non-CJK locale. Each ill-formed UTF-8 sequence
// (a stray byte, or a truncated multi-byte sequence) counts 1.
size_t DisplayWidth(std::string_view utf8);

// Returns `utf8` followed by spaces up to `width` display columns (left-aligned); text that is
// already as wide or wider is returned unchanged.
std::string PadRight(std::string_view utf8, size_t width);

// Returns spaces followed by `utf8` up to `width` display columns (right-aligned).
std::string PadLeft(std::string_view utf8, size_t width);

}  // namespace salesradar::report
