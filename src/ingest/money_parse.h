// Money amounts in CSV text: the unit they are written in and their exact value in fen.
#pragma once

#include <string_view>

#include "common/result.h"
#include "model/money.h"

namespace salesradar::ingest {

// Parses the unit of amounts in a column and returns the number of fen in one unit as a
// power of ten: 0 for fen, 2 for yuan (or any currency's major unit), 5 for thousand, 6 for
// 万 (wan), 8 for million (百万) and 10 for 亿 (yi). The names are those of
// model::ParseMoneyUnit plus "million", "百万", "百万元", "yi", "亿" and "亿元".
Result<int> ParseAmountUnit(std::string_view name);

// Parses an amount such as "1,234.56", "¥1,234.56" or "-5" written in a unit of
// 10^fen_exponent fen, exactly, and pairs it with `currency`. A leading currency symbol
// (¥ $ € £) is ignored. The error is the reason only ("not a number", "more than 2 decimal
// places"), for the caller to prefix the column and value.
Result<model::Money> ParseMoneyAmount(std::string_view text, int fen_exponent,
                                      std::string_view currency);

}  // namespace salesradar::ingest
