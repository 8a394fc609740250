// The type checker: types an expression against the declarations of an Env.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "cel/ast.h"
#include "cel/env.h"
#include "cel/type.h"
#include "common/result.h"

namespace salesradar::cel {

struct CheckedExpr {
  Type result_type;
  // Identifier and field-selection nodes that name a declared variable, by expression id,
  // with the variable's full name (the container applied).
  std::map<int64_t, std::string> variable_refs;
  // Identifier and field-selection nodes that name a type, by expression id.
  std::map<int64_t, std::string> type_refs;
  // Call nodes, by expression id, with the overloads that match the argument types. Points
  // into the Env's registry, so it is valid while the Env lives unchanged.
  std::map<int64_t, std::vector<const Overload*>> overload_refs;
};

// Checks `parsed` against `env`. Rejects undeclared variables and functions, unknown fields,
// and calls that match no overload, with kInvalidArgument naming the line, the column and, for
// a misspelt name, the nearest declared names, in Chinese and English. Only the first error is
// reported.
Result<CheckedExpr> Check(const Env& env, const ParsedExpr& parsed);

}  // namespace salesradar::cel
