#include "cel/literal.h"

namespace salesradar::cel {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool ReadHex(std::string_view text, size_t pos, size_t count, uint32_t& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (size_t i = 0; i < count; ++i) {
    int digit = HexValue(text[pos + i]);
    if (digit < 0) return false;
    value = value * 16 + static_cast<uint32_t>(digit);
  }
  return true;
}

bool IsSurrogate(uint32_t c) { return c >= 0xD800 && c <= 0xDFFF; }

// Decodes one escape sequence starting at text[pos] == '\\'. Advances `pos` past it.
bool DecodeEscape(std::string_view text, size_t& pos, bool bytes, std::string& out,
                  LiteralError& error) {
  auto fail = [&](const char* zh, const char* en) {
    error = LiteralError{static_cast<int32_t>(pos), zh, en};
    return false;
  };
  if (pos + 1 >= text.size()) return fail("转义序列不完整", "incomplete escape sequence");
  char c = text[pos + 1];
  const char* simple = nullptr;
  switch (c) {
    case 'a': simple = "\a"; break;
    case 'b': simple = "\b"; break;
    case 'f': simple = "\f"; break;
    case 'n': simple = "\n"; break;
    case 'r': simple = "\r"; break;
    case 't': simple = "\t"; break;
    case 'v': simple = "\v"; break;
    case '\\': simple = "\\"; break;
    case '\'': simple = "'"; break;
    case '"': simple = "\""; break;
    case '`': simple = "`"; break;
    case '?': simple = "?"; break;
    default: break;
  }
  if (simple != nullptr) {
    out += simple;
    pos += 2;
    return true;
  }

  uint32_t value = 0;
  size_t length = 0;
  if (c == 'x' || c == 'X') {
    if (!ReadHex(text, pos + 2, 2, value)) return fail("\\x 后须跟两位十六进制数字", "\\x needs two hex digits");
    length = 4;
  } else if (c == 'u' || c == 'U') {
    if (bytes) return fail("字节串中不允许 \\u 与 \\U 转义", "\\u and \\U escapes are not allowed in bytes");
    size_t digits = c == 'u' ? 4 : 8;
    if (!ReadHex(text, pos + 2, digits, value)) {
      return fail("Unicode 转义的十六进制数字不足", "Unicode escape needs more hex digits");
    }
    length = 2 + digits;
    // A high surrogate followed by an escaped low surrogate encodes one code point.
    if (value >= 0xD800 && value <= 0xDBFF && pos + length + 6 <= text.size() &&
        text[pos + length] == '\\' && text[pos + length + 1] == 'u') {
      uint32_t low = 0;
      if (ReadHex(text, pos + length + 2, 4, low) && low >= 0xDC00 && low <= 0xDFFF) {
        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00);
        length += 6;
      }
    }
    if (IsSurrogate(value) || value > 0x10FFFF) {
      return fail("Unicode 转义不是有效的码位", "Unicode escape is not a valid code point");
    }
  } else if (c >= '0' && c <= '3') {
    if (pos + 4 > text.size()) return fail("八进制转义须为三位数字", "octal escape needs three digits");
    for (size_t i = 1; i <= 3; ++i) {
      char d = text[pos + i];
      if (d < '0' || d > '7') return fail("八进制转义须为三位数字", "octal escape needs three digits");
      value = value * 8 + static_cast<uint32_t>(d - '0');
    }
    length = 4;
  } else {
    return fail("无效的转义序列", "invalid escape sequence");
  }

  if (bytes) {
    out += static_cast<char>(value);
  } else {
    AppendUtf8(value, out);
  }
  pos += length;
  return true;
}

}  // namespace

void AppendUtf8(uint32_t c, std::string& out) {
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
}

bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    auto b = static_cast<unsigned char>(text[i]);
    size_t extra = 0;
    uint32_t c = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if ((b & 0xE0) == 0xC0) {
      extra = 1;
      c = b & 0x1F;
    } else if ((b & 0xF0) == 0xE0) {
      extra = 2;
      c = b & 0x0F;
    } else if ((b & 0xF8) == 0xF0) {
      extra = 3;
      c = b & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      auto cont = static_cast<unsigned char>(text[i + k]);
      if ((cont & 0xC0) != 0x80) return false;
      c = (c << 6) | (cont & 0x3F);
    }
    bool overlong = (extra == 1 && c < 0x80) || (extra == 2 && c < 0x800) || (extra == 3 && c < 0x10000);
    if (overlong || IsSurrogate(c) || c > 0x10FFFF) return false;
    i += extra + 1;
  }
  return true;
}

bool DecodeLiteral(std::string_view token, std::string& out, LiteralError& error) {
  size_t quote = token.find_first_of("'\"");
  bool raw = false;
  bool bytes = false;
  for (size_t i = 0; i < quote; ++i) {
    if (token[i] == 'r' || token[i] == 'R') raw = true;
    if (token[i] == 'b' || token[i] == 'B') bytes = true;
  }
  char q = token[quote];
  bool triple = token.size() >= quote + 6 && token[quote + 1] == q && token[quote + 2] == q;
  size_t delimiter = triple ? 3 : 1;
  std::string_view body = token.substr(quote + delimiter, token.size() - quote - 2 * delimiter);

  out.clear();
  size_t pos = 0;
  while (pos < body.size()) {
    if (body[pos] == '\\' && !raw) {
      if (!DecodeEscape(body, pos, bytes, out, error)) {
        error.offset += static_cast<int32_t>(quote + delimiter);
        return false;
      }
      continue;
    }
    out += body[pos++];
  }
  return true;
}

}  // namespace salesradar::cel
