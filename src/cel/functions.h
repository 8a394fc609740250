// Function overloads: their signatures for the checker and their implementations for the
// evaluator.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cel/arena.h"
#include "cel/type.h"
#include "cel/value.h"

namespace salesradar::cel {

class Activation;

// Evaluation state that a function implementation may use besides its arguments.
struct CallContext {
  Arena& arena;
  const Activation& activation;
};

// Computes a call's result. For receiver-style calls `args` starts with the receiver. The
// evaluator calls it only with arguments that match the overload's kinds and are not errors.
// Errors are returned as error values.
using FunctionImpl = Value (*)(const Value* args, CallContext& context);

// Maximum number of arguments of an overload, the receiver included.
inline constexpr size_t kMaxArity = 4;

struct Overload {
  std::string function;   // e.g. "_+_", "size", "getHours"
  bool receiver = false;  // true for target.function(args) style
  std::vector<Type> params;
  Type result;
  FunctionImpl impl = nullptr;
  // True when the result depends on the arguments only, so that calls with constant
  // arguments may be evaluated once at compile time. The standard library sets it.
  bool foldable = false;
};

// The overloads of every function in an environment.
class FunctionRegistry {
 public:
  // Adds an overload whose parameter and result types are written as ParseType() reads them,
  // e.g. Add("size", true, {"list(A)"}, "int", impl). Aborts on a malformed type, which is a
  // bug in the registration code.
  void Add(std::string_view function, bool receiver, std::initializer_list<std::string_view> params,
           std::string_view result, FunctionImpl impl);
  // Adds both the global style f(x, ...) and the receiver style x.f(...).
  void AddBoth(std::string_view function, std::initializer_list<std::string_view> params,
               std::string_view result, FunctionImpl impl);
  void Add(Overload overload);

  // Marks every overload registered so far as foldable.
  void MarkAllFoldable();

  // Returns the overloads of `function`, or nullptr when there are none.
  const std::vector<Overload>* Find(std::string_view function) const;

 private:
  std::map<std::string, std::vector<Overload>, std::less<>> overloads_;
};


}  // namespace salesradar::cel
