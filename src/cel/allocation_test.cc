// Counts heap allocations during evaluation. This test binary replaces the global operator
// new, so it must stay a binary of its own.
#include <atomic>
#include <cstdlib>
#include <new>

#include <gtest/gtest.h>

#include "cel/containers.h"
#include "cel/program.h"

namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ++g_allocations;
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace salesradar::cel {
namespace {

class Quote final : public ObjectValue {
 public:
  std::string_view TypeName() const override { return "Quote"; }
  std::optional<Value> Field(std::string_view name, Arena&) const override {
    if (name == "attachments") return Value::List(&attachments_);
    if (name == "title") return Value::String(title_);
    return std::nullopt;
  }

 private:
  Value items_[2] = {Value::String("price_sheet"), Value::String("contract_draft")};
  ArenaList attachments_{items_, 2};
  std::string title_ = "Quote for 华东 region, order ORDER-2026-0042";
};

class Opportunity final : public ObjectValue {
 public:
  std::string_view TypeName() const override { return "Opportunity"; }
  std::optional<Value> Field(std::string_view name, Arena&) const override {
    if (name == "amount") return Value::MoneyValue(Money{60'000'000, {'C', 'N', 'Y', 0}});
    if (name == "stage") return Value::String("negotiation");
    if (name == "updated_at") return Value::Timestamp(Time{1'767'225'600, 0});
    if (name == "risk") return Value::Double(0.72);
    return std::nullopt;
  }
};

class Activity final : public ObjectValue {
 public:
  explicit Activity(std::string_view type) : type_(type) {}
  std::string_view TypeName() const override { return "Activity"; }
  std::optional<Value> Field(std::string_view name, Arena&) const override {
    if (name == "type") return Value::String(type_);
    return std::nullopt;
  }

 private:
  std::string_view type_;
};

// Binds variables to the objects above by comparing names, with no map.
class RuleActivation final : public Activation {
 public:
  std::optional<Value> FindVariable(std::string_view name, Arena&) const override {
    if (name == "opp") return Value::Object(&opportunity_);
    if (name == "quote") return Value::Object(&quote_);
    if (name == "activities") return Value::List(&activity_list_);
    if (name == "now") return Value::Timestamp(Time{1'767'312'000, 0});
    return std::nullopt;
  }

 private:
  Opportunity opportunity_;
  Quote quote_;
  Activity visit_{"visit"};
  Activity call_{"call"};
  Value activities_[4] = {Value::Object(&visit_), Value::Object(&call_), Value::Object(&visit_),
                          Value::Object(&visit_)};
  ArenaList activity_list_{activities_, 4};
};

Env RuleEnv() {
  Env env = Env::Standard();
  env.DeclareMessage({"Opportunity",
                      {{"amount", Type::Money()}, {"stage", Type::String()},
                       {"updated_at", Type::Timestamp()}, {"risk", Type::Double()}}});
  env.DeclareMessage({"Quote", {{"attachments", Type::List(Type::String())}, {"title", Type::String()}}});
  env.DeclareMessage({"Activity", {{"type", Type::String()}}});
  env.DeclareVariable("opp", Type::Message("Opportunity"));
  env.DeclareVariable("quote", Type::Message("Quote"));
  env.DeclareVariable("activities", Type::List(Type::Message("Activity")));
  env.DeclareVariable("now", Type::Timestamp());
  return env;
}

TEST(Allocation, ScalarEvaluationAllocatesNothing) {
  const char* expressions[] = {
      "opp.amount > money(50000000, 'CNY') && !('compliance_statement' in quote.attachments)",
      "activities.filter(a, a.type == 'visit').size() >= 3",
      "activities.exists(a, a.type == 'call') && activities.all(a, a.type != '')",
      "quote.title.matches('ORDER-\\\\d{4}-\\\\d+') && quote.title.contains('华东')",
      "now - opp.updated_at > duration('24h')",
      "opp.updated_at.getHours('Asia/Shanghai') >= 8",
      "opp.risk > 0.7 ? opp.stage : 'low risk'",
      "opp.stage.startsWith('nego') && size(opp.stage) == 11",
      "(opp.amount * 2 - money(100, 'CNY')).amount() > 0",
      "[1, 2, 3].map(x, x * 2)[2] == 6 && {'a': 1}.a == 1",
  };
  Env env = RuleEnv();
  RuleActivation activation;
  std::vector<Program> programs;
  for (const char* source : expressions) {
    Result<Program> program = Compile(env, source);
    ASSERT_TRUE(program.ok()) << source << ": " << program.error().message_en();
    programs.push_back(std::move(program).value());
  }

  // The first evaluation may fill process-wide caches: compiled regular expressions and
  // loaded time zones. Later evaluations must not touch the heap.
  Arena arena;
  for (const Program& program : programs) {
    arena.Reset();
    Value result = program.Evaluate(activation, arena);
    ASSERT_FALSE(result.is_error()) << program.source() << ": " << result.error_message();
  }

  for (const Program& program : programs) {
    long before = g_allocations.load();
    for (int i = 0; i < 100; ++i) {
      arena.Reset();
      Value result = program.Evaluate(activation, arena);
      ASSERT_FALSE(result.is_error());
    }
    EXPECT_EQ(g_allocations.load() - before, 0) << program.source();
    EXPECT_EQ(arena.heap_bytes(), 0u) << program.source();
  }
}

TEST(Allocation, CounterSeesArenaHeapBlocks) {
  // Guards the test above: an arena that outgrows its inline buffer must be counted.
  Arena arena;
  long before = g_allocations.load();
  ASSERT_NE(arena.Allocate(Arena::kInlineBytes * 2), nullptr);
  EXPECT_GT(g_allocations.load() - before, 0);
}

}  // namespace
}  // namespace salesradar::cel
