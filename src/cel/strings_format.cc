// format(): printf-style formatting for the strings extension. Supported clauses: %s, %d,
// %f, %e, %x, %X, %o, %b and %%, with an optional precision such as %.2f.
#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <string>

#include "cel/containers.h"
#include "cel/functions.h"
#include "cel/time_util.h"

namespace salesradar::cel {
namespace {

std::string FormatDouble(double d, char verb, int precision) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  char spec[16];
  std::snprintf(spec, sizeof(spec), "%%.%d%c", precision, verb);
  char buffer[512];
  std::snprintf(buffer, sizeof(buffer), spec, d);
  return buffer;
}

std::string ToBase(uint64_t value, int base, bool upper) {
  char buffer[72];
  auto result = std::to_chars(buffer, buffer + sizeof(buffer), value, base);
  std::string out(buffer, result.ptr);
  if (upper) {
    for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

// Formats `value` as %s does; false when it has no string form.
bool AppendString(std::string& out, const Value& value) {
  switch (value.kind()) {
    case ValueKind::kString: out.append(value.string_value()); return true;
    case ValueKind::kBytes: out.append(value.bytes_value()); return true;
    case ValueKind::kInt: out += std::to_string(value.int_value()); return true;
    case ValueKind::kUint: out += std::to_string(value.uint_value()); return true;
    case ValueKind::kDouble: {
      char buffer[64];
      auto result = std::to_chars(buffer, buffer + sizeof(buffer), value.double_value());
      out.append(buffer, result.ptr);
      return true;
    }
    case ValueKind::kBool: out += value.bool_value() ? "true" : "false"; return true;
    case ValueKind::kNull: out += "null"; return true;
    case ValueKind::kType: out.append(value.type_name()); return true;
    case ValueKind::kTimestamp: out += FormatTimestamp(value.timestamp()); return true;
    case ValueKind::kDuration: out += FormatDuration(value.duration()); return true;
    case ValueKind::kList: {
      out += '[';
      for (size_t i = 0; i < value.list().size(); ++i) {
        if (i > 0) out += ", ";
        if (!AppendString(out, value.list().Get(i))) return false;
      }
      out += ']';
      return true;
    }
    case ValueKind::kMap:
    case ValueKind::kMoney:
    case ValueKind::kObject: out += DebugString(value); return true;
    case ValueKind::kError: return false;
  }
  return false;
}

bool AppendClause(std::string& out, char verb, int precision, const Value& value) {
  switch (verb) {
    case 's': return AppendString(out, value);
    case 'd':
      if (value.kind() == ValueKind::kInt) out += std::to_string(value.int_value());
      else if (value.kind() == ValueKind::kUint) out += std::to_string(value.uint_value());
      else return false;
      return true;
    case 'f':
    case 'e': {
      double d = 0;
      if (value.kind() == ValueKind::kDouble) d = value.double_value();
      else if (value.kind() == ValueKind::kInt) d = static_cast<double>(value.int_value());
      else if (value.kind() == ValueKind::kUint) d = static_cast<double>(value.uint_value());
      else return false;
      out += FormatDouble(d, verb, precision < 0 ? 6 : precision);
      return true;
    }
    case 'x':
    case 'X':
    case 'o':
    case 'b': {
      int base = 16;
      if (verb == 'o') base = 8;
      if (verb == 'b') base = 2;
      bool upper = verb == 'X';
      if (value.kind() == ValueKind::kInt) {
        int64_t i = value.int_value();
        if (i < 0) out += '-';
        out += ToBase(i < 0 ? 0 - static_cast<uint64_t>(i) : static_cast<uint64_t>(i), base, upper);
      } else if (value.kind() == ValueKind::kUint) {
        out += ToBase(value.uint_value(), base, upper);
      } else if (base == 16 && (value.kind() == ValueKind::kString || value.kind() == ValueKind::kBytes)) {
        for (char c : value.string_value()) {
          std::string digits = ToBase(static_cast<unsigned char>(c), 16, upper);
          if (digits.size() == 1) out += '0';
          out += digits;
        }
      } else {
        return false;
      }
      return true;
    }
    default: return false;
  }
}

}  // namespace

Value StringFormat(const Value* args, CallContext& context) {
  std::string_view pattern = args[0].string_value();
  const ListValue& values = args[1].list();
  std::string out;
  size_t next_value = 0;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      out += pattern[i];
      continue;
    }
    if (++i >= pattern.size()) return Value::Error("format: the pattern ends after '%'");
    if (pattern[i] == '%') {
      out += '%';
      continue;
    }
    int precision = -1;
    if (pattern[i] == '.') {
      precision = 0;
      while (++i < pattern.size() && pattern[i] >= '0' && pattern[i] <= '9') {
        precision = std::min(precision * 10 + (pattern[i] - '0'), 100);
      }
      if (i >= pattern.size()) return Value::Error("format: the pattern ends inside a clause");
    }
    if (next_value >= values.size()) {
      return MakeError(context.arena, {"format: more clauses than values in '", pattern, "'"});
    }
    if (out.size() > kMaxBuiltStringBytes) return Value::Error("format(): the result is too long");
    Value value = values.Get(next_value++);
    if (!AppendClause(out, pattern[i], precision, value)) {
      return MakeError(context.arena, {"format: clause '%", pattern.substr(i, 1),
                                       "' cannot format a value of type ", TypeNameOf(value)});
    }
  }
  return MakeString(context.arena, out);
}

}  // namespace salesradar::cel
