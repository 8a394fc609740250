// Runtime values of CEL.
//
// A Value is 24 bytes, trivially copyable, and never owns memory. Scalars are stored inline.
// Strings, bytes, lists, maps, objects and errors point to memory owned elsewhere: by the
// compiled Program (constants), by the caller (values handed out by an Activation), or by the
// Arena of the evaluation. A Value is valid as long as all three of those live.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace salesradar::cel {

class Arena;
class Value;

enum class ValueKind : uint8_t {
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  kObject,
  kTimestamp,
  kDuration,
  kMoney,
  kType,
  kError,
};

// Returns the CEL name of the runtime type of values of `kind`, for example "int" or
// "google.protobuf.Timestamp". Objects report their own type name instead.
std::string_view KindName(ValueKind kind);

// A list, either built by the evaluator in its Arena or implemented by the caller over its
// own data. Implementations must stay valid and unchanged during an evaluation.
class ListValue {
 public:
  virtual size_t size() const = 0;
  // REQUIRES: index < size().
  virtual Value Get(size_t index) const = 0;

 protected:
  ~ListValue() = default;
};

// A map with keys of kind int, uint, bool or string; iteration follows KeyAt() order.
class MapValue {
 public:
  virtual size_t size() const = 0;
  // REQUIRES: index < size().
  virtual Value KeyAt(size_t index) const = 0;
  // Returns the value stored under `key`, comparing numbers by value across int, uint and
  // double, or nullopt when there is none.
  virtual std::optional<Value> Find(const Value& key) const = 0;

 protected:
  ~MapValue() = default;
};

// A caller-owned record, for example an opportunity, whose fields are read lazily by name.
// Implementations must stay valid and unchanged during an evaluation.
class ObjectValue {
 public:
  // The type name that type() returns and that the checker declared, e.g. "Opportunity".
  virtual std::string_view TypeName() const = 0;
  // Returns the field's value, or nullopt when the type has no such field. A value built on
  // demand may be allocated in `arena`.
  virtual std::optional<Value> Field(std::string_view name, Arena& arena) const = 0;
  // Returns true when the field is set, for has(). The default: the field exists and is not
  // null.
  virtual bool HasField(std::string_view name) const;

 protected:
  ~ObjectValue() = default;
};

// Duration in nanoseconds; the range is that of int64 (about ±292 years).
struct Duration {
  int64_t nanos = 0;
};

// A UTC instant between 0001-01-01 and 9999-12-31T23:59:59.999999999, inclusive.
struct Time {
  int64_t seconds = 0;  // since the Unix epoch
  int32_t nanos = 0;    // 0 to 999'999'999
};

// An amount of money in the minor unit (fen for CNY) and an ISO 4217 currency code.
struct Money {
  int64_t minor_units = 0;
  char currency[4] = {0, 0, 0, 0};  // three letters and a terminating zero

  std::string_view currency_code() const { return std::string_view(currency, 3); }
};

class Value {
 public:
  Value() : kind_(ValueKind::kNull) {}

  static Value Null() { return Value(); }
  static Value Bool(bool b) { Value v(ValueKind::kBool); v.u_.bool_value = b; return v; }
  static Value Int(int64_t i) { Value v(ValueKind::kInt); v.u_.int_value = i; return v; }
  static Value Uint(uint64_t u) { Value v(ValueKind::kUint); v.u_.uint_value = u; return v; }
  static Value Double(double d) { Value v(ValueKind::kDouble); v.u_.double_value = d; return v; }
  // `text` must be valid UTF-8 and outlive the value.
  static Value String(std::string_view text) { return Text(ValueKind::kString, text); }
  static Value Bytes(std::string_view data) { return Text(ValueKind::kBytes, data); }
  static Value List(const ListValue* list) { Value v(ValueKind::kList); v.u_.list = list; return v; }
  static Value Map(const MapValue* map) { Value v(ValueKind::kMap); v.u_.map = map; return v; }
  static Value Object(const ObjectValue* object) {
    Value v(ValueKind::kObject);
    v.u_.object = object;
    return v;
  }
  static Value Timestamp(Time t) { Value v(ValueKind::kTimestamp); v.u_.time = t; return v; }
  static Value DurationValue(Duration d) { Value v(ValueKind::kDuration); v.u_.duration = d; return v; }
  static Value MoneyValue(Money m) { Value v(ValueKind::kMoney); v.u_.money = m; return v; }
  // `name` is the type's CEL name and must outlive the value.
  static Value Type(std::string_view name) { return Text(ValueKind::kType, name); }
  // `message` must outlive the value; Arena-backed errors come from MakeError().
  static Value Error(std::string_view message) { return Text(ValueKind::kError, message); }

  ValueKind kind() const { return kind_; }
  bool is_error() const { return kind_ == ValueKind::kError; }
  bool is_null() const { return kind_ == ValueKind::kNull; }

  // Accessors; each REQUIRES the matching kind.
  bool bool_value() const { return u_.bool_value; }
  int64_t int_value() const { return u_.int_value; }
  uint64_t uint_value() const { return u_.uint_value; }
  double double_value() const { return u_.double_value; }
  std::string_view string_value() const { return text(); }
  std::string_view bytes_value() const { return text(); }
  std::string_view type_name() const { return text(); }
  std::string_view error_message() const { return text(); }
  const ListValue& list() const { return *u_.list; }
  const MapValue& map() const { return *u_.map; }
  const ObjectValue& object() const { return *u_.object; }
  Time timestamp() const { return u_.time; }
  Duration duration() const { return u_.duration; }
  const Money& money() const { return u_.money; }

 private:
  explicit Value(ValueKind kind) : kind_(kind) {}

  static Value Text(ValueKind kind, std::string_view text) {
    Value v(kind);
    v.u_.text.data = text.data();
    v.u_.text.size = text.size();
    return v;
  }
  std::string_view text() const { return std::string_view(u_.text.data, u_.text.size); }

  ValueKind kind_;
  union Payload {
    Payload() : int_value(0) {}
    bool bool_value;
    int64_t int_value;
    uint64_t uint_value;
    double double_value;
    struct {
      const char* data;
      size_t size;
    } text;
    const ListValue* list;
    const MapValue* map;
    const ObjectValue* object;
    Time time;
    Duration duration;
    Money money;
  } u_;
};

// Returns the runtime type name of `value`: KindName() or, for objects, their TypeName().
std::string_view TypeNameOf(const Value& value);

// CEL equality (`==`). Numbers compare by value across int, uint and double, and NaN equals
// nothing. Lists and maps compare element by element, objects by identity. Values of different
// kinds are unequal. Errors compare unequal, so callers deal with errors before calling.
bool ValuesEqual(const Value& a, const Value& b);

// Three-way ordering for `<` and friends: -1, 0 or 1, or nullopt when the two values are not
// ordered (different non-numeric kinds, NaN, lists, maps ...).
std::optional<int> CompareValues(const Value& a, const Value& b);

// Returns true when `kind` may be a map key.
inline bool IsMapKeyKind(ValueKind kind) {
  return kind == ValueKind::kInt || kind == ValueKind::kUint || kind == ValueKind::kBool ||
         kind == ValueKind::kString;
}

// Formats `value` for people and test output, e.g. `[1, "a", {true: 2u}]`.
std::string DebugString(const Value& value);

}  // namespace salesradar::cel
