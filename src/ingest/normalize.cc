#include "ingest/normalize.h"

#include <array>
#include <cassert>

#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/normalizer2.h>

namespace salesradar::ingest {
namespace {

bool IsAscii(std::string_view value) {
  for (unsigned char c : value) {
    if (c >= 0x80) {
      return false;
    }
  }
  return true;
}

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

// The multi-byte white space that TrimSpace strips, in UTF-8.
constexpr std::array<std::string_view, 4> kWideSpaces = {
    "\xC2\xA0",      // U+00A0 no-break space
    "\xE3\x80\x80",  // U+3000 ideographic space
    "\xE2\x80\x8B",  // U+200B zero width space
    "\xEF\xBB\xBF",  // U+FEFF zero width no-break space (byte order mark)
};

// Returns the length of the white space at the start (or end) of `value`, 0 when none.
size_t LeadingSpaceLength(std::string_view value) {
  if (!value.empty() && IsAsciiSpace(value.front())) {
    return 1;
  }
  for (std::string_view space : kWideSpaces) {
    if (value.starts_with(space)) {
      return space.size();
    }
  }
  return 0;
}

size_t TrailingSpaceLength(std::string_view value) {
  if (!value.empty() && IsAsciiSpace(value.back())) {
    return 1;
  }
  for (std::string_view space : kWideSpaces) {
    if (value.ends_with(space)) {
      return space.size();
    }
  }
  return 0;
}

}  // namespace

std::string_view TrimSpace(std::string_view value) {
  while (size_t length = LeadingSpaceLength(value)) {
    value.remove_prefix(length);
  }
  while (size_t length = TrailingSpaceLength(value)) {
    value.remove_suffix(length);
  }
  return value;
}

std::string ToHalfWidth(std::string_view value) {
  if (IsAscii(value)) {
    return std::string(value);  // ASCII is already in NFKC
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  assert(U_SUCCESS(status));  // ICU's data is linked in; failure is a broken installation

  std::string out;
  out.reserve(value.size());
  icu::StringByteSink<std::string> sink(&out);
  nfkc->normalizeUTF8(0, icu::StringPiece(value.data(), static_cast<int32_t>(value.size())), sink,
                      nullptr, status);
  if (U_FAILURE(status)) {
    return std::string(value);  // only on invalid UTF-8, which the text sources rule out
  }
  return out;
}

std::string ToLowerCase(std::string_view value) {
  std::string out(value);
  if (IsAscii(value)) {
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
    }
    return out;
  }
  out.clear();
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  icu::CaseMap::utf8ToLower("", 0,
                            icu::StringPiece(value.data(), static_cast<int32_t>(value.size())),
                            sink, nullptr, status);
  return U_SUCCESS(status) ? out : std::string(value);
}

std::string ToUpperCase(std::string_view value) {
  std::string out(value);
  if (IsAscii(value)) {
    for (char& c : out) {
      if (c >= 'a' && c <= 'z') {
        c = static_cast<char>(c - 'a' + 'A');
      }
    }
    return out;
  }
  out.clear();
  icu::StringByteSink<std::string> sink(&out);
  UErrorCode status = U_ZERO_ERROR;
  icu::CaseMap::utf8ToUpper("", 0,
                            icu::StringPiece(value.data(), static_cast<int32_t>(value.size())),
                            sink, nullptr, status);
  return U_SUCCESS(status) ? out : std::string(value);
}

std::string NormalizeValue(std::string_view value, const NormalizeOptions& options) {
  std::string out = options.half_width ? ToHalfWidth(value) : std::string(value);

  if (options.trim) {
    std::string_view trimmed = TrimSpace(out);
    if (trimmed.size() != out.size()) {
      out = std::string(trimmed);
    }
  }

  switch (options.letter_case) {
    case LetterCase::kKeep: break;
    case LetterCase::kLower: out = ToLowerCase(out); break;
    case LetterCase::kUpper: out = ToUpperCase(out); break;
  }
  return out;
}

}  // namespace salesradar::ingest
