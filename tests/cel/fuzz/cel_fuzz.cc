// libFuzzer target: parses, checks and evaluates arbitrary expression text against a small
// environment with a record, a list of records, a map and scalars.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cel/containers.h"
#include "cel/program.h"

namespace {

using namespace salesradar::cel;

class Record final : public ObjectValue {
 public:
  std::string_view TypeName() const override { return "Record"; }
  std::optional<Value> Field(std::string_view name, Arena&) const override {
    if (name == "amount") return Value::MoneyValue(Money{5'000'000, {'C', 'N', 'Y', 0}});
    if (name == "type") return Value::String("visit");
    if (name == "count") return Value::Int(3);
    return std::nullopt;
  }
};

const Env& FuzzEnv() {
  static const Env env = [] {
    Env e = Env::Standard();
    e.DeclareMessage({"Record", {{"amount", Type::Money()}, {"type", Type::String()}, {"count", Type::Int()}}});
    e.DeclareVariable("r", Type::Message("Record"));
    e.DeclareVariable("rs", Type::List(Type::Message("Record")));
    e.DeclareVariable("m", Type::Map(Type::String(), Type::Int()));
    e.DeclareVariable("s", Type::String());
    e.DeclareVariable("i", Type::Int());
    return e;
  }();
  return env;
}

void Evaluate(const Program& program) {
  static const Record record;
  static const Value records[] = {Value::Object(&record), Value::Object(&record)};
  static const ArenaList record_list(records, 2);
  static const Value keys[] = {Value::String("a"), Value::String("b")};
  static const Value values[] = {Value::Int(1), Value::Int(2)};
  static const ArenaMap map(keys, values, 2);

  MapActivation activation;
  activation.Bind("r", Value::Object(&record));
  activation.Bind("rs", Value::List(&record_list));
  activation.Bind("m", Value::Map(&map));
  activation.Bind("s", Value::String("销售雷达 radar"));
  activation.Bind("i", Value::Int(-7));

  Arena arena(size_t{32} << 20);
  Value result = program.Evaluate(activation, arena);
  (void)DebugString(result);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view source(reinterpret_cast<const char*>(data), size);
  CompileOptions options;
  options.max_iterations = 100'000;
  for (bool check : {true, false}) {
    options.check = check;
    salesradar::Result<Program> program = Compile(FuzzEnv(), source, options);
    if (program.ok()) Evaluate(*program);
  }
  return 0;
}
