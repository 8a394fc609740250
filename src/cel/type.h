// Static types that the checker assigns to expressions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace salesradar::cel {

struct Type {
  enum class Kind {
    kDyn,
    kNull,
    kBool,
    kInt,
    kUint,
    kDouble,
    kString,
    kBytes,
    kList,       // params[0]: element type
    kMap,        // params[0]: key type, params[1]: value type
    kTimestamp,
    kDuration,
    kMoney,
    kType,       // the type of type values; params[0], when present, is the type denoted
    kMessage,    // a declared object type; `name` is its full name
    kParam,      // a type parameter in a function signature; `name` is e.g. "A"
    kError,      // the type of an expression that failed to check
  };

  Kind kind = Kind::kDyn;
  std::string name;
  std::vector<Type> params;

  static Type Of(Kind kind) { return Type{kind, {}, {}}; }
  static Type Dyn() { return Of(Kind::kDyn); }
  static Type Bool() { return Of(Kind::kBool); }
  static Type Int() { return Of(Kind::kInt); }
  static Type Uint() { return Of(Kind::kUint); }
  static Type Double() { return Of(Kind::kDouble); }
  static Type String() { return Of(Kind::kString); }
  static Type Bytes() { return Of(Kind::kBytes); }
  static Type Timestamp() { return Of(Kind::kTimestamp); }
  static Type Duration() { return Of(Kind::kDuration); }
  static Type Money() { return Of(Kind::kMoney); }
  static Type List(Type element) { return Type{Kind::kList, {}, {std::move(element)}}; }
  static Type Map(Type key, Type value) {
    return Type{Kind::kMap, {}, {std::move(key), std::move(value)}};
  }
  static Type Message(std::string name) { return Type{Kind::kMessage, std::move(name), {}}; }
  static Type Param(std::string name) { return Type{Kind::kParam, std::move(name), {}}; }
  static Type TypeOf(Type denoted) { return Type{Kind::kType, {}, {std::move(denoted)}}; }

  bool operator==(const Type& other) const = default;

  // Formats the type as CEL writes it: "int", "list(string)", "map(string, dyn)", "Opportunity".
  std::string ToString() const;
};

// Parses a type written as ToString() prints it; a single capital letter is a type parameter
// and any other unknown name is a message type. Used for function signatures and by callers
// that declare variables from configuration.
Result<Type> ParseType(std::string_view text);

}  // namespace salesradar::cel
