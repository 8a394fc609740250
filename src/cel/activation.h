// The binding of variable names to caller-owned data during one evaluation.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cel/value.h"

namespace salesradar::cel {

// Resolves variables by name when the expression reads them, so that the caller binds its own
// objects without copying them into a map first. Implementations must be safe to call from the
// thread that evaluates; the evaluator never stores the result beyond the evaluation.
class Activation {
 public:
  // Returns the variable's value, or nullopt when the name is not bound. Values built on
  // demand may be allocated in `arena`.
  virtual std::optional<Value> FindVariable(std::string_view name, Arena& arena) const = 0;

 protected:
  ~Activation() = default;
};

// An Activation over a std::map, for tests and tools. The values' memory is the caller's.
class MapActivation final : public Activation {
 public:
  void Bind(std::string name, Value value) { values_[std::move(name)] = value; }

  std::optional<Value> FindVariable(std::string_view name, Arena&) const override {
    auto it = values_.find(name);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }

 private:
  std::map<std::string, Value, std::less<>> values_;
};

// An Activation that binds nothing.
class EmptyActivation final : public Activation {
 public:
  std::optional<Value> FindVariable(std::string_view, Arena&) const override { return std::nullopt; }
};

}  // namespace salesradar::cel
