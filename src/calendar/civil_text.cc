#include "calendar/civil_text.h"

#include <array>
#include <cstdio>

namespace salesradar::calendar {
namespace {

constexpr std::array<std::string_view, 7> kWeekdayNames = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
constexpr std::array<std::string_view, 7> kWeekdayNamesZh = {
    "星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"};

// Reads exactly `count` ASCII digits starting at `text[pos]`.
std::optional<int> ReadDigits(std::string_view text, size_t pos, size_t count) {
  if (pos + count > text.size()) {
    return std::nullopt;
  }
  int value = 0;
  for (size_t i = pos; i < pos + count; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

int WeekdayIndex(cctz::weekday day) { return static_cast<int>(day); }

}  // namespace

std::optional<cctz::civil_day> ParseIsoDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return std::nullopt;
  }
  std::optional<int> year = ReadDigits(text, 0, 4);
  std::optional<int> month = ReadDigits(text, 5, 2);
  std::optional<int> day = ReadDigits(text, 8, 2);
  if (!year || !month || !day) {
    return std::nullopt;
  }

  // civil_day normalises 2026-02-30 to 2026-03-02; a changed field means the day does not exist.
  cctz::civil_day parsed(*year, *month, *day);
  if (parsed.year() != *year || parsed.month() != *month || parsed.day() != *day) {
    return std::nullopt;
  }
  return parsed;
}

std::optional<int> ParseTimeOfDay(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') {
    return std::nullopt;
  }
  std::optional<int> hours = ReadDigits(text, 0, 2);
  std::optional<int> minutes = ReadDigits(text, 3, 2);
  if (!hours || !minutes || *minutes > 59) {
    return std::nullopt;
  }

  int total = *hours * 60 + *minutes;
  if (total > kMinutesPerDay) {
    return std::nullopt;
  }
  return total;
}

std::string FormatIsoDate(cctz::civil_day day) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02d-%02d", static_cast<long long>(day.year()),
                day.month(), day.day());
  return buffer;
}

std::string FormatTimeOfDay(int minutes) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%02d:%02d", minutes / 60, minutes % 60);
  return buffer;
}

std::optional<cctz::weekday> ParseWeekday(std::string_view text) {
  for (size_t i = 0; i < kWeekdayNames.size(); ++i) {
    if (text == kWeekdayNames[i]) {
      return static_cast<cctz::weekday>(i);
    }
  }
  return std::nullopt;
}

std::string_view WeekdayName(cctz::weekday day) { return kWeekdayNames[WeekdayIndex(day)]; }

std::string_view WeekdayNameZh(cctz::weekday day) { return kWeekdayNamesZh[WeekdayIndex(day)]; }

}  // namespace salesradar::calendar
