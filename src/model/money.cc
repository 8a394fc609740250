#include "model/money.h"

#include <array>
#include <cstdint>
#include <limits>
#include <string>

#include <fmt/format.h>

namespace salesradar::model {
namespace {

struct UnitName {
  std::string_view name;
  MoneyUnit unit;
};

constexpr std::array<UnitName, 12> kUnitNames = {{
    {"fen", MoneyUnit::kFen},           {"分", MoneyUnit::kFen},
    {"yuan", MoneyUnit::kYuan},         {"元", MoneyUnit::kYuan},
    {"unit", MoneyUnit::kYuan},         {"thousand", MoneyUnit::kThousand},
    {"k", MoneyUnit::kThousand},        {"千", MoneyUnit::kThousand},
    {"千元", MoneyUnit::kThousand},     {"wan", MoneyUnit::kWan},
    {"万", MoneyUnit::kWan},            {"万元", MoneyUnit::kWan},
}};

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) {
      return false;
    }
  }
  return true;
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Number of decimal places of one fen in `unit`: 0 for fen, 2 for yuan, 5 for thousand, 6 for wan.
int DecimalsOf(MoneyUnit unit) {
  switch (unit) {
    case MoneyUnit::kFen: return 0;
    case MoneyUnit::kYuan: return 2;
    case MoneyUnit::kThousand: return 5;
    case MoneyUnit::kWan: return 6;
  }
  return 0;
}

std::string_view UnitLabelZh(MoneyUnit unit) {
  switch (unit) {
    case MoneyUnit::kFen: return "分";
    case MoneyUnit::kYuan: return "元";
    case MoneyUnit::kThousand: return "千元";
    case MoneyUnit::kWan: return "万元";
  }
  return "元";
}

Error NotANumber(std::string_view text, std::string_view why_zh, std::string_view why_en) {
  return InvalidArgument(
      fmt::format("金额 '{}' 无效：{}；请写成如 1,234.56 的十进制数", text, why_zh),
      fmt::format("invalid amount '{}': {}; write a decimal number such as 1,234.56", text,
                  why_en));
}

Error TooLarge(std::string_view text) {
  return InvalidArgument(
      fmt::format("金额 '{}' 超出范围：换算成分后超过 {}", text,
                  std::numeric_limits<int64_t>::max()),
      fmt::format("amount '{}' is out of range: more than {} fen", text,
                  std::numeric_limits<int64_t>::max()));
}

// Checks the integer part: digits, optionally grouped by ',' in threes ("1,234,567").
bool IsValidIntegerPart(std::string_view digits) {
  if (digits.find(',') == std::string_view::npos) {
    for (char c : digits) {
      if (!IsDigit(c)) {
        return false;
      }
    }
    return true;
  }

  size_t group_start = 0;
  bool first = true;
  while (true) {
    size_t comma = digits.find(',', group_start);
    std::string_view group = digits.substr(group_start, comma - group_start);
    size_t min_size = first ? 1 : 3;
    if (group.size() < min_size || group.size() > 3) {
      return false;
    }
    for (char c : group) {
      if (!IsDigit(c)) {
        return false;
      }
    }
    if (comma == std::string_view::npos) {
      return true;
    }
    group_start = comma + 1;
    first = false;
  }
}

// Accumulates the decimal digits of `digits` (',' skipped) into `*value`. False on overflow.
bool AccumulateDigits(std::string_view digits, int64_t* value) {
  for (char c : digits) {
    if (c == ',') {
      continue;
    }
    if (__builtin_mul_overflow(*value, int64_t{10}, value) ||
        __builtin_add_overflow(*value, int64_t{c - '0'}, value)) {
      return false;
    }
  }
  return true;
}

int64_t PowerOfTen(int exponent) {
  int64_t result = 1;
  for (int i = 0; i < exponent; ++i) {
    result *= 10;
  }
  return result;
}

// Writes `major` with ',' between groups of three digits.
std::string GroupThousands(uint64_t major) {
  std::string digits = std::to_string(major);
  std::string out;
  out.reserve(digits.size() + digits.size() / 3);
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) {
      out.push_back(',');
    }
    out.push_back(digits[i]);
  }
  return out;
}

uint64_t Magnitude(int64_t value) {
  return value < 0 ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value);
}

}  // namespace

Result<MoneyUnit> ParseMoneyUnit(std::string_view name) {
  std::string_view trimmed = TrimSpaces(name);
  for (const UnitName& entry : kUnitNames) {
    if (EqualsIgnoreAsciiCase(trimmed, entry.name)) {
      return entry.unit;
    }
  }
  return InvalidArgument(
      fmt::format("未知的金额单位 '{}'；可用：fen/分、yuan/元、thousand/千元、wan/万元", name),
      fmt::format("unknown money unit '{}'; use fen, yuan, thousand or wan (分, 元, 千元, 万元)",
                  name));
}

std::string_view MoneyUnitName(MoneyUnit unit) {
  switch (unit) {
    case MoneyUnit::kFen: return "fen";
    case MoneyUnit::kYuan: return "yuan";
    case MoneyUnit::kThousand: return "thousand";
    case MoneyUnit::kWan: return "wan";
  }
  return "yuan";
}

bool IsCurrencyCode(std::string_view code) {
  if (code.size() != 3) {
    return false;
  }
  for (char c : code) {
    if (c < 'A' || c > 'Z') {
      return false;
    }
  }
  return true;
}

Result<int64_t> ParseFen(std::string_view text, MoneyUnit unit) {
  std::string_view body = TrimSpaces(text);
  if (body.empty()) {
    return NotANumber(text, "为空", "it is empty");
  }

  bool negative = false;
  if (body.front() == '+' || body.front() == '-') {
    negative = body.front() == '-';
    body.remove_prefix(1);
  }

  size_t dot = body.find('.');
  std::string_view integer_part = body.substr(0, dot);
  std::string_view fraction_part =
      dot == std::string_view::npos ? std::string_view() : body.substr(dot + 1);
  if (integer_part.empty() && fraction_part.empty()) {
    return NotANumber(text, "没有数字", "it has no digits");
  }
  if (!IsValidIntegerPart(integer_part)) {
    return NotANumber(text, "含有非数字字符或千位分隔符位置错误",
                      "it contains a non-digit or a misplaced thousands separator");
  }
  for (char c : fraction_part) {
    if (!IsDigit(c)) {
      return NotANumber(text, "小数部分含有非数字字符", "the decimals contain a non-digit");
    }
  }

  // Trailing zeros of the fraction carry no value ("12.50" is "12.5").
  while (!fraction_part.empty() && fraction_part.back() == '0') {
    fraction_part.remove_suffix(1);
  }
  int decimals = DecimalsOf(unit);
  if (fraction_part.size() > static_cast<size_t>(decimals)) {
    return InvalidArgument(
        fmt::format("金额 '{}' 以{}为单位时精度小于 1 分；该单位最多 {} 位小数", text,
                    UnitLabelZh(unit), decimals),
        fmt::format("amount '{}' in {} has a fraction of a fen; use at most {} decimals for {}",
                    text, MoneyUnitName(unit), decimals, MoneyUnitName(unit)));
  }

  // fen = integer * fen_per_unit + fraction * 10^(decimals - fraction digits)
  int64_t integer_value = 0;
  int64_t fraction_value = 0;
  int64_t fen = 0;
  if (!AccumulateDigits(integer_part, &integer_value) ||
      !AccumulateDigits(fraction_part, &fraction_value) ||
      __builtin_mul_overflow(integer_value, static_cast<int64_t>(unit), &fen)) {
    return TooLarge(text);
  }
  int64_t fraction_fen =
      fraction_value * PowerOfTen(decimals - static_cast<int>(fraction_part.size()));
  if (__builtin_add_overflow(fen, fraction_fen, &fen)) {
    return TooLarge(text);
  }

  return negative ? -fen : fen;
}

Result<Money> ParseMoney(std::string_view text, MoneyUnit unit, std::string_view currency) {
  if (!IsCurrencyCode(currency)) {
    return InvalidArgument(
        fmt::format("货币代码 '{}' 无效；请使用 ISO 4217 的三个大写字母，如 CNY、USD", currency),
        fmt::format("invalid currency code '{}'; use three upper-case ISO 4217 letters such as "
                    "CNY or USD",
                    currency));
  }
  SR_ASSIGN_OR_RETURN(int64_t fen, ParseFen(text, unit));
  return Money{fen, std::string(currency)};
}

std::string FormatAmount(int64_t fen) {
  uint64_t magnitude = Magnitude(fen);
  std::string sign = fen < 0 ? "-" : "";
  return fmt::format("{}{}.{:02}", sign, GroupThousands(magnitude / 100), magnitude % 100);
}

std::string FormatMoney(const Money& money) {
  if (money.currency == "CNY") {
    uint64_t magnitude = Magnitude(money.fen);
    std::string sign = money.fen < 0 ? "-" : "";
    return fmt::format("{}¥{}.{:02}", sign, GroupThousands(magnitude / 100), magnitude % 100);
  }
  return FormatAmount(money.fen) + " " + money.currency;
}

std::string FormatMoneyInWan(const Money& money) {
  // One 万 is 1,000,000 fen; two decimals of 万 are steps of 10,000 fen.
  uint64_t magnitude = Magnitude(money.fen);
  uint64_t hundredths = magnitude / 10'000 + (magnitude % 10'000 >= 5'000 ? 1 : 0);
  std::string sign = money.fen < 0 && hundredths > 0 ? "-" : "";
  std::string number =
      fmt::format("{}{}.{:02}", sign, GroupThousands(hundredths / 100), hundredths % 100);
  if (money.currency == "CNY") {
    return number + "万元";
  }
  return number + "万 " + money.currency;
}

}  // namespace salesradar::model
