#include "cel/value.h"

#include <charconv>
#include <cmath>
#include <type_traits>

#include "cel/arena.h"

namespace salesradar::cel {
namespace {

int Sign(bool less, bool greater) { return less ? -1 : (greater ? 1 : 0); }

// Compares an int or uint with a double the way CEL implementations do: the integer is
// converted to double first, so 2^63-1 equals 2^63 as a double.
std::optional<int> CompareAsDoubles(double x, double d) {
  if (std::isnan(d)) return std::nullopt;
  return Sign(x < d, x > d);
}

std::optional<int> CompareIntDouble(int64_t i, double d) {
  return CompareAsDoubles(static_cast<double>(i), d);
}

std::optional<int> CompareUintDouble(uint64_t u, double d) {
  return CompareAsDoubles(static_cast<double>(u), d);
}

std::optional<int> CompareIntUint(int64_t i, uint64_t u) {
  if (i < 0) return -1;
  auto as_unsigned = static_cast<uint64_t>(i);
  return Sign(as_unsigned < u, as_unsigned > u);
}

bool IsNumber(ValueKind kind) {
  return kind == ValueKind::kInt || kind == ValueKind::kUint || kind == ValueKind::kDouble;
}

std::optional<int> CompareNumbers(const Value& a, const Value& b) {
  switch (a.kind()) {
    case ValueKind::kInt:
      if (b.kind() == ValueKind::kInt) return Sign(a.int_value() < b.int_value(), a.int_value() > b.int_value());
      if (b.kind() == ValueKind::kUint) return CompareIntUint(a.int_value(), b.uint_value());
      return CompareIntDouble(a.int_value(), b.double_value());
    case ValueKind::kUint:
      if (b.kind() == ValueKind::kUint) return Sign(a.uint_value() < b.uint_value(), a.uint_value() > b.uint_value());
      if (b.kind() == ValueKind::kInt) {
        auto reversed = CompareIntUint(b.int_value(), a.uint_value());
        return -*reversed;
      }
      return CompareUintDouble(a.uint_value(), b.double_value());
    default: {
      double d = a.double_value();
      if (b.kind() == ValueKind::kDouble) {
        if (std::isnan(d) || std::isnan(b.double_value())) return std::nullopt;
        return Sign(d < b.double_value(), d > b.double_value());
      }
      auto reversed = b.kind() == ValueKind::kInt ? CompareIntDouble(b.int_value(), d)
                                                  : CompareUintDouble(b.uint_value(), d);
      if (!reversed) return std::nullopt;
      return -*reversed;
    }
  }
}

bool ListsEqual(const ListValue& a, const ListValue& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!ValuesEqual(a.Get(i), b.Get(i))) return false;
  }
  return true;
}

bool MapsEqual(const MapValue& a, const MapValue& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    Value key = a.KeyAt(i);
    std::optional<Value> other = b.Find(key);
    if (!other || !ValuesEqual(*a.Find(key), *other)) return false;
  }
  return true;
}

void AppendQuoted(std::string& out, std::string_view text, char quote) {
  out += quote;
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c == quote) out += '\\';
        out += c;
    }
  }
  out += quote;
}

void AppendDebug(std::string& out, const Value& value);

static_assert(std::is_trivially_copyable_v<Value>, "values are copied freely and never destroyed");
static_assert(sizeof(Value) == 24, "a value is a kind byte and a 16-byte payload");

}  // namespace

bool ObjectValue::HasField(std::string_view name) const {
  Arena arena;
  std::optional<Value> field = Field(name, arena);
  return field.has_value() && !field->is_null();
}

std::string_view KindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNull: return "null_type";
    case ValueKind::kBool: return "bool";
    case ValueKind::kInt: return "int";
    case ValueKind::kUint: return "uint";
    case ValueKind::kDouble: return "double";
    case ValueKind::kString: return "string";
    case ValueKind::kBytes: return "bytes";
    case ValueKind::kList: return "list";
    case ValueKind::kMap: return "map";
    case ValueKind::kObject: return "object";
    case ValueKind::kTimestamp: return "google.protobuf.Timestamp";
    case ValueKind::kDuration: return "google.protobuf.Duration";
    case ValueKind::kMoney: return "money";
    case ValueKind::kType: return "type";
    case ValueKind::kError: return "error";
  }
  return "error";
}

std::string_view TypeNameOf(const Value& value) {
  if (value.kind() == ValueKind::kObject) return value.object().TypeName();
  return KindName(value.kind());
}

bool ValuesEqual(const Value& a, const Value& b) {
  if (a.kind() == ValueKind::kString && b.kind() == ValueKind::kString) {
    return a.string_value() == b.string_value();
  }
  if (IsNumber(a.kind()) && IsNumber(b.kind())) {
    std::optional<int> order = CompareNumbers(a, b);
    return order.has_value() && *order == 0;
  }
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kNull: return true;
    case ValueKind::kBool: return a.bool_value() == b.bool_value();
    case ValueKind::kString:
    case ValueKind::kBytes:
    case ValueKind::kType: return a.string_value() == b.string_value();
    case ValueKind::kList: return ListsEqual(a.list(), b.list());
    case ValueKind::kMap: return MapsEqual(a.map(), b.map());
    case ValueKind::kObject: return &a.object() == &b.object();
    case ValueKind::kTimestamp:
      return a.timestamp().seconds == b.timestamp().seconds && a.timestamp().nanos == b.timestamp().nanos;
    case ValueKind::kDuration: return a.duration().nanos == b.duration().nanos;
    case ValueKind::kMoney:
      return a.money().minor_units == b.money().minor_units &&
             a.money().currency_code() == b.money().currency_code();
    default: return false;
  }
}

std::optional<int> CompareValues(const Value& a, const Value& b) {
  if (IsNumber(a.kind()) && IsNumber(b.kind())) return CompareNumbers(a, b);
  if (a.kind() != b.kind()) return std::nullopt;
  switch (a.kind()) {
    case ValueKind::kBool: return Sign(!a.bool_value() && b.bool_value(), a.bool_value() && !b.bool_value());
    case ValueKind::kString:
    case ValueKind::kBytes: {
      int order = a.string_value().compare(b.string_value());
      return Sign(order < 0, order > 0);
    }
    case ValueKind::kTimestamp: {
      Time x = a.timestamp();
      Time y = b.timestamp();
      if (x.seconds != y.seconds) return Sign(x.seconds < y.seconds, x.seconds > y.seconds);
      return Sign(x.nanos < y.nanos, x.nanos > y.nanos);
    }
    case ValueKind::kDuration:
      return Sign(a.duration().nanos < b.duration().nanos, a.duration().nanos > b.duration().nanos);
    case ValueKind::kMoney:
      if (a.money().currency_code() != b.money().currency_code()) return std::nullopt;
      return Sign(a.money().minor_units < b.money().minor_units,
                  a.money().minor_units > b.money().minor_units);
    default: return std::nullopt;
  }
}

namespace {

void AppendDebug(std::string& out, const Value& value) {
  switch (value.kind()) {
    case ValueKind::kNull: out += "null"; return;
    case ValueKind::kBool: out += value.bool_value() ? "true" : "false"; return;
    case ValueKind::kInt: out += std::to_string(value.int_value()); return;
    case ValueKind::kUint: out += std::to_string(value.uint_value()) + "u"; return;
    case ValueKind::kDouble: {
      char buffer[64];
      auto result = std::to_chars(buffer, buffer + sizeof(buffer), value.double_value());
      out.append(buffer, result.ptr);
      return;
    }
    case ValueKind::kString: AppendQuoted(out, value.string_value(), '"'); return;
    case ValueKind::kBytes: out += 'b'; AppendQuoted(out, value.bytes_value(), '"'); return;
    case ValueKind::kList: {
      out += '[';
      for (size_t i = 0; i < value.list().size(); ++i) {
        if (i > 0) out += ", ";
        AppendDebug(out, value.list().Get(i));
      }
      out += ']';
      return;
    }
    case ValueKind::kMap: {
      out += '{';
      for (size_t i = 0; i < value.map().size(); ++i) {
        if (i > 0) out += ", ";
        Value key = value.map().KeyAt(i);
        AppendDebug(out, key);
        out += ": ";
        AppendDebug(out, *value.map().Find(key));
      }
      out += '}';
      return;
    }
    case ValueKind::kObject: out += std::string(value.object().TypeName()) + "{...}"; return;
    case ValueKind::kTimestamp:
      out += "timestamp(" + std::to_string(value.timestamp().seconds) + "s+" +
             std::to_string(value.timestamp().nanos) + "ns)";
      return;
    case ValueKind::kDuration: out += "duration(" + std::to_string(value.duration().nanos) + "ns)"; return;
    case ValueKind::kMoney:
      out += "money(" + std::to_string(value.money().minor_units) + ", '" +
             std::string(value.money().currency_code()) + "')";
      return;
    case ValueKind::kType: out += value.type_name(); return;
    case ValueKind::kError: out += "error(" + std::string(value.error_message()) + ")"; return;
  }
}

}  // namespace

std::string DebugString(const Value& value) {
  std::string out;
  AppendDebug(out, value);
  return out;
}

}  // namespace salesradar::cel
