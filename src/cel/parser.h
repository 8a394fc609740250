// Parses CEL source text into an abstract syntax tree, expanding the standard macros.
#pragma once

#include <string_view>

#include "cel/ast.h"
#include "common/result.h"

namespace salesradar::cel {

struct ParseOptions {
  // Longest accepted source, in bytes.
  size_t max_source_bytes = 100'000;
  // Deepest accepted nesting of the syntax tree; deeper input is rejected so that the
  // recursive checker and evaluator stay within the stack.
  int max_height = 200;
};

// Parses `source`. Expands has(), all(), exists(), exists_one(), map() and filter().
// On failure returns kInvalidArgument naming the line and column, with a caret excerpt, in
// Chinese and English; only the first error is reported.
Result<ParsedExpr> Parse(std::string_view source, const ParseOptions& options = {});

}  // namespace salesradar::cel
