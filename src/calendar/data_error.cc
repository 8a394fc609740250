#include "calendar/data_error.h"

#include <utility>

#include <fmt/format.h>

namespace salesradar::calendar {

Error DataError(const SourceLocation& where, std::string message_zh, std::string message_en) {
  Error error = InvalidArgument(std::move(message_zh), std::move(message_en));
  if (where.file.empty()) {
    return error;
  }

  if (where.line > 0) {
    error.Wrap(fmt::format("{} 第 {} 行", where.file, where.line),
               fmt::format("{} line {}", where.file, where.line));
  } else {
    error.Wrap(where.file, where.file);
  }
  error.AddDetail("file", where.file);
  if (where.line > 0) {
    error.AddDetail("line", std::to_string(where.line));
  }
  return error;
}

}  // namespace salesradar::calendar
