// Positions in an expression's source text and the error messages that point at them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/error.h"

namespace salesradar::cel {

// A 1-based line and column; columns count Unicode code points, not bytes.
struct SourceLocation {
  int line = 1;
  int column = 1;
};

// Returns the location of byte `offset` in `source`; offsets past the end map to the end.
SourceLocation LocationOf(std::string_view source, int32_t offset);

// Returns the line that contains `offset` and, below it, a caret under the offset's column.
std::string CaretExcerpt(std::string_view source, int32_t offset);

// Builds an invalid-argument error that names the line and column of `offset` in both
// languages and appends the caret excerpt, for example
// "line 1, column 5: unexpected ')'\n | a + )\n | ....^".
Error SourceError(std::string_view source, int32_t offset, std::string_view message_zh,
                  std::string_view message_en);

}  // namespace salesradar::cel
