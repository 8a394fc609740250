// Equality and ordering. Numbers of different kinds compare by value.
#include "cel/containers.h"
#include "cel/env.h"

namespace salesradar::cel {
namespace {

Value Equals(const Value* a, CallContext&) { return Value::Bool(ValuesEqual(a[0], a[1])); }
Value NotEquals(const Value* a, CallContext&) { return Value::Bool(!ValuesEqual(a[0], a[1])); }

Value CurrencyMismatch(const Value* a, CallContext& context) {
  return MakeError(context.arena, {"cannot compare money in different currencies: ",
                                   a[0].money().currency_code(), " and ", a[1].money().currency_code()});
}

template <bool (*Test)(int)>
Value Ordered(const Value* a, CallContext& context) {
  std::optional<int> order = CompareValues(a[0], a[1]);
  if (!order) {
    if (a[0].kind() == ValueKind::kMoney) return CurrencyMismatch(a, context);
    return Value::Bool(false);  // NaN is not ordered against anything
  }
  return Value::Bool(Test(*order));
}

bool IsLess(int order) { return order < 0; }
bool IsLessOrEqual(int order) { return order <= 0; }
bool IsGreater(int order) { return order > 0; }
bool IsGreaterOrEqual(int order) { return order >= 0; }

}  // namespace

void RegisterComparisons(FunctionRegistry& r) {
  r.Add(op::kEquals, false, {"A", "A"}, "bool", Equals);
  r.Add(op::kNotEquals, false, {"A", "A"}, "bool", NotEquals);

  static constexpr std::string_view kNumbers[] = {"int", "uint", "double"};
  static constexpr std::string_view kOrderedTypes[] = {
      "bool", "string", "bytes", "google.protobuf.Timestamp", "google.protobuf.Duration", "money"};
  struct Operator {
    const char* name;
    FunctionImpl impl;
  };
  const Operator operators[] = {
      {op::kLess, Ordered<IsLess>},
      {op::kLessEquals, Ordered<IsLessOrEqual>},
      {op::kGreater, Ordered<IsGreater>},
      {op::kGreaterEquals, Ordered<IsGreaterOrEqual>},
  };
  for (const Operator& o : operators) {
    for (std::string_view left : kNumbers) {
      for (std::string_view right : kNumbers) r.Add(o.name, false, {left, right}, "bool", o.impl);
    }
    for (std::string_view type : kOrderedTypes) r.Add(o.name, false, {type, type}, "bool", o.impl);
  }
}

}  // namespace salesradar::cel
