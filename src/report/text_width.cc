#include "report/text_width.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace salesradar::report {
namespace {

size_t CodePointWidth(UChar32 c) {
  // Combining marks, format characters (zero-width joiner, soft hyphen's neighbours) and
  // control characters take no column of their own.
  int8_t category = u_charType(c);
  if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK ||
      category == U_FORMAT_CHAR || category == U_CONTROL_CHAR) {
    return 0;
  }

  int east_asian_width = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  if (east_asian_width == U_EA_WIDE || east_asian_width == U_EA_FULLWIDTH) {
    return 2;
  }
  return 1;
}

}  // namespace

size_t DisplayWidth(std::string_view utf8) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());

  size_t width = 0;
  int32_t offset = 0;
  while (offset < length) {
    UChar32 c = 0;
    U8_NEXT(bytes, offset, length, c);
    width += c < 0 ? 1 : CodePointWidth(c);
  }
  return width;
}

std::string PadRight(std::string_view utf8, size_t width) {
  std::string out(utf8);
  size_t current = DisplayWidth(utf8);
  if (current < width) {
    out.append(width - current, ' ');
  }
  return out;
}

std::string PadLeft(std::string_view utf8, size_t width) {
  size_t current = DisplayWidth(utf8);
  std::string out;
  if (current < width) {
    out.append(width - current, ' ');
  }
  out.append(utf8);
  return out;
}

}  // namespace salesradar::report
