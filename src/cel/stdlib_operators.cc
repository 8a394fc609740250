// Arithmetic, concatenation, indexing, membership, size, type() and dyn().
#include <cmath>

#include "cel/containers.h"
#include "cel/env.h"
#include "cel/literal.h"

namespace salesradar::cel {
namespace {

constexpr std::string_view kOverflow = "return error for overflow";

Value IntAdd(const Value* a, CallContext&) {
  int64_t out;
  if (__builtin_add_overflow(a[0].int_value(), a[1].int_value(), &out)) return Value::Error(kOverflow);
  return Value::Int(out);
}
Value IntSubtract(const Value* a, CallContext&) {
  int64_t out;
  if (__builtin_sub_overflow(a[0].int_value(), a[1].int_value(), &out)) return Value::Error(kOverflow);
  return Value::Int(out);
}
Value IntMultiply(const Value* a, CallContext&) {
  int64_t out;
  if (__builtin_mul_overflow(a[0].int_value(), a[1].int_value(), &out)) return Value::Error(kOverflow);
  return Value::Int(out);
}
Value IntDivide(const Value* a, CallContext&) {
  if (a[1].int_value() == 0) return Value::Error("divide by zero");
  if (a[0].int_value() == INT64_MIN && a[1].int_value() == -1) return Value::Error(kOverflow);
  return Value::Int(a[0].int_value() / a[1].int_value());
}
Value IntModulo(const Value* a, CallContext&) {
  if (a[1].int_value() == 0) return Value::Error("modulus by zero");
  if (a[0].int_value() == INT64_MIN && a[1].int_value() == -1) return Value::Error(kOverflow);
  return Value::Int(a[0].int_value() % a[1].int_value());
}
Value IntNegate(const Value* a, CallContext&) {
  if (a[0].int_value() == INT64_MIN) return Value::Error(kOverflow);
  return Value::Int(-a[0].int_value());
}

Value UintAdd(const Value* a, CallContext&) {
  uint64_t out;
  if (__builtin_add_overflow(a[0].uint_value(), a[1].uint_value(), &out)) return Value::Error(kOverflow);
  return Value::Uint(out);
}
Value UintSubtract(const Value* a, CallContext&) {
  uint64_t out;
  if (__builtin_sub_overflow(a[0].uint_value(), a[1].uint_value(), &out)) return Value::Error(kOverflow);
  return Value::Uint(out);
}
Value UintMultiply(const Value* a, CallContext&) {
  uint64_t out;
  if (__builtin_mul_overflow(a[0].uint_value(), a[1].uint_value(), &out)) return Value::Error(kOverflow);
  return Value::Uint(out);
}
Value UintDivide(const Value* a, CallContext&) {
  if (a[1].uint_value() == 0) return Value::Error("divide by zero");
  return Value::Uint(a[0].uint_value() / a[1].uint_value());
}
Value UintModulo(const Value* a, CallContext&) {
  if (a[1].uint_value() == 0) return Value::Error("modulus by zero");
  return Value::Uint(a[0].uint_value() % a[1].uint_value());
}

Value DoubleAdd(const Value* a, CallContext&) { return Value::Double(a[0].double_value() + a[1].double_value()); }
Value DoubleSubtract(const Value* a, CallContext&) { return Value::Double(a[0].double_value() - a[1].double_value()); }
Value DoubleMultiply(const Value* a, CallContext&) { return Value::Double(a[0].double_value() * a[1].double_value()); }
Value DoubleDivide(const Value* a, CallContext&) { return Value::Double(a[0].double_value() / a[1].double_value()); }
Value DoubleNegate(const Value* a, CallContext&) { return Value::Double(-a[0].double_value()); }

Value Concatenate(const Value* a, CallContext& context) {
  std::string_view left = a[0].string_value();
  std::string_view right = a[1].string_value();
  if (left.empty()) return a[1];
  if (right.empty()) return a[0];
  char* buffer = static_cast<char*>(context.arena.Allocate(left.size() + right.size(), 1));
  if (buffer == nullptr) return Value::Error(kOutOfMemoryMessage);
  std::memcpy(buffer, left.data(), left.size());
  std::memcpy(buffer + left.size(), right.data(), right.size());
  std::string_view joined(buffer, left.size() + right.size());
  return a[0].kind() == ValueKind::kBytes ? Value::Bytes(joined) : Value::String(joined);
}

Value ListConcatenate(const Value* a, CallContext& context) {
  const ListValue& left = a[0].list();
  const ListValue& right = a[1].list();
  if (left.size() == 0) return a[1];
  if (right.size() == 0) return a[0];
  size_t size = left.size() + right.size();
  Value* items = context.arena.AllocateArray<Value>(size);
  if (items == nullptr) return Value::Error(kOutOfMemoryMessage);
  for (size_t i = 0; i < left.size(); ++i) items[i] = left.Get(i);
  for (size_t i = 0; i < right.size(); ++i) items[left.size() + i] = right.Get(i);
  ArenaList* list = context.arena.New<ArenaList>(items, size);
  return list == nullptr ? Value::Error(kOutOfMemoryMessage) : Value::List(list);
}

// Converts a list index of kind int, uint or integral double to a position, or returns an
// error value.
Value ListIndex(const Value* a, CallContext& context) {
  const ListValue& list = a[0].list();
  const Value& index = a[1];
  int64_t position = 0;
  switch (index.kind()) {
    case ValueKind::kInt: position = index.int_value(); break;
    case ValueKind::kUint:
      position = index.uint_value() > INT64_MAX ? -1 : static_cast<int64_t>(index.uint_value());
      break;
    case ValueKind::kDouble: {
      double d = index.double_value();
      if (!(d >= -9.2e18 && d <= 9.2e18) || std::trunc(d) != d) {
        return MakeError(context.arena, {"invalid list index: not an integer"});
      }
      position = static_cast<int64_t>(d);
      break;
    }
    default: return NoMatchingOverload(context.arena, "_[_]", a, 2);
  }
  if (position < 0 || static_cast<uint64_t>(position) >= list.size()) {
    return MakeError(context.arena, {"index out of bounds: ", std::to_string(position)});
  }
  return list.Get(static_cast<size_t>(position));
}

Value MapIndex(const Value* a, CallContext& context) {
  const Value& key = a[1];
  if (!IsMapKeyKind(key.kind()) && key.kind() != ValueKind::kDouble) {
    return MakeError(context.arena, {"unsupported key type '", TypeNameOf(key), "'"});
  }
  std::optional<Value> found = a[0].map().Find(key);
  if (!found) return MakeError(context.arena, {"no such key: ", DebugString(key)});
  return *found;
}

Value InList(const Value* a, CallContext&) {
  const ListValue& list = a[1].list();
  for (size_t i = 0; i < list.size(); ++i) {
    if (ValuesEqual(a[0], list.Get(i))) return Value::Bool(true);
  }
  return Value::Bool(false);
}

Value InMap(const Value* a, CallContext&) {
  ValueKind kind = a[0].kind();
  if (!IsMapKeyKind(kind) && kind != ValueKind::kDouble) return Value::Bool(false);
  return Value::Bool(a[1].map().Find(a[0]).has_value());
}

size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

Value StringSize(const Value* a, CallContext&) {
  return Value::Int(static_cast<int64_t>(CountCodePoints(a[0].string_value())));
}
Value BytesSize(const Value* a, CallContext&) {
  return Value::Int(static_cast<int64_t>(a[0].bytes_value().size()));
}
Value ListSize(const Value* a, CallContext&) { return Value::Int(static_cast<int64_t>(a[0].list().size())); }
Value MapSize(const Value* a, CallContext&) { return Value::Int(static_cast<int64_t>(a[0].map().size())); }

Value TypeOf(const Value* a, CallContext&) { return Value::Type(TypeNameOf(a[0])); }
Value Identity(const Value* a, CallContext&) { return a[0]; }

}  // namespace

void RegisterOperators(FunctionRegistry& r) {
  r.Add(op::kAdd, false, {"int", "int"}, "int", IntAdd);
  r.Add(op::kSubtract, false, {"int", "int"}, "int", IntSubtract);
  r.Add(op::kMultiply, false, {"int", "int"}, "int", IntMultiply);
  r.Add(op::kDivide, false, {"int", "int"}, "int", IntDivide);
  r.Add(op::kModulo, false, {"int", "int"}, "int", IntModulo);
  r.Add(op::kNegate, false, {"int"}, "int", IntNegate);

  r.Add(op::kAdd, false, {"uint", "uint"}, "uint", UintAdd);
  r.Add(op::kSubtract, false, {"uint", "uint"}, "uint", UintSubtract);
  r.Add(op::kMultiply, false, {"uint", "uint"}, "uint", UintMultiply);
  r.Add(op::kDivide, false, {"uint", "uint"}, "uint", UintDivide);
  r.Add(op::kModulo, false, {"uint", "uint"}, "uint", UintModulo);

  r.Add(op::kAdd, false, {"double", "double"}, "double", DoubleAdd);
  r.Add(op::kSubtract, false, {"double", "double"}, "double", DoubleSubtract);
  r.Add(op::kMultiply, false, {"double", "double"}, "double", DoubleMultiply);
  r.Add(op::kDivide, false, {"double", "double"}, "double", DoubleDivide);
  r.Add(op::kNegate, false, {"double"}, "double", DoubleNegate);

  r.Add(op::kAdd, false, {"string", "string"}, "string", Concatenate);
  r.Add(op::kAdd, false, {"bytes", "bytes"}, "bytes", Concatenate);
  r.Add(op::kAdd, false, {"list(A)", "list(A)"}, "list(A)", ListConcatenate);

  r.Add(op::kIndex, false, {"list(A)", "int"}, "A", ListIndex);
  r.Add(op::kIndex, false, {"list(A)", "uint"}, "A", ListIndex);
  r.Add(op::kIndex, false, {"list(A)", "double"}, "A", ListIndex);
  r.Add(op::kIndex, false, {"map(K, V)", "K"}, "V", MapIndex);
  r.Add(op::kIndex, false, {"map(K, V)", "dyn"}, "V", MapIndex);
  r.Add(op::kIn, false, {"A", "list(A)"}, "bool", InList);
  r.Add(op::kIn, false, {"K", "map(K, V)"}, "bool", InMap);

  r.AddBoth("size", {"string"}, "int", StringSize);
  r.AddBoth("size", {"bytes"}, "int", BytesSize);
  r.AddBoth("size", {"list(A)"}, "int", ListSize);
  r.AddBoth("size", {"map(K, V)"}, "int", MapSize);

  r.Add("type", false, {"A"}, "type(A)", TypeOf);
  r.Add("dyn", false, {"A"}, "dyn", Identity);
}

}  // namespace salesradar::cel
