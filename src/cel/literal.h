// Decoding of string and bytes literals and of number literals.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace salesradar::cel {

struct LiteralError {
  int32_t offset = 0;  // byte offset within the literal's text
  std::string message_zh;
  std::string message_en;
};

// Decodes a string or bytes literal token (prefix, quotes and escapes) into `out`. Strings
// come out as UTF-8; bytes come out as the octets written. Returns false and fills `error`
// for an invalid escape or, in a string, an escape that is not a Unicode scalar value.
bool DecodeLiteral(std::string_view token, std::string& out, LiteralError& error);

// Appends the UTF-8 encoding of `code_point` (which must be a scalar value) to `out`.
void AppendUtf8(uint32_t code_point, std::string& out);

// Returns true when `text` is well-formed UTF-8.
bool IsValidUtf8(std::string_view text);

}  // namespace salesradar::cel
