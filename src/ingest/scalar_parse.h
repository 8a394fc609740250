// Parsing of numbers and yes/no values from normalised CSV text. Errors carry the reason
// only, so that the caller can prefix the file, line, column and value.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.h"

namespace salesradar::ingest {

// Parses a whole number with an optional sign and optional thousands separators in groups of
// three ("-12", "1,234,567"). Rejects fractions, exponents and values outside int64_t.
Result<int64_t> ParseInteger(std::string_view text);

// Parses a decimal number ("1,234.56", "-0.5", ".5") and returns it multiplied by 10^scale,
// exactly. Returns kInvalidArgument when the text is not a number, when it has non-zero
// digits beyond `scale` decimal places, or when the result does not fit in int64_t.
// REQUIRES: 0 <= scale <= 18.
Result<int64_t> ParseScaledDecimal(std::string_view text, int scale);

// Parses true/false, yes/no, y/n, t/f, on/off, 1/0 (any case), 是/否 and 真/假.
Result<bool> ParseBoolean(std::string_view text);

}  // namespace salesradar::ingest
