#include "ingest/date_parse.h"

#include <cmath>
#include <cstdlib>

#include <fmt/format.h>

namespace salesradar::ingest {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::string_view kExcelPattern = "excel";
constexpr int kFirstExcelSerial = 61;      // 1900-03-01
constexpr int kLastExcelSerial = 2958465;  // 9999-12-31
constexpr std::chrono::year_month_day kExcelEpoch{std::chrono::year(1899), std::chrono::month(12),
                                                  std::chrono::day(30)};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads between `min_digits` and `max_digits` digits from the front of `text`.
std::optional<int> TakeNumber(std::string_view& text, size_t min_digits, size_t max_digits) {
  size_t length = 0;
  int value = 0;
  while (length < max_digits && length < text.size() && IsDigit(text[length])) {
    value = value * 10 + (text[length] - '0');
    ++length;
  }
  if (length < min_digits) {
    return std::nullopt;
  }
  text.remove_prefix(length);
  return value;
}

// Reads a fraction of a second of 1 to 9 digits and returns it in microseconds.
std::optional<int64_t> TakeFraction(std::string_view& text) {
  size_t length = 0;
  int64_t micros = 0;
  while (length < 9 && length < text.size() && IsDigit(text[length])) {
    if (length < 6) {
      micros = micros * 10 + (text[length] - '0');
    }
    ++length;
  }
  if (length == 0) {
    return std::nullopt;
  }
  for (size_t i = length; i < 6; ++i) {
    micros *= 10;
  }
  text.remove_prefix(length);
  return micros;
}

// Reads "Z", "+HH:MM", "-HH:MM", "+HHMM" or "-HHMM" and returns the offset east of UTC.
std::optional<int> TakeUtcOffsetSeconds(std::string_view& text) {
  if (text.starts_with('Z')) {
    text.remove_prefix(1);
    return 0;
  }
  if (text.empty() || (text.front() != '+' && text.front() != '-')) {
    return std::nullopt;
  }
  int sign = text.front() == '-' ? -1 : 1;
  text.remove_prefix(1);

  std::optional<int> hours = TakeNumber(text, 2, 2);
  if (text.starts_with(':')) {
    text.remove_prefix(1);
  }
  std::optional<int> minutes = TakeNumber(text, 2, 2);
  if (!hours || !minutes || *hours > 18 || *minutes > 59) {
    return std::nullopt;
  }
  return sign * (*hours * 3600 + *minutes * 60);
}

Error PatternError(std::string_view pattern, std::string_view reason_zh,
                   std::string_view reason_en) {
  return InvalidArgument(
      fmt::format("日期格式 '{}' 无效：{}；可用 YYYY、MM、DD、HH、mm、ss 组成，例如 YYYY-MM-DD",
                  pattern, reason_zh),
      fmt::format("invalid date format '{}': {}; build it from YYYY, MM, DD, HH, mm and ss, "
                  "for example YYYY-MM-DD",
                  pattern, reason_en));
}

}  // namespace

Result<DateFormat> DateFormat::Parse(std::string_view pattern) {
  DateFormat format;
  format.pattern_ = std::string(pattern);
  if (pattern == kExcelPattern) {
    format.excel_serial_ = true;
    return format;
  }

  // Longest tokens first, so that "MM" is not read as two "M".
  static constexpr std::pair<std::string_view, TokenKind> kTokens[] = {
      {"YYYY", TokenKind::kYear}, {"MM", TokenKind::kMonth},  {"DD", TokenKind::kDay},
      {"HH", TokenKind::kHour},   {"mm", TokenKind::kMinute}, {"ss", TokenKind::kSecond},
      {"SSS", TokenKind::kFraction}, {"Z", TokenKind::kOffset},
      {"M", TokenKind::kMonth},   {"D", TokenKind::kDay},     {"H", TokenKind::kHour},
  };
  bool seen[static_cast<int>(TokenKind::kLiteral)] = {};
  std::string_view rest = pattern;
  while (!rest.empty()) {
    bool matched = false;
    for (const auto& [text, kind] : kTokens) {
      if (!rest.starts_with(text)) {
        continue;
      }
      if (seen[static_cast<int>(kind)]) {
        return PatternError(pattern, fmt::format("'{}' 出现了两次", text),
                            fmt::format("'{}' appears twice", text));
      }
      seen[static_cast<int>(kind)] = true;
      format.tokens_.push_back({kind, {}});
      rest.remove_prefix(text.size());
      matched = true;
      break;
    }
    if (matched) {
      continue;
    }
    if (format.tokens_.empty() || format.tokens_.back().kind != TokenKind::kLiteral) {
      format.tokens_.push_back({TokenKind::kLiteral, {}});
    }
    format.tokens_.back().literal.push_back(rest.front());
    rest.remove_prefix(1);
  }

  if (!seen[static_cast<int>(TokenKind::kYear)] || !seen[static_cast<int>(TokenKind::kMonth)] ||
      !seen[static_cast<int>(TokenKind::kDay)]) {
    return PatternError(pattern, "缺少年（YYYY）、月（MM）或日（DD）",
                        "the year (YYYY), month (MM) or day (DD) is missing");
  }
  if ((seen[static_cast<int>(TokenKind::kMinute)] && !seen[static_cast<int>(TokenKind::kHour)]) ||
      (seen[static_cast<int>(TokenKind::kSecond)] && !seen[static_cast<int>(TokenKind::kMinute)])) {
    return PatternError(pattern, "有分钟或秒却没有小时或分钟",
                        "it has minutes or seconds without hours or minutes");
  }
  if ((seen[static_cast<int>(TokenKind::kFraction)] && !seen[static_cast<int>(TokenKind::kSecond)]) ||
      (seen[static_cast<int>(TokenKind::kOffset)] && !seen[static_cast<int>(TokenKind::kHour)])) {
    return PatternError(pattern, "有 SSS 却没有秒（ss），或有 Z 却没有小时（HH）",
                        "it has SSS without seconds (ss) or Z without hours (HH)");
  }
  return format;
}

std::optional<CivilDateTime> DateFormat::MatchExcelSerial(std::string_view text) const {
  std::string copy(text);
  char* end = nullptr;
  double serial = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(serial) ||
      serial < kFirstExcelSerial || serial >= kLastExcelSerial + 1) {
    return std::nullopt;
  }

  double whole_days = std::floor(serial);
  CivilDateTime result;
  result.date =
      std::chrono::year_month_day(sys_days(kExcelEpoch) + days(static_cast<int>(whole_days)));
  double fraction = serial - whole_days;
  if (fraction > 0) {
    result.has_time = true;
    auto seconds = static_cast<int64_t>(std::llround(fraction * 86400.0));
    result.time_of_day = std::chrono::seconds(std::min<int64_t>(seconds, 86399));
  }
  return result;
}

std::optional<CivilDateTime> DateFormat::Match(std::string_view text) const {
  if (excel_serial_) {
    return MatchExcelSerial(text);
  }

  int year = 0;
  int month = 0;
  int day = 0;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int64_t fraction_micros = 0;
  std::optional<int> offset_seconds;
  bool has_time = false;
  for (const Token& token : tokens_) {
    std::optional<int> number;
    switch (token.kind) {
      case TokenKind::kLiteral:
        if (!text.starts_with(token.literal)) {
          return std::nullopt;
        }
        text.remove_prefix(token.literal.size());
        continue;
      case TokenKind::kYear:
        number = TakeNumber(text, 4, 4);
        year = number.value_or(0);
        break;
      case TokenKind::kMonth:
        number = TakeNumber(text, 1, 2);
        month = number.value_or(0);
        break;
      case TokenKind::kDay:
        number = TakeNumber(text, 1, 2);
        day = number.value_or(0);
        break;
      case TokenKind::kHour:
        number = TakeNumber(text, 1, 2);
        hour = number.value_or(0);
        has_time = true;
        break;
      case TokenKind::kMinute:
        number = TakeNumber(text, 2, 2);
        minute = number.value_or(0);
        break;
      case TokenKind::kSecond:
        number = TakeNumber(text, 2, 2);
        second = number.value_or(0);
        break;
      case TokenKind::kFraction: {
        std::optional<int64_t> micros = TakeFraction(text);
        if (!micros) {
          return std::nullopt;
        }
        fraction_micros = *micros;
        continue;
      }
      case TokenKind::kOffset:
        offset_seconds = TakeUtcOffsetSeconds(text);
        if (!offset_seconds) {
          return std::nullopt;
        }
        continue;
    }
    if (!number.has_value()) {
      return std::nullopt;
    }
  }
  if (!text.empty()) {
    return std::nullopt;
  }

  std::chrono::year_month_day date{std::chrono::year(year),
                                   std::chrono::month(static_cast<unsigned>(month)),
                                   std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) {
    return std::nullopt;
  }
  CivilDateTime result;
  result.date = date;
  result.has_time = has_time;
  result.time_of_day = std::chrono::seconds(hour * 3600 + minute * 60 + second);
  result.fraction = std::chrono::microseconds(fraction_micros);
  if (offset_seconds) {
    result.utc_offset = std::chrono::seconds(*offset_seconds);
  }
  return result;
}

const std::vector<DateFormat>& DefaultDateFormats() {
  static const std::vector<DateFormat> formats = [] {
    std::vector<DateFormat> list;
    for (std::string_view pattern :
         {"YYYY-MM-DD", "YYYY/MM/DD", "YYYY-MM-DD HH:mm:ss", "YYYY-MM-DD HH:mm",
          "YYYY/MM/DD HH:mm:ss", "YYYY/MM/DD HH:mm", "YYYY-MM-DDTHH:mm:ss", "YYYY年M月D日"}) {
      list.push_back(DateFormat::Parse(pattern).value());
    }
    return list;
  }();
  return formats;
}

Result<CivilDateTime> ParseDateTime(std::string_view text, std::span<const DateFormat> formats) {
  for (const DateFormat& format : formats) {
    if (std::optional<CivilDateTime> parsed = format.Match(text)) {
      return *parsed;
    }
  }

  std::string expected;
  for (const DateFormat& format : formats) {
    if (!expected.empty()) {
      expected += ", ";
    }
    expected += format.pattern();
  }
  return InvalidArgument(fmt::format("不是有效的日期；应为以下格式之一：{}", expected),
                         fmt::format("not a valid date; expected one of the formats {}", expected));
}

std::string FormatDate(const std::chrono::year_month_day& date) {
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

}  // namespace salesradar::ingest
