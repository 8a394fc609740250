// Compiling an expression once and evaluating it many times.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cel/activation.h"
#include "cel/arena.h"
#include "cel/checker.h"
#include "cel/env.h"
#include "cel/parser.h"
#include "cel/value.h"
#include "common/result.h"

namespace salesradar::cel {

struct Node;

struct CompileOptions {
  ParseOptions parse;
  // Type-check against the environment before planning. Without it, names and overloads
  // resolve at evaluation time only.
  bool check = true;
  // Maximum number of comprehension iterations (all, exists, map ...) in one evaluation. Past
  // it the evaluation returns an error value.
  int64_t max_iterations = 1'000'000;
};

// A compiled expression. Immutable after Compile(), so several threads may evaluate one
// Program at the same time, each with its own Arena. Does not refer to the Env it was compiled
// against.
class Program {
 public:
  Program(Program&&) noexcept;
  Program& operator=(Program&&) noexcept;
  ~Program();

  // Evaluates the expression. Failures inside the expression (division by zero, a missing
  // key, a type mismatch at run time) come back as a value of kind kError. The result may
  // point into `arena`, into this Program and into values from `activation`, so it is valid
  // while all three live. Evaluating to a bool, number, timestamp, duration or money, or to a
  // string constant or variable, allocates no heap memory while `arena`'s inline buffer is
  // not used up. The exceptions are the first use of a regular expression or a time zone,
  // which fill process-wide caches.
  Value Evaluate(const Activation& activation, Arena& arena) const;

  // The checked result type; dyn when compiled without checking.
  const Type& result_type() const { return result_type_; }
  const std::string& source() const { return source_; }

 private:
  friend Result<Program> Compile(const Env& env, std::string_view source,
                                 const CompileOptions& options);
  Program();

  std::string source_;
  Type result_type_;
  int64_t max_iterations_ = 0;
  int slot_count_ = 0;  // comprehension variables, one per level of nesting
  std::vector<std::unique_ptr<Node>> nodes_;
  std::unique_ptr<Arena> constants_;  // values of folded subexpressions
  const Node* root_ = nullptr;
};

// Parses, optionally checks, and plans `source`. Returns kInvalidArgument with a Chinese and
// an English message, the line and the column on a syntax or type error.
Result<Program> Compile(const Env& env, std::string_view source, const CompileOptions& options = {});

}  // namespace salesradar::cel
