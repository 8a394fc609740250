// Time per evaluation of the rule conditions in rules.json, each compiled once.
// Usage: cel_bench RULES_JSON [Google Benchmark flags]. Prints each rule's result first.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cel/program.h"
#include "rule_data.h"

namespace {

using namespace salesradar::cel;

struct Rule {
  std::string name;
  std::unique_ptr<Program> program;
};

void EvaluateRule(benchmark::State& state, const Program* program, const Activation* activation) {
  Arena arena;
  for (auto _ : state) {
    arena.Reset();
    Value result = program->Evaluate(*activation, arena);
    benchmark::DoNotOptimize(result);
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s RULES_JSON [benchmark flags]\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1]);
  if (!in) {
    std::fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  nlohmann::json rules_json;
  try {
    rules_json = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    std::fprintf(stderr, "%s: invalid JSON: %s\n", argv[1], e.what());
    return 2;
  }

  static const Env env = bench::RuleEnv();
  static const bench::RuleActivation activation;
  static std::vector<Rule> rules;
  for (const auto& rule : rules_json) {
    std::string name = rule.at("name").get<std::string>();
    salesradar::Result<Program> program = Compile(env, rule.at("cel").get<std::string>());
    if (!program.ok()) {
      std::fprintf(stderr, "rule %s: %s\n", name.c_str(), program.error().message_en().c_str());
      return 1;
    }
    rules.push_back({name, std::make_unique<Program>(std::move(program).value())});
  }

  for (const Rule& rule : rules) {
    Arena arena;
    std::fprintf(stderr, "result %s = %s\n", rule.name.c_str(),
                 DebugString(rule.program->Evaluate(activation, arena)).c_str());
    benchmark::RegisterBenchmark(rule.name.c_str(), EvaluateRule, rule.program.get(), &activation);
  }

  int benchmark_argc = argc - 1;
  argv[1] = argv[0];
  benchmark::Initialize(&benchmark_argc, argv + 1);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
