// Date and date-time parsing with the formats a mapping lists, such as "YYYY-MM-DD",
// "DD.MM.YYYY", "YYYY/MM/DD HH:mm:ss" or "excel" (an Excel serial day number).
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace salesradar::ingest {

// A civil (wall-clock) date and time, with the UTC offset when the text carried one.
struct CivilDateTime {
  std::chrono::year_month_day date{};
  std::chrono::seconds time_of_day{0};
  std::chrono::microseconds fraction{0};  // below one second, from SSS
  bool has_time = false;
  // Set when the text names its offset from UTC (token Z); a timestamp then ignores the
  // mapping's time zone.
  std::optional<std::chrono::seconds> utc_offset;

  bool operator==(const CivilDateTime&) const = default;
};

// One date format. A pattern is built from these tokens, and any other text in it must match
// literally:
//   YYYY  a four-digit year           MM, M  month, one or two digits
//   DD, D day, one or two digits      HH, H  hour 0-23, one or two digits
//   mm    minute, two digits          ss     second, two digits
//   SSS   fraction of a second after ss, 1 to 9 digits (kept to the microsecond)
//   Z     offset from UTC: "Z", "+02:00", "-0530"
// The pattern "excel" matches an Excel serial day number (days since 1899-12-30, a fraction
// gives the time of day); serials before 61 (1900-03-01) are rejected, because Excel counts
// the nonexistent 1900-02-29.
class DateFormat {
 public:
  // Returns kInvalidArgument naming the pattern when it lacks the year, month or day, repeats
  // a token, or has minutes without hours.
  static Result<DateFormat> Parse(std::string_view pattern);

  // Returns the date and time in `text` when the whole text matches this format and the
  // values form a real date (2017-02-30 does not), std::nullopt otherwise.
  std::optional<CivilDateTime> Match(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

 private:
  enum class TokenKind { kYear, kMonth, kDay, kHour, kMinute, kSecond, kFraction, kOffset, kLiteral };
  struct Token {
    TokenKind kind;
    std::string literal;  // for kLiteral
  };

  std::optional<CivilDateTime> MatchExcelSerial(std::string_view text) const;

  std::string pattern_;
  std::vector<Token> tokens_;
  bool excel_serial_ = false;
};

// Formats used when a mapping lists none: ISO dates, slashes, the same with a time, and the
// Chinese form 2017年3月1日.
const std::vector<DateFormat>& DefaultDateFormats();

// Parses `text` with the first of `formats` that matches. The error is the reason only
// (for example "not a valid date; expected YYYY-MM-DD or DD.MM.YYYY"), so that the caller can
// prefix the file, line and column.
Result<CivilDateTime> ParseDateTime(std::string_view text, std::span<const DateFormat> formats);

// Returns the date as YYYY-MM-DD.
std::string FormatDate(const std::chrono::year_month_day& date);

}  // namespace salesradar::ingest
