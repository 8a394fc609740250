// The money extension: money(minor_units, 'CNY'), arithmetic within one currency, amount()
// and currency(). Comparison lives with the other comparisons.
#include "cel/containers.h"
#include "cel/env.h"

namespace salesradar::cel {
namespace {

bool IsCurrencyCode(std::string_view code) {
  if (code.size() != 3) return false;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

Value MakeMoney(const Value* a, CallContext& context) {
  std::string_view code = a[1].string_value();
  if (!IsCurrencyCode(code)) {
    return MakeError(context.arena, {"invalid currency code '", code,
                                     "': expected three capital letters such as 'CNY'"});
  }
  Money money;
  money.minor_units = a[0].int_value();
  std::memcpy(money.currency, code.data(), 3);
  return Value::MoneyValue(money);
}

Value CurrencyMismatch(const Value* a, CallContext& context, std::string_view operation) {
  return MakeError(context.arena, {"cannot ", operation, " money in different currencies: ",
                                   a[0].money().currency_code(), " and ", a[1].money().currency_code()});
}

Value WithAmount(const Money& like, int64_t minor_units) {
  Money out = like;
  out.minor_units = minor_units;
  return Value::MoneyValue(out);
}

Value Add(const Value* a, CallContext& context) {
  if (a[0].money().currency_code() != a[1].money().currency_code()) return CurrencyMismatch(a, context, "add");
  int64_t sum;
  if (__builtin_add_overflow(a[0].money().minor_units, a[1].money().minor_units, &sum)) {
    return Value::Error("return error for overflow in money addition");
  }
  return WithAmount(a[0].money(), sum);
}

Value Subtract(const Value* a, CallContext& context) {
  if (a[0].money().currency_code() != a[1].money().currency_code()) {
    return CurrencyMismatch(a, context, "subtract");
  }
  int64_t difference;
  if (__builtin_sub_overflow(a[0].money().minor_units, a[1].money().minor_units, &difference)) {
    return Value::Error("return error for overflow in money subtraction");
  }
  return WithAmount(a[0].money(), difference);
}

Value Negate(const Value* a, CallContext&) {
  if (a[0].money().minor_units == INT64_MIN) return Value::Error("return error for overflow in money negation");
  return WithAmount(a[0].money(), -a[0].money().minor_units);
}

Value Multiply(const Value* a, CallContext&) {
  bool money_first = a[0].kind() == ValueKind::kMoney;
  const Money& money = money_first ? a[0].money() : a[1].money();
  int64_t factor = money_first ? a[1].int_value() : a[0].int_value();
  int64_t product;
  if (__builtin_mul_overflow(money.minor_units, factor, &product)) {
    return Value::Error("return error for overflow in money multiplication");
  }
  return WithAmount(money, product);
}

// Divides and truncates toward zero, like integer division.
Value Divide(const Value* a, CallContext&) {
  int64_t divisor = a[1].int_value();
  if (divisor == 0) return Value::Error("divide by zero");
  if (a[0].money().minor_units == INT64_MIN && divisor == -1) {
    return Value::Error("return error for overflow in money division");
  }
  return WithAmount(a[0].money(), a[0].money().minor_units / divisor);
}

Value Amount(const Value* a, CallContext&) { return Value::Int(a[0].money().minor_units); }

Value Currency(const Value* a, CallContext& context) {
  return MakeString(context.arena, a[0].money().currency_code());
}

}  // namespace

void RegisterMoney(FunctionRegistry& r) {
  r.Add("money", false, {"int", "string"}, "money", MakeMoney);
  r.Add(op::kAdd, false, {"money", "money"}, "money", Add);
  r.Add(op::kSubtract, false, {"money", "money"}, "money", Subtract);
  r.Add(op::kNegate, false, {"money"}, "money", Negate);
  r.Add(op::kMultiply, false, {"money", "int"}, "money", Multiply);
  r.Add(op::kMultiply, false, {"int", "money"}, "money", Multiply);
  r.Add(op::kDivide, false, {"money", "int"}, "money", Divide);
  r.Add("amount", true, {"money"}, "int", Amount);
  r.Add("currency", true, {"money"}, "string", Currency);
}

}  // namespace salesradar::cel
