// Formatting of counts and ratios for report output. Everything is integer arithmetic:
// ratios are rounded half away from zero to the shown number of decimals, never through a
// floating-point number.
// Money is formatted by model::FormatMoney.
#pragma once

#include <cstdint>
#include <string>

namespace salesradar::report {

// Returns `value` with a comma every three digits: 8800 -> "8,800", -1234 -> "-1,234".
std::string FormatCount(int64_t value);

// Returns numerator / denominator rounded to `decimals` decimal places (0 to 4), for example
// FormatQuotient(335, 7, 1) == "47.9". Returns "-" when the denominator is 0.
// REQUIRES: numerator >= 0, denominator >= 0.
std::string FormatQuotient(int64_t numerator, int64_t denominator, int decimals);

// Returns numerator / denominator as a percentage with one decimal and a '%' sign:
// FormatPercent(4238, 6711) == "63.2%". Returns "-" when the denominator is 0.
// REQUIRES: numerator >= 0, denominator >= 0.
std::string FormatPercent(int64_t numerator, int64_t denominator);

// Returns a count of basis points (1/100 of a percent) as a percentage without the sign and
// with trailing zeros removed: 1500 -> "15", 1250 -> "12.5", 1234 -> "12.34".
std::string FormatBasisPoints(int64_t basis_points);

}  // namespace salesradar::report
