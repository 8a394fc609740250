#include "ingest/money_parse.h"

#include <array>
#include <cstdint>
#include <string>

#include <fmt/format.h>

#include "ingest/scalar_parse.h"

namespace salesradar::ingest {
namespace {

struct LargeUnit {
  std::string_view name;
  int fen_exponent;
};

// Units that model::MoneyUnit does not have.
constexpr std::array<LargeUnit, 6> kLargeUnits = {{
    {"million", 8},
    {"百万", 8},
    {"百万元", 8},
    {"yi", 10},
    {"亿", 10},
    {"亿元", 10},
}};

constexpr std::array<std::string_view, 4> kCurrencySymbols = {"¥", "$", "€", "£"};

int ExponentOf(model::MoneyUnit unit) {
  int exponent = 0;
  for (auto fen = static_cast<int64_t>(unit); fen > 1; fen /= 10) {
    ++exponent;
  }
  return exponent;
}

}  // namespace

Result<int> ParseAmountUnit(std::string_view name) {
  for (const LargeUnit& unit : kLargeUnits) {
    if (name == unit.name) {
      return unit.fen_exponent;
    }
  }
  Result<model::MoneyUnit> unit = model::ParseMoneyUnit(name);
  if (unit.ok()) {
    return ExponentOf(*unit);
  }
  return InvalidArgument(
      fmt::format("金额单位 '{}' 无效；可用：fen（分）、yuan（元）、thousand（千元）、wan（万元）、"
                  "million（百万）、yi（亿）",
                  name),
      fmt::format("invalid amount unit '{}'; expected fen, yuan, thousand, wan (万), million or "
                  "yi (亿)",
                  name));
}

Result<model::Money> ParseMoneyAmount(std::string_view text, int fen_exponent,
                                      std::string_view currency) {
  std::string_view digits = text;
  bool negative = false;
  if (digits.starts_with('-')) {
    negative = true;
    digits.remove_prefix(1);
  }
  for (std::string_view symbol : kCurrencySymbols) {
    if (digits.starts_with(symbol)) {
      digits.remove_prefix(symbol.size());
      while (digits.starts_with(' ')) {
        digits.remove_prefix(1);
      }
      break;
    }
  }
  if (digits.starts_with('-') || digits.starts_with('+')) {
    return InvalidArgument("不是金额", "not an amount");
  }

  std::string signed_digits = negative ? "-" + std::string(digits) : std::string(digits);
  SR_ASSIGN_OR_RETURN(int64_t fen, ParseScaledDecimal(signed_digits, fen_exponent));
  return model::Money{fen, std::string(currency)};
}

}  // namespace salesradar::ingest
