// Helpers shared by the unit tests of the CEL library.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "cel/program.h"

namespace salesradar::cel {

// Compiles and evaluates expressions; results stay valid until the next call to Eval().
class EvalFixture : public ::testing::Test {
 protected:
  // Evaluates `source` against env_ and activation_, checking it first when `check` is true.
  // A compile error fails the test and returns an error value.
  Value Eval(std::string_view source, bool check = true) {
    CompileOptions options;
    options.check = check;
    Result<Program> program = Compile(env_, source, options);
    if (!program.ok()) {
      ADD_FAILURE() << "compile failed for " << source << ": " << program.error().message_en();
      return Value::Error("compile failed");
    }
    programs_.push_back(std::make_unique<Program>(std::move(program).value()));
    arena_.Reset();
    return programs_.back()->Evaluate(activation_, arena_);
  }

  // Returns the English compile error of `source`, or "" when it compiles.
  std::string CompileError(std::string_view source, bool check = true) {
    CompileOptions options;
    options.check = check;
    Result<Program> program = Compile(env_, source, options);
    return program.ok() ? "" : program.error().message_en();
  }

  std::string CompileErrorZh(std::string_view source) {
    Result<Program> program = Compile(env_, source);
    return program.ok() ? "" : program.error().message_zh();
  }

  Env env_ = Env::Standard();
  MapActivation activation_;
  Arena arena_;
  std::vector<std::unique_ptr<Program>> programs_;
};

}  // namespace salesradar::cel
