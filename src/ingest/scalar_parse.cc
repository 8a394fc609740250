#include "ingest/scalar_parse.h"

#include <array>
#include <limits>
#include <string>

#include <fmt/format.h>

namespace salesradar::ingest {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Error NotANumber(bool integer) {
  if (integer) {
    return InvalidArgument("不是整数", "not a whole number");
  }
  return InvalidArgument("不是数字", "not a number");
}

Error OutOfRange() { return InvalidArgument("数值超出范围", "number out of range"); }

// Removes thousands separators from the integer part `digits`. Returns false when they are
// not in groups of three ("1,23" or ",123").
bool StripThousandsSeparators(std::string_view digits, std::string* out) {
  if (digits.find(',') == std::string_view::npos) {
    out->assign(digits);
    return true;
  }
  out->clear();
  size_t group = 0;
  bool first_group = true;
  for (size_t i = 0; i < digits.size(); ++i) {
    char c = digits[i];
    if (c == ',') {
      if ((first_group && (group == 0 || group > 3)) || (!first_group && group != 3)) {
        return false;
      }
      first_group = false;
      group = 0;
      continue;
    }
    out->push_back(c);
    ++group;
  }
  return first_group || group == 3;
}

// Splits "-1,234.50" into its sign, integer digits and fraction digits.
bool SplitNumber(std::string_view text, bool* negative, std::string* integer_digits,
                 std::string_view* fraction_digits, bool allow_fraction) {
  *negative = false;
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
    *negative = text.front() == '-';
    text.remove_prefix(1);
  }

  size_t dot = text.find('.');
  std::string_view integer_part = text.substr(0, dot);
  *fraction_digits = dot == std::string_view::npos ? std::string_view() : text.substr(dot + 1);
  if (dot != std::string_view::npos && !allow_fraction) {
    return false;
  }
  if (!StripThousandsSeparators(integer_part, integer_digits)) {
    return false;
  }
  if (integer_digits->empty() && fraction_digits->empty()) {
    return false;
  }
  for (char c : *integer_digits) {
    if (!IsDigit(c)) {
      return false;
    }
  }
  for (char c : *fraction_digits) {
    if (!IsDigit(c)) {
      return false;
    }
  }
  return true;
}

// Appends decimal digits to `value`, failing on overflow.
bool AccumulateDigits(std::string_view digits, uint64_t* value) {
  constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1;
  for (char c : digits) {
    auto digit = static_cast<uint64_t>(c - '0');
    if (*value > (kMax - digit) / 10) {
      return false;
    }
    *value = *value * 10 + digit;
  }
  return true;
}

Result<int64_t> ApplySign(uint64_t magnitude, bool negative) {
  constexpr uint64_t kMaxPositive = static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  if (negative) {
    if (magnitude > kMaxPositive + 1) {
      return OutOfRange();
    }
    return magnitude == kMaxPositive + 1 ? std::numeric_limits<int64_t>::min()
                                         : -static_cast<int64_t>(magnitude);
  }
  if (magnitude > kMaxPositive) {
    return OutOfRange();
  }
  return static_cast<int64_t>(magnitude);
}

}  // namespace

Result<int64_t> ParseInteger(std::string_view text) {
  bool negative = false;
  std::string digits;
  std::string_view fraction;
  if (!SplitNumber(text, &negative, &digits, &fraction, /*allow_fraction=*/false) ||
      digits.empty()) {
    return NotANumber(/*integer=*/true);
  }
  uint64_t magnitude = 0;
  if (!AccumulateDigits(digits, &magnitude)) {
    return OutOfRange();
  }
  return ApplySign(magnitude, negative);
}

Result<int64_t> ParseScaledDecimal(std::string_view text, int scale) {
  bool negative = false;
  std::string digits;
  std::string_view fraction;
  if (!SplitNumber(text, &negative, &digits, &fraction, /*allow_fraction=*/true)) {
    return NotANumber(/*integer=*/false);
  }

  // Digits past the scale may only be zeros ("12.500" at scale 2 is exact).
  auto scale_digits = static_cast<size_t>(scale);
  for (size_t i = scale_digits; i < fraction.size(); ++i) {
    if (fraction[i] != '0') {
      return InvalidArgument(fmt::format("小数位多于 {} 位", scale),
                             fmt::format("more than {} decimal places", scale));
    }
  }

  uint64_t magnitude = 0;
  std::string_view kept_fraction = fraction.substr(0, std::min(fraction.size(), scale_digits));
  std::string padding(scale_digits - kept_fraction.size(), '0');
  if (!AccumulateDigits(digits, &magnitude) || !AccumulateDigits(kept_fraction, &magnitude) ||
      !AccumulateDigits(padding, &magnitude)) {
    return OutOfRange();
  }
  return ApplySign(magnitude, negative);
}

Result<bool> ParseBoolean(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  static constexpr std::array<std::string_view, 8> kTrue = {"true", "yes", "y",  "t",
                                                            "on",   "1",   "是", "真"};
  static constexpr std::array<std::string_view, 8> kFalse = {"false", "no", "n",  "f",
                                                             "off",   "0",  "否", "假"};
  for (std::string_view word : kTrue) {
    if (lower == word) {
      return true;
    }
  }
  for (std::string_view word : kFalse) {
    if (lower == word) {
      return false;
    }
  }
  return InvalidArgument("不是是/否值；应为 true/false、yes/no、1/0 或 是/否",
                         "not a yes/no value; expected true/false, yes/no, 1/0 or 是/否");
}

}  // namespace salesradar::ingest
