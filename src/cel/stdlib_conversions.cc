// Type conversions: int(), uint(), double(), string(), bytes(), bool(), timestamp(),
// duration().
#include <charconv>
#include <cmath>

#include "cel/containers.h"
#include "cel/env.h"
#include "cel/literal.h"
#include "cel/time_util.h"

namespace salesradar::cel {
namespace {

constexpr std::string_view kRangeError = "range error: value out of range for the target type";

Value IntFromUint(const Value* a, CallContext&) {
  if (a[0].uint_value() > static_cast<uint64_t>(INT64_MAX)) return Value::Error(kRangeError);
  return Value::Int(static_cast<int64_t>(a[0].uint_value()));
}

Value IntFromDouble(const Value* a, CallContext&) {
  double d = a[0].double_value();
  // Doubles at or beyond ±2^63 do not fit, and neither does -2^63 exactly, which CEL
  // implementations reject alike.
  if (!(d > -9.223372036854775808e18 && d < 9.223372036854775808e18)) return Value::Error(kRangeError);
  return Value::Int(static_cast<int64_t>(d));
}

Value IntFromString(const Value* a, CallContext& context) {
  std::string_view text = a[0].string_value();
  int64_t out = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return MakeError(context.arena, {"cannot convert '", text, "' to int"});
  }
  return Value::Int(out);
}

Value IntFromTimestamp(const Value* a, CallContext&) { return Value::Int(a[0].timestamp().seconds); }
Value IntFromDuration(const Value* a, CallContext&) { return Value::Int(a[0].duration().nanos); }

Value UintFromInt(const Value* a, CallContext&) {
  if (a[0].int_value() < 0) return Value::Error(kRangeError);
  return Value::Uint(static_cast<uint64_t>(a[0].int_value()));
}

Value UintFromDouble(const Value* a, CallContext&) {
  double d = a[0].double_value();
  if (!(d > -1.0 && d < 1.8446744073709551616e19)) return Value::Error(kRangeError);
  return Value::Uint(static_cast<uint64_t>(d));
}

Value UintFromString(const Value* a, CallContext& context) {
  std::string_view text = a[0].string_value();
  uint64_t out = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) {
    return MakeError(context.arena, {"cannot convert '", text, "' to uint"});
  }
  return Value::Uint(out);
}

Value DoubleFromInt(const Value* a, CallContext&) { return Value::Double(static_cast<double>(a[0].int_value())); }
Value DoubleFromUint(const Value* a, CallContext&) { return Value::Double(static_cast<double>(a[0].uint_value())); }

Value DoubleFromString(const Value* a, CallContext& context) {
  std::string text(a[0].string_value());
  char* end = nullptr;
  double out = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size()) {
    return MakeError(context.arena, {"cannot convert '", text, "' to double"});
  }
  return Value::Double(out);
}

Value FormatNumber(CallContext& context, const Value& value) {
  char buffer[64];
  std::to_chars_result result{};
  switch (value.kind()) {
    case ValueKind::kInt: result = std::to_chars(buffer, buffer + sizeof(buffer), value.int_value()); break;
    case ValueKind::kUint: result = std::to_chars(buffer, buffer + sizeof(buffer), value.uint_value()); break;
    default: {
      double d = value.double_value();
      if (std::isnan(d)) return Value::String("NaN");
      if (std::isinf(d)) return Value::String(d > 0 ? "+Inf" : "-Inf");
      result = std::to_chars(buffer, buffer + sizeof(buffer), d);
    }
  }
  return MakeString(context.arena, std::string_view(buffer, static_cast<size_t>(result.ptr - buffer)));
}

Value StringFromNumber(const Value* a, CallContext& context) { return FormatNumber(context, a[0]); }

Value StringFromBytes(const Value* a, CallContext&) {
  if (!IsValidUtf8(a[0].bytes_value())) return Value::Error("invalid UTF-8 in bytes converted to string");
  return Value::String(a[0].bytes_value());
}

Value StringFromBool(const Value* a, CallContext&) { return Value::String(a[0].bool_value() ? "true" : "false"); }

Value StringFromTimestamp(const Value* a, CallContext& context) {
  return MakeString(context.arena, FormatTimestamp(a[0].timestamp()));
}

Value StringFromDuration(const Value* a, CallContext& context) {
  return MakeString(context.arena, FormatDuration(a[0].duration()));
}

Value BytesFromString(const Value* a, CallContext&) { return Value::Bytes(a[0].string_value()); }

Value BoolFromString(const Value* a, CallContext& context) {
  static constexpr std::string_view kTrue[] = {"1", "t", "true", "TRUE", "True"};
  static constexpr std::string_view kFalse[] = {"0", "f", "false", "FALSE", "False"};
  std::string_view text = a[0].string_value();
  for (std::string_view t : kTrue) {
    if (text == t) return Value::Bool(true);
  }
  for (std::string_view f : kFalse) {
    if (text == f) return Value::Bool(false);
  }
  return MakeError(context.arena, {"Type conversion error: cannot convert '", text, "' to bool"});
}

Value TimestampFromString(const Value* a, CallContext& context) {
  std::optional<Time> t = ParseTimestamp(a[0].string_value());
  if (!t) {
    return MakeError(context.arena, {"cannot parse '", a[0].string_value(),
                                     "' as a timestamp: invalid RFC 3339 text or out of range"});
  }
  return Value::Timestamp(*t);
}

Value TimestampFromInt(const Value* a, CallContext&) {
  Time t{a[0].int_value(), 0};
  if (!IsValidTime(t)) return Value::Error("timestamp out of range");
  return Value::Timestamp(t);
}

Value DurationFromString(const Value* a, CallContext& context) {
  std::optional<Duration> d = ParseDuration(a[0].string_value());
  if (!d) {
    return MakeError(context.arena, {"cannot parse '", a[0].string_value(),
                                     "' as a duration: invalid text or out of range"});
  }
  return Value::DurationValue(*d);
}

Value Identity(const Value* a, CallContext&) { return a[0]; }

}  // namespace

void RegisterConversions(FunctionRegistry& r) {
  const char* ts = "google.protobuf.Timestamp";
  const char* dur = "google.protobuf.Duration";
  r.Add("int", false, {"int"}, "int", Identity);
  r.Add("int", false, {"uint"}, "int", IntFromUint);
  r.Add("int", false, {"double"}, "int", IntFromDouble);
  r.Add("int", false, {"string"}, "int", IntFromString);
  r.Add("int", false, {ts}, "int", IntFromTimestamp);
  r.Add("int", false, {dur}, "int", IntFromDuration);

  r.Add("uint", false, {"uint"}, "uint", Identity);
  r.Add("uint", false, {"int"}, "uint", UintFromInt);
  r.Add("uint", false, {"double"}, "uint", UintFromDouble);
  r.Add("uint", false, {"string"}, "uint", UintFromString);

  r.Add("double", false, {"double"}, "double", Identity);
  r.Add("double", false, {"int"}, "double", DoubleFromInt);
  r.Add("double", false, {"uint"}, "double", DoubleFromUint);
  r.Add("double", false, {"string"}, "double", DoubleFromString);

  r.Add("string", false, {"string"}, "string", Identity);
  r.Add("string", false, {"int"}, "string", StringFromNumber);
  r.Add("string", false, {"uint"}, "string", StringFromNumber);
  r.Add("string", false, {"double"}, "string", StringFromNumber);
  r.Add("string", false, {"bytes"}, "string", StringFromBytes);
  r.Add("string", false, {"bool"}, "string", StringFromBool);
  r.Add("string", false, {ts}, "string", StringFromTimestamp);
  r.Add("string", false, {dur}, "string", StringFromDuration);

  r.Add("bytes", false, {"bytes"}, "bytes", Identity);
  r.Add("bytes", false, {"string"}, "bytes", BytesFromString);

  r.Add("bool", false, {"bool"}, "bool", Identity);
  r.Add("bool", false, {"string"}, "bool", BoolFromString);

  r.Add("timestamp", false, {ts}, ts, Identity);
  r.Add("timestamp", false, {"string"}, ts, TimestampFromString);
  r.Add("timestamp", false, {"int"}, ts, TimestampFromInt);
  r.Add("duration", false, {dur}, dur, Identity);
  r.Add("duration", false, {"string"}, dur, DurationFromString);
}

}  // namespace salesradar::cel
