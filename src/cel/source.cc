#include "cel/source.h"

#include <algorithm>

namespace salesradar::cel {
namespace {

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

}  // namespace

SourceLocation LocationOf(std::string_view source, int32_t offset) {
  size_t end = std::min(source.size(), static_cast<size_t>(std::max<int32_t>(offset, 0)));
  SourceLocation location;
  for (size_t i = 0; i < end; ++i) {
    if (source[i] == '\n') {
      ++location.line;
      location.column = 1;
    } else if (!IsContinuationByte(source[i])) {
      ++location.column;
    }
  }
  return location;
}

std::string CaretExcerpt(std::string_view source, int32_t offset) {
  size_t end = std::min(source.size(), static_cast<size_t>(std::max<int32_t>(offset, 0)));
  size_t line_start = source.rfind('\n', end == 0 ? 0 : end - 1);
  line_start = (line_start == std::string_view::npos || line_start >= end) ? 0 : line_start + 1;
  if (end > 0 && source[end - 1] == '\n') line_start = end;
  size_t line_end = source.find('\n', line_start);
  if (line_end == std::string_view::npos) line_end = source.size();

  std::string excerpt = " | ";
  excerpt.append(source.substr(line_start, line_end - line_start));
  excerpt += "\n | ";
  for (size_t i = line_start; i < end; ++i) {
    if (IsContinuationByte(source[i])) continue;
    excerpt += '.';
  }
  excerpt += '^';
  return excerpt;
}

Error SourceError(std::string_view source, int32_t offset, std::string_view message_zh,
                  std::string_view message_en) {
  SourceLocation location = LocationOf(source, offset);
  std::string excerpt = CaretExcerpt(source, offset);
  std::string line = std::to_string(location.line);
  std::string column = std::to_string(location.column);
  std::string zh = "第 " + line + " 行第 " + column + " 列：" + std::string(message_zh) + "\n" + excerpt;
  std::string en =
      "line " + line + ", column " + column + ": " + std::string(message_en) + "\n" + excerpt;
  return InvalidArgument(std::move(zh), std::move(en))
      .AddDetail("line", line)
      .AddDetail("column", column);
}

}  // namespace salesradar::cel
