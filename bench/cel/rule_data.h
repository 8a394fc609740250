// The records the CEL benchmark evaluates rules against. celjs_bench.mjs builds the same data
// in JavaScript; keep the two in step.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "cel/containers.h"
#include "cel/env.h"
#include "cel/value.h"

namespace salesradar::cel::bench {

inline constexpr int kActivityCount = 20;

class Owner final : public ObjectValue {
 public:
  std::string_view TypeName() const override { return "Owner"; }
  std::optional<Value> Field(std::string_view name, Arena&) const override {
    if (name == "region") return Value::String("east");
    if (name == "level") return Value::Int(2);
    return std::nullopt;
  }
};

// Custom fields are a string-keyed map, as configured per tenant.
class Opportunity final : public ObjectValue {
 public:
  Opportunity() : custom_(custom_keys_.data(), custom_values_.data(), custom_keys_.size()) {}
  std::string_view TypeName() const override { return "Opportunity"; }
  std::optional<Value> Field(std::string_view name, Arena&) const override {
    if (name == "amount") return Value::MoneyValue(Money{60'000'000, {'C', 'N', 'Y', 0}});
    if (name == "stage") return Value::String("negotiation");
    if (name == "risk") return Value::Double(0.72);
    if (name == "updated_at") return Value::Timestamp(Time{1'767'225'600, 0});  // 2026-01-01T00:00:00Z
    if (name == "owner") return Value::Object(&owner_);
    if (name == "custom") return Value::Map(&custom_);
    return std::nullopt;
  }

 private:
  Owner owner_;
  std::array<Value, 2> custom_keys_ = {Value::String("industry"), Value::String("region")};
  std::array<Value, 2> custom_values_ = {Value::String("medical"), Value::String("华东")};
  ArenaMap custom_;
};

class Quote final : public ObjectValue {
 public:
  Quote() : attachments_(attachment_items_.data(), attachment_items_.size()) {}
  std::string_view TypeName() const override { return "Quote"; }
  std::optional<Value> Field(std::string_view name, Arena&) const override {
    if (name == "attachments") return Value::List(&attachments_);
    if (name == "title") return Value::String("Quote for 华东 region, order ORDER-2026-0042");
    if (name == "discount") return Value::Double(0.18);
    return std::nullopt;
  }

 private:
  std::array<Value, 3> attachment_items_ = {Value::String("price_sheet"), Value::String("contract_draft"),
                                            Value::String("product_spec")};
  ArenaList attachments_;
};

class Activity final : public ObjectValue {
 public:
  Activity() = default;
  Activity(std::string_view type, int64_t duration_minutes) : type_(type), duration_minutes_(duration_minutes) {}
  std::string_view TypeName() const override { return "Activity"; }
  std::optional<Value> Field(std::string_view name, Arena&) const override {
    if (name == "type") return Value::String(type_);
    if (name == "duration_minutes") return Value::Int(duration_minutes_);
    return std::nullopt;
  }

 private:
  std::string_view type_;
  int64_t duration_minutes_ = 0;
};

// Binds opp, quote, activities and now without a map: each name is one comparison.
class RuleActivation final : public Activation {
 public:
  RuleActivation() : activity_list_(activity_values_.data(), activity_values_.size()) {
    static constexpr std::string_view kTypes[] = {"visit", "call", "email", "demo", "visit"};
    for (int i = 0; i < kActivityCount; ++i) {
      activities_[i] = Activity(kTypes[i % 5], 30 + i * 7);
      activity_values_[i] = Value::Object(&activities_[i]);
    }
  }

  std::optional<Value> FindVariable(std::string_view name, Arena&) const override {
    if (name == "opp") return Value::Object(&opportunity_);
    if (name == "quote") return Value::Object(&quote_);
    if (name == "activities") return Value::List(&activity_list_);
    if (name == "now") return Value::Timestamp(Time{1'767'398'400, 0});  // 2026-01-03T00:00:00Z
    return std::nullopt;
  }

 private:
  Opportunity opportunity_;
  Quote quote_;
  std::array<Activity, kActivityCount> activities_;
  std::array<Value, kActivityCount> activity_values_;
  ArenaList activity_list_;
};

// Declares the types and variables above for the checker.
inline Env RuleEnv() {
  Env env = Env::Standard();
  env.DeclareMessage({"Owner", {{"region", Type::String()}, {"level", Type::Int()}}});
  env.DeclareMessage({"Opportunity",
                      {{"amount", Type::Money()},
                       {"stage", Type::String()},
                       {"risk", Type::Double()},
                       {"updated_at", Type::Timestamp()},
                       {"owner", Type::Message("Owner")},
                       {"custom", Type::Map(Type::String(), Type::Dyn())}}});
  env.DeclareMessage({"Quote",
                      {{"attachments", Type::List(Type::String())},
                       {"title", Type::String()},
                       {"discount", Type::Double()}}});
  env.DeclareMessage({"Activity", {{"type", Type::String()}, {"duration_minutes", Type::Int()}}});
  env.DeclareVariable("opp", Type::Message("Opportunity"));
  env.DeclareVariable("quote", Type::Message("Quote"));
  env.DeclareVariable("activities", Type::List(Type::Message("Activity")));
  env.DeclareVariable("now", Type::Timestamp());
  return env;
}

}  // namespace salesradar::cel::bench
