// Runs the CEL conformance data files (cel-spec's SimpleTestFile text protos) and prints, per
// file, how many tests passed, failed and were skipped, with the reasons for skips.
//
// Usage: cel_conformance [--verbose] [--min-pass-rate=0.98] [--gate=a,b,c] FILE...
// Exits 1 when the pass rate of the non-skipped tests in the gated files (all files when
// --gate is absent) is below the minimum.
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cel/containers.h"
#include "cel/program.h"
#include "textproto.h"

namespace salesradar::cel::testing {
namespace {

struct Skip {
  std::string reason;
};

// Converts a cel.expr.Value text message into a Value in `arena`, or reports why it cannot.
std::optional<Value> ToValue(const TextMessage& message, Arena& arena, Skip& skip);

std::optional<Value> ObjectToValue(const TextMessage& object, Skip& skip) {
  if (object.fields.empty() || !object.fields[0].is_message) {
    skip.reason = "expects a protobuf message value";
    return std::nullopt;
  }
  const TextField& any = object.fields[0];
  auto number = [&](const char* name) -> int64_t {
    const TextField* field = any.message->Find(name);
    return field == nullptr ? 0 : std::stoll(field->scalar);
  };
  if (any.name.ends_with("google.protobuf.Duration")) {
    return Value::DurationValue(Duration{number("seconds") * 1'000'000'000 + number("nanos")});
  }
  if (any.name.ends_with("google.protobuf.Timestamp")) {
    return Value::Timestamp(Time{number("seconds"), static_cast<int32_t>(number("nanos"))});
  }
  skip.reason = "expects a protobuf message value";
  return std::nullopt;
}

double ParseDouble(const std::string& text) {
  if (text == "inf" || text == "Infinity") return INFINITY;
  if (text == "-inf" || text == "-Infinity") return -INFINITY;
  if (text == "nan" || text == "NaN") return NAN;
  return std::stod(text);
}

std::optional<Value> ToValue(const TextMessage& message, Arena& arena, Skip& skip) {
  if (message.fields.empty()) {
    skip.reason = "expects an empty Value";
    return std::nullopt;
  }
  const TextField& field = message.fields[0];
  const std::string& kind = field.name;

  if (kind == "null_value") return Value::Null();
  if (kind == "bool_value") return Value::Bool(field.scalar == "true");
  if (kind == "int64_value") return Value::Int(std::stoll(field.scalar));
  if (kind == "uint64_value") return Value::Uint(std::stoull(field.scalar));
  if (kind == "double_value") return Value::Double(ParseDouble(field.scalar));
  if (kind == "string_value") return Value::String(arena.CopyString(field.scalar));
  if (kind == "bytes_value") return Value::Bytes(arena.CopyString(field.scalar));
  if (kind == "type_value") return Value::Type(arena.CopyString(field.scalar));
  if (kind == "object_value") return ObjectToValue(*field.message, skip);
  if (kind == "enum_value") {
    skip.reason = "needs enum values";
    return std::nullopt;
  }

  if (kind == "list_value") {
    std::vector<const TextField*> items = field.message->FindAll("values");
    Value* values = arena.AllocateArray<Value>(items.size());
    for (size_t i = 0; i < items.size(); ++i) {
      std::optional<Value> item = ToValue(*items[i]->message, arena, skip);
      if (!item) return std::nullopt;
      values[i] = *item;
    }
    return Value::List(arena.New<ArenaList>(values, items.size()));
  }

  if (kind == "map_value") {
    std::vector<const TextField*> entries = field.message->FindAll("entries");
    Value* keys = arena.AllocateArray<Value>(entries.size());
    Value* values = arena.AllocateArray<Value>(entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      std::optional<Value> key = ToValue(*entries[i]->message->Find("key")->message, arena, skip);
      std::optional<Value> value = ToValue(*entries[i]->message->Find("value")->message, arena, skip);
      if (!key || !value) return std::nullopt;
      keys[i] = *key;
      values[i] = *value;
    }
    return Value::Map(arena.New<ArenaMap>(keys, values, entries.size()));
  }

  skip.reason = "expects a value of kind '" + kind + "'";
  return std::nullopt;
}

// Strict equality for expectations: kinds must match, NaN equals NaN, -0.0 equals 0.0.
bool SameValue(const Value& a, const Value& b) {
  if (a.kind() != b.kind()) return false;
  switch (a.kind()) {
    case ValueKind::kDouble:
      if (std::isnan(a.double_value())) return std::isnan(b.double_value());
      return a.double_value() == b.double_value();
    case ValueKind::kList: {
      if (a.list().size() != b.list().size()) return false;
      for (size_t i = 0; i < a.list().size(); ++i) {
        if (!SameValue(a.list().Get(i), b.list().Get(i))) return false;
      }
      return true;
    }
    case ValueKind::kMap: {
      if (a.map().size() != b.map().size()) return false;
      for (size_t i = 0; i < a.map().size(); ++i) {
        Value key = a.map().KeyAt(i);
        std::optional<Value> other = b.map().Find(key);
        if (!other || !SameValue(*a.map().Find(key), *other)) return false;
      }
      return true;
    }
    default: return ValuesEqual(a, b);
  }
}

std::optional<Type> ToType(const TextMessage& type, Skip& skip) {
  if (type.fields.empty()) return Type::Dyn();
  const TextField& field = type.fields[0];
  if (field.name == "primitive") {
    static const std::map<std::string, Type> kPrimitives = {
        {"BOOL", Type::Bool()}, {"INT64", Type::Int()}, {"UINT64", Type::Uint()},
        {"DOUBLE", Type::Double()}, {"STRING", Type::String()}, {"BYTES", Type::Bytes()}};
    auto it = kPrimitives.find(field.scalar);
    if (it != kPrimitives.end()) return it->second;
  }
  if (field.name == "dyn") return Type::Dyn();
  if (field.name == "null") return Type::Of(Type::Kind::kNull);
  if (field.name == "well_known") {
    if (field.scalar == "TIMESTAMP") return Type::Timestamp();
    if (field.scalar == "DURATION") return Type::Duration();
  }
  if (field.name == "list_type") {
    std::optional<Type> element = ToType(*field.message->Find("elem_type")->message, skip);
    if (!element) return std::nullopt;
    return Type::List(*element);
  }
  if (field.name == "map_type") {
    std::optional<Type> key = ToType(*field.message->Find("key_type")->message, skip);
    std::optional<Type> value = ToType(*field.message->Find("value_type")->message, skip);
    if (!key || !value) return std::nullopt;
    return Type::Map(*key, *value);
  }
  if (field.name == "message_type") {
    if (field.scalar == "google.protobuf.Duration") return Type::Duration();
    if (field.scalar == "google.protobuf.Timestamp") return Type::Timestamp();
    skip.reason = "declares a protobuf message type";
    return std::nullopt;
  }
  skip.reason = "declares a type of kind '" + field.name + "'";
  return std::nullopt;
}

bool ConstructsMessage(const Expr& expr) {
  if (expr.kind == ExprKind::kStruct) return true;
  for (const Expr* child : {expr.target.get(), expr.filter.get(), expr.step.get()}) {
    if (child != nullptr && ConstructsMessage(*child)) return true;
  }
  for (const ExprPtr& arg : expr.args) {
    if (ConstructsMessage(*arg)) return true;
  }
  for (const Entry& entry : expr.entries) {
    if ((entry.key && ConstructsMessage(*entry.key)) || ConstructsMessage(*entry.value)) return true;
  }
  return false;
}

enum class Outcome { kPass, kFail, kSkip };

struct TestResult {
  Outcome outcome = Outcome::kPass;
  std::string detail;  // skip reason or failure explanation
};

TestResult RunTest(const TextMessage& test) {
  Skip skip;
  auto skipped = [&]() { return TestResult{Outcome::kSkip, skip.reason}; };

  const TextField* expr_field = test.Find("expr");
  std::string expr = expr_field ? expr_field->scalar : "";
  const TextField* container = test.Find("container");
  if (container && (container->scalar.starts_with("cel.expr.conformance") ||
                    container->scalar.starts_with("google.api.expr.test"))) {
    return {Outcome::kSkip, "needs protobuf message types"};
  }
  if (test.Find("check_only") || test.Find("typed_result")) return {Outcome::kSkip, "checks types only"};

  // Message construction (google.protobuf wrappers, Value, Any ...) needs protobuf descriptors.
  if (Result<ParsedExpr> parsed = Parse(expr); parsed.ok() && ConstructsMessage(*parsed->root)) {
    return {Outcome::kSkip, "constructs protobuf messages"};
  }

  Env env = Env::Standard();
  if (container) env.SetContainer(container->scalar);
  for (const TextField* decl : test.FindAll("type_env")) {
    const TextField* name = decl->message->Find("name");
    const TextField* ident = decl->message->Find("ident");
    if (ident == nullptr) return {Outcome::kSkip, "declares functions"};
    std::optional<Type> type = ToType(*ident->message->Find("type")->message, skip);
    if (!type) return skipped();
    env.DeclareVariable(name->scalar, *type);
  }

  Arena arena(size_t{256} << 20);
  MapActivation activation;
  for (const TextField* binding : test.FindAll("bindings")) {
    const TextField* key = binding->message->Find("key");
    const TextMessage& expr_value = *binding->message->Find("value")->message;
    const TextField* inner = expr_value.Find("value");
    if (inner == nullptr) return {Outcome::kSkip, "binds an error or unknown value"};
    std::optional<Value> value = ToValue(*inner->message, arena, skip);
    if (!value) return skipped();
    activation.Bind(key->scalar, *value);
  }

  const TextField* expected_field = test.Find("value");
  const TextField* expected_error = test.Find("eval_error");
  if (!expected_field && !expected_error) {
    if (test.Find("any_eval_errors") || test.Find("unknown") || test.Find("any_unknowns")) {
      return {Outcome::kSkip, "expects unknown values"};
    }
    expected_field = nullptr;
  }
  std::optional<Value> expected;
  if (expected_field) {
    expected = ToValue(*expected_field->message, arena, skip);
    if (!expected) return skipped();
  }

  CompileOptions options;
  const TextField* disable_check = test.Find("disable_check");
  options.check = !(disable_check && disable_check->scalar == "true");
  Result<Program> program = Compile(env, expr, options);
  if (!program.ok()) {
    if (expected_error) return {Outcome::kPass, ""};
    return {Outcome::kFail, "compile error: " + program.error().message_en()};
  }
  Value result = program->Evaluate(activation, arena);
  if (expected_error) {
    if (result.is_error()) return {Outcome::kPass, ""};
    return {Outcome::kFail, "expected an error, got " + DebugString(result)};
  }
  if (!expected) {
    if (!result.is_error() && result.kind() == ValueKind::kBool && result.bool_value()) return {Outcome::kPass, ""};
    return {Outcome::kFail, "expected true, got " + DebugString(result)};
  }
  if (SameValue(result, *expected)) return {Outcome::kPass, ""};
  return {Outcome::kFail, "expected " + DebugString(*expected) + ", got " + DebugString(result)};
}

struct FileCounts {
  std::string name;
  int passed = 0;
  int failed = 0;
  int skipped = 0;
};

std::string BaseName(const std::string& path) {
  size_t slash = path.rfind('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = name.find('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

int Run(int argc, char** argv) {
  bool verbose = false;
  double min_pass_rate = 0;
  std::set<std::string> gate;
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--verbose") {
      verbose = true;
    } else if (arg.starts_with("--min-pass-rate=")) {
      min_pass_rate = std::stod(arg.substr(16));
    } else if (arg.starts_with("--gate=")) {
      std::stringstream list(arg.substr(7));
      for (std::string name; std::getline(list, name, ',');) gate.insert(name);
    } else {
      paths.push_back(arg);
    }
  }

  std::vector<FileCounts> files;
  std::map<std::string, int> skip_reasons;
  for (const std::string& path : paths) {
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Result<TextMessage> file = ParseTextProto(buffer.str());
    if (!in || !file.ok()) {
      std::fprintf(stderr, "%s: cannot read: %s\n", path.c_str(),
                   file.ok() ? "I/O error" : file.error().message_en().c_str());
      return 2;
    }
    FileCounts counts;
    counts.name = BaseName(path);
    for (const TextField* section : file->FindAll("section")) {
      for (const TextField* test : section->message->FindAll("test")) {
        TestResult result = RunTest(*test->message);
        const TextField* name = test->message->Find("name");
        std::string label = counts.name + "/" + section->message->Find("name")->scalar + "/" +
                            (name ? name->scalar : "?");
        switch (result.outcome) {
          case Outcome::kPass: ++counts.passed; break;
          case Outcome::kFail:
            ++counts.failed;
            std::fprintf(stderr, "FAIL %s: %s\n  expr: %s\n", label.c_str(), result.detail.c_str(),
                         test->message->Find("expr")->scalar.c_str());
            break;
          case Outcome::kSkip:
            ++counts.skipped;
            ++skip_reasons[result.detail];
            if (verbose) std::fprintf(stderr, "SKIP %s: %s\n", label.c_str(), result.detail.c_str());
            break;
        }
      }
    }
    files.push_back(counts);
  }

  FileCounts total{"total"};
  FileCounts gated{"gated"};
  std::printf("| file | passed | failed | skipped |\n|---|---:|---:|---:|\n");
  for (const FileCounts& f : files) {
    std::printf("| %s | %d | %d | %d |\n", f.name.c_str(), f.passed, f.failed, f.skipped);
    total.passed += f.passed;
    total.failed += f.failed;
    total.skipped += f.skipped;
    if (gate.empty() || gate.count(f.name)) {
      gated.passed += f.passed;
      gated.failed += f.failed;
    }
  }
  std::printf("| **total** | %d | %d | %d |\n\n", total.passed, total.failed, total.skipped);
  std::printf("Skip reasons:\n");
  for (const auto& [reason, count] : skip_reasons) std::printf("- %s: %d\n", reason.c_str(), count);

  int run = gated.passed + gated.failed;
  double rate = run == 0 ? 0 : static_cast<double>(gated.passed) / run;
  std::printf("\nPass rate of non-skipped tests%s: %d/%d = %.2f%%\n", gate.empty() ? "" : " in gated files",
              gated.passed, run, rate * 100);
  std::printf("%d passed, %d failed, %d skipped\n", total.passed, total.failed, total.skipped);
  if (rate < min_pass_rate) {
    std::printf("pass rate %.2f%% is below the minimum %.2f%%\n", rate * 100, min_pass_rate * 100);
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace salesradar::cel::testing

int main(int argc, char** argv) { return salesradar::cel::testing::Run(argc, argv); }
