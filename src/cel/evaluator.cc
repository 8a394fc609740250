// Program::Evaluate: each plan node carries a function that evaluates it; values are built in
// the Arena only.
#include <algorithm>

#include "cel/containers.h"
#include "cel/plan.h"
#include "cel/program.h"

namespace salesradar::cel {

class Evaluator {
 public:
  // `slot_storage` contains the comprehension variables. It is null when the plan has none.
  Evaluator(const Activation& bound_activation, Arena& target_arena, int64_t max_iterations, Value* slot_storage)
      : activation(bound_activation), arena(target_arena), iterations_left(max_iterations), slots(slot_storage) {}

  Value Eval(const Node& node) { return node.eval(node, *this); }

  const Activation& activation;
  Arena& arena;
  int64_t iterations_left;
  Value* slots;
};

namespace {

// A growable array of values in the Arena, for comprehension results.
class ValueBuffer {
 public:
  explicit ValueBuffer(Arena& arena) : arena_(arena) {}

  bool Push(const Value& value) {
    if (size_ == capacity_) {
      size_t capacity = capacity_ == 0 ? 8 : capacity_ * 2;
      Value* grown = arena_.AllocateArray<Value>(capacity);
      if (grown == nullptr) return false;
      std::copy(items_, items_ + size_, grown);
      items_ = grown;
      capacity_ = capacity;
    }
    items_[size_++] = value;
    return true;
  }

  Value ToList() const {
    ArenaList* list = arena_.New<ArenaList>(items_, size_);
    return list == nullptr ? Value::Error(kOutOfMemoryMessage) : Value::List(list);
  }

 private:
  Arena& arena_;
  Value* items_ = nullptr;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

Value Select(Evaluator& e, const Value& operand, std::string_view field, bool test_only) {
  switch (operand.kind()) {
    case ValueKind::kError: return operand;
    case ValueKind::kMap: {
      std::optional<Value> found = operand.map().Find(Value::String(field));
      if (test_only) return Value::Bool(found.has_value());
      if (!found) return MakeError(e.arena, {"no such key: '", field, "'"});
      return *found;
    }
    case ValueKind::kObject: {
      if (test_only) return Value::Bool(operand.object().HasField(field));
      std::optional<Value> found = operand.object().Field(field, e.arena);
      if (!found) return MakeError(e.arena, {"no such field: '", field, "'"});
      return *found;
    }
    default:
      return MakeError(e.arena, {"type '", TypeNameOf(operand), "' does not support field selection"});
  }
}

Value EvalConstant(const Node& node, Evaluator&) { return node.constant; }

Value EvalVariable(const Node& node, Evaluator& e) {
  for (const VariableCandidate& candidate : node.candidates) {
    std::optional<Value> value = e.activation.FindVariable(candidate.name, e.arena);
    if (!value) continue;
    Value result = *value;
    for (const std::string& field : candidate.fields) result = Select(e, result, field, false);
    return result;
  }
  if (node.has_type_fallback) return node.constant;
  return MakeError(e.arena, {"undeclared reference to '", node.unresolved_name, "'"});
}

Value EvalSlot(const Node& node, Evaluator& e) { return e.slots[node.slot]; }

Value EvalSelect(const Node& node, Evaluator& e) {
  return Select(e, e.Eval(*node.children[0]), node.field, false);
}

Value EvalHas(const Node& node, Evaluator& e) {
  return Select(e, e.Eval(*node.children[0]), node.field, true);
}

// `variable.field` where the variable has one candidate name: one lookup and one selection.
Value EvalVariableField(const Node& node, Evaluator& e) {
  const Node& variable = *node.children[0];
  std::optional<Value> value = e.activation.FindVariable(variable.candidates[0].name, e.arena);
  if (!value) return MakeError(e.arena, {"undeclared reference to '", variable.unresolved_name, "'"});
  return Select(e, *value, node.field, false);
}

// `x.field` where x is a comprehension variable.
Value EvalSlotField(const Node& node, Evaluator& e) {
  return Select(e, e.slots[node.children[0]->slot], node.field, false);
}

Value Dispatch(const Node& node, Evaluator& e, const Value* args, size_t count) {
  for (const RuntimeOverload& overload : node.overloads) {
    if (!overload.Matches(args, count)) continue;
    CallContext context{e.arena, e.activation};
    return overload.impl(args, context);
  }
  return NoMatchingOverload(e.arena, node.function, args, count);
}

Value EvalCall(const Node& node, Evaluator& e) {
  Value args[kMaxArity];
  size_t count = node.children.size();
  for (size_t i = 0; i < count; ++i) {
    args[i] = e.Eval(*node.children[i]);
    if (args[i].is_error()) return args[i];
  }
  return Dispatch(node, e, args, count);
}

Value EvalCall1(const Node& node, Evaluator& e) {
  Value arg = e.Eval(*node.children[0]);
  if (arg.is_error()) return arg;
  return Dispatch(node, e, &arg, 1);
}

Value EvalCall2(const Node& node, Evaluator& e) {
  Value args[2] = {e.Eval(*node.children[0]), Value()};
  if (args[0].is_error()) return args[0];
  args[1] = e.Eval(*node.children[1]);
  if (args[1].is_error()) return args[1];
  return Dispatch(node, e, args, 2);
}

// Evaluates && (short_circuit_on == false) or || (true). A side equal to `short_circuit_on`
// decides the result even when the other side is an error, in either order.
template <bool short_circuit_on>
Value EvalLogic(const Node& node, Evaluator& e) {
  Value left = e.Eval(*node.children[0]);
  if (left.kind() == ValueKind::kBool && left.bool_value() == short_circuit_on) return left;
  Value right = e.Eval(*node.children[1]);
  if (right.kind() == ValueKind::kBool && right.bool_value() == short_circuit_on) return right;
  if (left.kind() == ValueKind::kBool && right.kind() == ValueKind::kBool) return right;
  if (left.is_error()) return left;
  if (right.is_error()) return right;
  Value args[2] = {left, right};
  return NoMatchingOverload(e.arena, node.function, args, 2);
}

Value EvalNot(const Node& node, Evaluator& e) {
  Value operand = e.Eval(*node.children[0]);
  if (operand.is_error()) return operand;
  if (operand.kind() != ValueKind::kBool) return NoMatchingOverload(e.arena, "!_", &operand, 1);
  return Value::Bool(!operand.bool_value());
}

Value EvalEquals(const Node& node, Evaluator& e) {
  Value left = e.Eval(*node.children[0]);
  if (left.is_error()) return left;
  Value right = e.Eval(*node.children[1]);
  if (right.is_error()) return right;
  return Value::Bool(ValuesEqual(left, right) != node.negate);
}

Value EvalConditional(const Node& node, Evaluator& e) {
  Value condition = e.Eval(*node.children[0]);
  if (condition.is_error()) return condition;
  if (condition.kind() != ValueKind::kBool) return NoMatchingOverload(e.arena, node.function, &condition, 1);
  return e.Eval(*node.children[condition.bool_value() ? 1 : 2]);
}

Value EvalList(const Node& node, Evaluator& e) {
  size_t size = node.children.size();
  Value* items = e.arena.AllocateArray<Value>(size);
  if (items == nullptr) return Value::Error(kOutOfMemoryMessage);
  for (size_t i = 0; i < size; ++i) {
    items[i] = e.Eval(*node.children[i]);
    if (items[i].is_error()) return items[i];
  }
  ArenaList* list = e.arena.New<ArenaList>(items, size);
  return list == nullptr ? Value::Error(kOutOfMemoryMessage) : Value::List(list);
}

Value EvalMap(const Node& node, Evaluator& e) {
  size_t size = node.children.size() / 2;
  Value* keys = e.arena.AllocateArray<Value>(size);
  Value* values = e.arena.AllocateArray<Value>(size);
  if (keys == nullptr || values == nullptr) return Value::Error(kOutOfMemoryMessage);
  for (size_t i = 0; i < size; ++i) {
    keys[i] = e.Eval(*node.children[2 * i]);
    if (keys[i].is_error()) return keys[i];
    if (!IsMapKeyKind(keys[i].kind())) {
      return MakeError(e.arena, {"unsupported key type '", TypeNameOf(keys[i]), "' in a map"});
    }
    for (size_t j = 0; j < i; ++j) {
      if (ValuesEqual(keys[j], keys[i])) return Value::Error("Failed with repeated key");
    }
    values[i] = e.Eval(*node.children[2 * i + 1]);
    if (values[i].is_error()) return values[i];
  }
  ArenaMap* map = e.arena.New<ArenaMap>(keys, values, size);
  return map == nullptr ? Value::Error(kOutOfMemoryMessage) : Value::Map(map);
}

Value EvalComprehension(const Node& node, Evaluator& e) {
  Value range = e.Eval(*node.children[0]);
  if (range.is_error()) return range;
  bool is_list = range.kind() == ValueKind::kList;
  if (!is_list && range.kind() != ValueKind::kMap) {
    return MakeError(e.arena, {"macros cannot iterate over a value of type '", TypeNameOf(range), "'"});
  }
  size_t size = is_list ? range.list().size() : range.map().size();
  const Node& step = *node.children[1];
  const Node* filter = node.children.size() > 2 ? node.children[2] : nullptr;

  ValueBuffer results(e.arena);
  Value pending_error;
  bool has_error = false;
  int64_t matches = 0;
  for (size_t i = 0; i < size; ++i) {
    if (--e.iterations_left < 0) return Value::Error("evaluation exceeded its iteration limit");
    e.slots[node.slot] = is_list ? range.list().Get(i) : range.map().KeyAt(i);
    if (filter != nullptr) {
      Value keep = e.Eval(*filter);
      if (keep.is_error()) return keep;
      if (keep.kind() != ValueKind::kBool) return NoMatchingOverload(e.arena, "map", &keep, 1);
      if (!keep.bool_value()) continue;
    }
    Value result = e.Eval(step);

    switch (node.macro) {
      case MacroKind::kAll:
      case MacroKind::kExists: {
        // Like && and ||: a decisive result wins over errors from other elements.
        bool decisive = node.macro == MacroKind::kExists;
        if (result.kind() == ValueKind::kBool) {
          if (result.bool_value() == decisive) return result;
        } else if (!has_error) {
          has_error = true;
          pending_error = result.is_error() ? result : NoMatchingOverload(e.arena, "_&&_", &result, 1);
        }
        break;
      }
      case MacroKind::kExistsOne:
      case MacroKind::kFilter:
        if (result.is_error()) return result;
        if (result.kind() != ValueKind::kBool) return NoMatchingOverload(e.arena, "filter", &result, 1);
        if (!result.bool_value()) break;
        ++matches;
        if (node.macro == MacroKind::kFilter && !results.Push(e.slots[node.slot])) {
          return Value::Error(kOutOfMemoryMessage);
        }
        break;
      case MacroKind::kMap:
      case MacroKind::kMapFilter:
        if (result.is_error()) return result;
        if (!results.Push(result)) return Value::Error(kOutOfMemoryMessage);
        break;
    }
  }

  switch (node.macro) {
    case MacroKind::kAll: return has_error ? pending_error : Value::Bool(true);
    case MacroKind::kExists: return has_error ? pending_error : Value::Bool(false);
    case MacroKind::kExistsOne: return Value::Bool(matches == 1);
    default: return results.ToList();
  }
}

bool IsNumberKind(ValueKind kind) {
  return kind == ValueKind::kInt || kind == ValueKind::kUint || kind == ValueKind::kDouble;
}

bool IsOrderedKind(ValueKind kind) {
  return kind == ValueKind::kBool || kind == ValueKind::kString || kind == ValueKind::kBytes ||
         kind == ValueKind::kTimestamp || kind == ValueKind::kDuration;
}

// `a < b`, `a <= b`, `a > b` and `a >= b` on two numbers or two values of one ordered built-in
// kind, without overload dispatch. Every other pair of kinds (money, objects, mismatches) goes
// through the overloads, which also produce the errors.
template <bool (*Test)(int)>
Value EvalOrdering(const Node& node, Evaluator& e) {
  Value args[2] = {e.Eval(*node.children[0]), Value()};
  if (args[0].is_error()) return args[0];
  args[1] = e.Eval(*node.children[1]);
  if (args[1].is_error()) return args[1];

  ValueKind left = args[0].kind();
  ValueKind right = args[1].kind();
  bool numbers = IsNumberKind(left) && IsNumberKind(right);
  if (numbers || (left == right && IsOrderedKind(left))) {
    std::optional<int> order = CompareValues(args[0], args[1]);
    return Value::Bool(order.has_value() && Test(*order));  // NaN is not ordered
  }
  return Dispatch(node, e, args, 2);
}

bool IsLess(int order) { return order < 0; }
bool IsLessOrEqual(int order) { return order <= 0; }
bool IsGreater(int order) { return order > 0; }
bool IsGreaterOrEqual(int order) { return order >= 0; }

NodeEvaluator ChooseCall(const Node& node) {
  if (node.children.size() == 2) {
    if (node.function == op::kLess) return EvalOrdering<IsLess>;
    if (node.function == op::kLessEquals) return EvalOrdering<IsLessOrEqual>;
    if (node.function == op::kGreater) return EvalOrdering<IsGreater>;
    if (node.function == op::kGreaterEquals) return EvalOrdering<IsGreaterOrEqual>;
  }
  if (node.children.size() == 1) return EvalCall1;
  if (node.children.size() == 2) return EvalCall2;
  return EvalCall;
}

NodeEvaluator ChooseSelect(const Node& node) {
  if (node.children.empty()) return EvalSelect;
  const Node& operand = *node.children[0];
  bool plain_variable = operand.op == Node::Op::kVariable && operand.candidates.size() == 1 &&
                        operand.candidates[0].fields.empty() && !operand.has_type_fallback;
  if (operand.op == Node::Op::kSlot) return EvalSlotField;
  return plain_variable ? EvalVariableField : EvalSelect;
}

}  // namespace

void BindEvaluator(Node& node) {
  switch (node.op) {
    case Node::Op::kConstant: node.eval = EvalConstant; return;
    case Node::Op::kVariable: node.eval = EvalVariable; return;
    case Node::Op::kSlot: node.eval = EvalSlot; return;
    case Node::Op::kSelect: node.eval = ChooseSelect(node); return;
    case Node::Op::kHas: node.eval = EvalHas; return;
    case Node::Op::kCall: node.eval = ChooseCall(node); return;
    case Node::Op::kAnd: node.eval = EvalLogic<false>; return;
    case Node::Op::kOr: node.eval = EvalLogic<true>; return;
    case Node::Op::kNot: node.eval = EvalNot; return;
    case Node::Op::kEquals: node.eval = EvalEquals; return;
    case Node::Op::kConditional: node.eval = EvalConditional; return;
    case Node::Op::kList: node.eval = EvalList; return;
    case Node::Op::kMap: node.eval = EvalMap; return;
    case Node::Op::kComprehension: node.eval = EvalComprehension; return;
  }
}

Value EvaluateNode(const Node& node, const Activation& activation, Arena& arena, int64_t max_iterations) {
  Evaluator evaluator(activation, arena, max_iterations, nullptr);
  return evaluator.Eval(node);
}

Program::Program() = default;
Program::Program(Program&&) noexcept = default;
Program& Program::operator=(Program&&) noexcept = default;
Program::~Program() = default;

Value Program::Evaluate(const Activation& activation, Arena& arena) const {
  Value* slots = nullptr;
  if (slot_count_ > 0) {
    slots = arena.AllocateArray<Value>(static_cast<size_t>(slot_count_));
    if (slots == nullptr) return Value::Error(kOutOfMemoryMessage);
  }
  Evaluator evaluator(activation, arena, max_iterations_, slots);
  return evaluator.Eval(*root_);
}

}  // namespace salesradar::cel
