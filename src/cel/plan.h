// The evaluation plan: the syntax tree resolved against an environment, with names bound to
// variables or comprehension slots and calls bound to their overloads. Internal to the library.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "cel/ast.h"
#include "cel/functions.h"
#include "cel/value.h"

namespace salesradar::cel {

// A full variable name and the fields selected from it, e.g. "opp" then {"amount"}.
struct VariableCandidate {
  std::string name;
  std::vector<std::string> fields;
};

// An overload as the evaluator dispatches it: the value kind each parameter accepts, or
// kAnyKind, and for object parameters the type name.
struct RuntimeOverload {
  static constexpr uint8_t kAnyKind = 0xFF;
  uint8_t kinds[kMaxArity] = {kAnyKind, kAnyKind, kAnyKind, kAnyKind};
  std::vector<std::string> object_types;  // per parameter; empty when no parameter is an object
  FunctionImpl impl = nullptr;
  bool foldable = false;

  explicit RuntimeOverload(const Overload& overload);
  // Returns true when `args` (as many as the overload has parameters) fit this overload.
  bool Matches(const Value* args, size_t count) const;
};

struct Node;
class Evaluator;

// Evaluates one node; chosen per node by BindEvaluator() so that evaluation is one indirect
// call per node instead of a switch.
using NodeEvaluator = Value (*)(const Node& node, Evaluator& evaluator);

struct Node {
  enum class Op {
    kConstant,
    kVariable,       // candidates, tried in order; then type_fallback or an error
    kSlot,           // a comprehension variable
    kSelect,         // children[0].field
    kHas,            // has(children[0].field)
    kCall,           // function(children...) through overloads
    kAnd,
    kOr,
    kNot,
    kEquals,         // _==_ and _!=_ (negate set), defined for all values
    kConditional,
    kList,
    kMap,            // children: key, value, key, value ...
    kComprehension,  // children: range, step, and the filter when present
  };

  Op op = Op::kConstant;
  int32_t position = 0;
  std::vector<const Node*> children;

  Value constant;
  std::string text;  // storage behind `constant` for strings, bytes and type names

  std::vector<VariableCandidate> candidates;
  bool has_type_fallback = false;
  std::string unresolved_name;  // for the "undeclared reference" error

  std::string field;

  std::string function;
  std::vector<RuntimeOverload> overloads;

  bool negate = false;
  MacroKind macro = MacroKind::kAll;
  int slot = 0;

  NodeEvaluator eval = nullptr;
};

// Chooses node.eval from the node's operation and the shape of its children. Call once the
// children are final.
void BindEvaluator(Node& node);

// Evaluates `node` once; the planner uses it to fold constant subexpressions. REQUIRES: the
// evaluators of `node` and its descendants are bound.
Value EvaluateNode(const Node& node, const Activation& activation, Arena& arena, int64_t max_iterations);

// Maximum nesting depth of comprehensions.
inline constexpr int kMaxComprehensionNesting = 32;

}  // namespace salesradar::cel
