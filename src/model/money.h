// Money as integer fen (the minor unit, 1/100 of the major unit) and an ISO 4217 currency code.
// No function here uses floating point: parsing and formatting work on decimal digits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace salesradar::model {

struct Money {
  int64_t fen = 0;               // amount in the minor unit; negative for refunds and credits
  std::string currency = "CNY";  // ISO 4217 code, three upper-case ASCII letters

  bool operator==(const Money&) const = default;
};

// The unit a source amount is written in. The value is the number of fen in one unit.
enum class MoneyUnit : int64_t {
  kFen = 1,
  kYuan = 100,             // also the major unit of other currencies (dollar, euro)
  kThousand = 100'000,     // 千 / k
  kWan = 1'000'000,        // 万 / 万元: ten thousand
};

// Parses a unit name: "fen"/"分", "yuan"/"元"/"unit", "thousand"/"k"/"千"/"千元",
// "wan"/"万"/"万元". ASCII names are matched case-insensitively.
// Returns kInvalidArgument naming the text and the accepted names otherwise.
Result<MoneyUnit> ParseMoneyUnit(std::string_view name);

// Returns the canonical English name of `unit`: "fen", "yuan", "thousand" or "wan".
std::string_view MoneyUnitName(MoneyUnit unit);

// Returns true for three upper-case ASCII letters. Does not check the ISO 4217 list.
bool IsCurrencyCode(std::string_view code);

// Parses a decimal amount written in `unit` into fen, exactly.
//
// Accepts surrounding ASCII spaces, one leading '+' or '-', digits with optional ',' thousands
// separators in the integer part, and an optional '.' followed by decimals: "1,234.56",
// "-12.5", ".5", "3.". With kYuan, "1,234.56" is 123456 fen; with kWan, "12.5" is 12500000 fen.
//
// Returns kInvalidArgument naming the text when it is empty, not a number, or has a misplaced
// separator. The same error is returned for an amount with a fraction of a fen after scaling ("0.001" yuan,
// "0.5" fen) and for one that does not fit in int64 fen.
Result<int64_t> ParseFen(std::string_view text, MoneyUnit unit);

// Parses an amount as ParseFen does and pairs it with `currency`.
// Returns kInvalidArgument when `currency` is not an ISO 4217-shaped code.
Result<Money> ParseMoney(std::string_view text, MoneyUnit unit, std::string_view currency);

// Formats fen as major units with ',' separators and two decimals: 123456789 -> "1,234,567.89",
// -5 -> "-0.05".
std::string FormatAmount(int64_t fen);

// Formats money for display: "¥1,234,567.00" for CNY, "-¥5.00" for a negative CNY amount,
// and "1,234,567.00 USD" for every other currency.
std::string FormatMoney(const Money& money);

// Formats money in 万 (ten thousand major units) with two decimals, rounding half away from
// zero: 12345678 fen CNY -> "12.35万元", 12345678 fen USD -> "12.35万 USD".
std::string FormatMoneyInWan(const Money& money);

}  // namespace salesradar::model
