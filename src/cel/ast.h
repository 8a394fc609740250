// The abstract syntax tree that the parser produces and the checker and planner read.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace salesradar::cel {

// A literal as written in the source.
struct Constant {
  enum class Kind { kNull, kBool, kInt, kUint, kDouble, kString, kBytes };
  Kind kind = Kind::kNull;
  bool bool_value = false;
  int64_t int_value = 0;
  uint64_t uint_value = 0;
  double double_value = 0;
  std::string text;  // string (UTF-8) or bytes
};

enum class ExprKind {
  kConstant,
  kIdent,          // name, possibly with a leading '.' for the root namespace
  kSelect,         // operand.field, or has(operand.field) when test_only
  kCall,           // function(args) or target.function(args)
  kList,           // [args]
  kMap,            // {entries}
  kStruct,         // Name{field: value}; parsed, not evaluated
  kComprehension,  // one of the macros, see MacroKind
};

enum class MacroKind { kAll, kExists, kExistsOne, kMap, kMapFilter, kFilter };

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

// A map entry (key is an expression) or a struct field initialiser (field_name is set).
struct Entry {
  ExprPtr key;
  std::string field_name;
  ExprPtr value;
  bool optional = false;
  int32_t position = 0;
};

// One node. Only the members that belong to `kind` are used.
struct Expr {
  int64_t id = 0;
  ExprKind kind = ExprKind::kConstant;
  int32_t position = 0;  // byte offset into the source, for messages
  int32_t height = 1;    // 1 for a leaf, else 1 + the largest height of the children

  Constant constant;        // kConstant
  std::string name;         // kIdent name, kSelect field, kCall function, kStruct type name
  bool test_only = false;   // kSelect inside has()
  ExprPtr target;           // kSelect operand, kCall receiver (may be null), kComprehension range
  std::vector<ExprPtr> args;   // kCall arguments, kList elements
  std::vector<Entry> entries;  // kMap, kStruct

  // kComprehension: `range.macro(iter_var, step)` or, for the three-argument map,
  // `range.map(iter_var, filter, step)`.
  MacroKind macro = MacroKind::kAll;
  std::string iter_var;
  ExprPtr filter;
  ExprPtr step;
};

// Function names of the operators, as the parser emits them and the standard library registers
// them, for example "_+_" for '+'.
namespace op {
inline constexpr const char* kConditional = "_?_:_";
inline constexpr const char* kAnd = "_&&_";
inline constexpr const char* kOr = "_||_";
inline constexpr const char* kNot = "!_";
inline constexpr const char* kNegate = "-_";
inline constexpr const char* kAdd = "_+_";
inline constexpr const char* kSubtract = "_-_";
inline constexpr const char* kMultiply = "_*_";
inline constexpr const char* kDivide = "_/_";
inline constexpr const char* kModulo = "_%_";
inline constexpr const char* kEquals = "_==_";
inline constexpr const char* kNotEquals = "_!=_";
inline constexpr const char* kLess = "_<_";
inline constexpr const char* kLessEquals = "_<=_";
inline constexpr const char* kGreater = "_>_";
inline constexpr const char* kGreaterEquals = "_>=_";
inline constexpr const char* kIn = "@in";
inline constexpr const char* kIndex = "_[_]";
}  // namespace op

// The parsed expression with its source, kept for positions in messages.
struct ParsedExpr {
  std::string source;
  ExprPtr root;
};

}  // namespace salesradar::cel
