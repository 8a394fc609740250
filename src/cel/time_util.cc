#include "cel/time_util.h"

#include <cstdio>

#include <cctz/civil_time.h>

namespace salesradar::cel {
namespace {

__extension__ typedef __int128 Int128;

constexpr int64_t kNanosPerSecond = 1'000'000'000;

bool ReadDigits(std::string_view text, size_t& pos, size_t count, int& value) {
  if (pos + count > text.size()) return false;
  value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool Expect(std::string_view text, size_t& pos, char c) {
  if (pos >= text.size() || (text[pos] != c && !(c == 'T' && text[pos] == 't'))) return false;
  ++pos;
  return true;
}

// Days since 1970-01-01 of a proleptic Gregorian date.
int64_t DaysFromCivil(int64_t year, int month, int day) {
  cctz::civil_day date(year, month, day);
  return date - cctz::civil_day(1970, 1, 1);
}

std::string FractionDigits(int64_t nanos) {
  if (nanos == 0) return "";
  std::string digits = std::to_string(nanos);
  digits.insert(0, 9 - digits.size(), '0');
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return "." + digits;
}

}  // namespace

bool IsValidTime(Time t) {
  return t.seconds >= kMinTimestampSeconds && t.seconds <= kMaxTimestampSeconds && t.nanos >= 0 &&
         t.nanos < kNanosPerSecond;
}

std::optional<Time> ParseTimestamp(std::string_view text) {
  size_t pos = 0;
  int year, month, day, hour, minute, second;
  if (!ReadDigits(text, pos, 4, year) || !Expect(text, pos, '-') || !ReadDigits(text, pos, 2, month) ||
      !Expect(text, pos, '-') || !ReadDigits(text, pos, 2, day) || !Expect(text, pos, 'T') ||
      !ReadDigits(text, pos, 2, hour) || !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, minute) ||
      !Expect(text, pos, ':') || !ReadDigits(text, pos, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  if (cctz::civil_day(year, month, day).day() != day) return std::nullopt;

  int64_t nanos = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 9) nanos = nanos * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return std::nullopt;
    for (int i = digits; i < 9; ++i) nanos *= 10;
  }

  int64_t offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int sign = text[pos] == '-' ? -1 : 1;
    ++pos;
    int offset_hours, offset_minutes;
    if (!ReadDigits(text, pos, 2, offset_hours) || !Expect(text, pos, ':') ||
        !ReadDigits(text, pos, 2, offset_minutes) || offset_hours > 23 || offset_minutes > 59) {
      return std::nullopt;
    }
    offset = sign * (offset_hours * 3600 + offset_minutes * 60);
  } else {
    return std::nullopt;
  }
  if (pos != text.size()) return std::nullopt;

  Time t;
  t.seconds = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset;
  t.nanos = static_cast<int32_t>(nanos);
  if (!IsValidTime(t)) return std::nullopt;
  return t;
}

std::string FormatTimestamp(Time t) {
  int64_t days = t.seconds >= 0 ? t.seconds / 86400 : (t.seconds - 86399) / 86400;
  int64_t in_day = t.seconds - days * 86400;
  cctz::civil_day date = cctz::civil_day(1970, 1, 1) + days;
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%04d-%02d-%02dT%02d:%02d:%02d", static_cast<int>(date.year()),
                date.month(), date.day(), static_cast<int>(in_day / 3600),
                static_cast<int>(in_day / 60 % 60), static_cast<int>(in_day % 60));
  return std::string(buffer) + FractionDigits(t.nanos) + "Z";
}

std::optional<Duration> ParseDuration(std::string_view text) {
  size_t pos = 0;
  bool negative = false;
  if (pos < text.size() && (text[pos] == '-' || text[pos] == '+')) {
    negative = text[pos] == '-';
    ++pos;
  }
  if (text.substr(pos) == "0") return Duration{0};
  if (pos >= text.size()) return std::nullopt;

  Int128 total = 0;
  while (pos < text.size()) {
    Int128 whole = 0;
    Int128 fraction = 0;
    Int128 fraction_scale = 1;
    bool any_digit = false;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      whole = whole * 10 + (text[pos++] - '0');
      any_digit = true;
      if (whole > (Int128{1} << 80)) return std::nullopt;
    }
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (fraction_scale < 1'000'000'000'000'000'000) {
          fraction = fraction * 10 + (text[pos] - '0');
          fraction_scale *= 10;
        }
        ++pos;
        any_digit = true;
      }
    }
    if (!any_digit) return std::nullopt;

    static const struct {
      std::string_view unit;
      int64_t nanos;
    } kUnits[] = {{"ns", 1}, {"us", 1000}, {"\xC2\xB5s", 1000}, {"ms", 1'000'000},
                  {"s", kNanosPerSecond}, {"m", 60 * kNanosPerSecond}, {"h", 3600 * kNanosPerSecond}};
    int64_t unit_nanos = 0;
    size_t unit_length = 0;
    // The longest unit that matches wins, so that "ms" is not read as "m".
    for (const auto& unit : kUnits) {
      if (text.substr(pos, unit.unit.size()) == unit.unit && unit.unit.size() > unit_length) {
        unit_nanos = unit.nanos;
        unit_length = unit.unit.size();
      }
    }
    if (unit_length == 0) return std::nullopt;
    pos += unit_length;
    total += whole * unit_nanos + fraction * unit_nanos / fraction_scale;
    if (total > (Int128{1} << 64)) return std::nullopt;
  }
  if (negative) total = -total;
  if (total > INT64_MAX || total < INT64_MIN) return std::nullopt;
  return Duration{static_cast<int64_t>(total)};
}

std::string FormatDuration(Duration d) {
  int64_t nanos = d.nanos;
  std::string sign = nanos < 0 ? "-" : "";
  uint64_t magnitude = nanos < 0 ? 0 - static_cast<uint64_t>(nanos) : static_cast<uint64_t>(nanos);
  std::string out = sign + std::to_string(magnitude / kNanosPerSecond);
  out += FractionDigits(static_cast<int64_t>(magnitude % kNanosPerSecond));
  return out + "s";
}

std::optional<Time> AddDuration(Time t, Duration d) {
  Int128 nanos = static_cast<Int128>(t.seconds) * kNanosPerSecond + t.nanos + d.nanos;
  Int128 seconds = nanos / kNanosPerSecond;
  Int128 remainder = nanos % kNanosPerSecond;
  if (remainder < 0) {
    remainder += kNanosPerSecond;
    seconds -= 1;
  }
  Time out{static_cast<int64_t>(seconds), static_cast<int32_t>(remainder)};
  if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) return std::nullopt;
  return out;
}

std::optional<Duration> Difference(Time a, Time b) {
  Int128 nanos = (static_cast<Int128>(a.seconds) - b.seconds) * kNanosPerSecond + (a.nanos - b.nanos);
  if (nanos > INT64_MAX || nanos < INT64_MIN) return std::nullopt;
  return Duration{static_cast<int64_t>(nanos)};
}

}  // namespace salesradar::cel
