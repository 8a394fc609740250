#include "report/pipeline_arguments.h"

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>

#include <charconv>
#include <chrono>
#include <optional>
#include <string>

namespace salesradar::report {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Returns the decimal digits `text` as a number from 0 to `max`, or nullopt.
std::optional<int64_t> ParseWholeNumber(std::string_view text, int64_t max) {
  int64_t number = -1;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (error != std::errc() || end != text.data() + text.size() || number < 0 || number > max) {
    return std::nullopt;
  }
  return number;
}

cctz::time_zone LoadZone(std::string_view name) {
  cctz::time_zone zone;
  if (!cctz::load_time_zone(std::string(name), &zone)) {
    // China has had no daylight saving time since 1991, so a fixed offset is exact for dates
    // after that when tzdata is missing.
    zone = cctz::fixed_time_zone(std::chrono::hours(8));
  }
  return zone;
}

}  // namespace

Result<model::CivilDate> ParseAsOfDate(std::string_view text) {
  Result<model::CivilDate> date = model::ParseIsoDate(text);
  if (date.ok()) {
    return date;
  }
  std::string value(text);
  return InvalidArgument(
      "--as-of 的日期 '" + value + "' 无效；格式应为 YYYY-MM-DD，且须为存在的日期，例如 2017-12-31",
      "invalid --as-of date '" + value +
          "'; expected an existing date in the format YYYY-MM-DD, for example 2017-12-31");
}

Result<int64_t> ParseStaleDays(std::string_view text) {
  std::optional<int64_t> days = ParseWholeNumber(text, 36500);
  if (!days) {
    std::string value(text);
    return InvalidArgument("--stale-days 的值 '" + value + "' 无效；应为 0 到 36500 之间的整数天数",
                           "invalid --stale-days value '" + value +
                               "'; expected a whole number of days from 0 to 36500");
  }
  return *days;
}

Result<int64_t> ParseListedDeals(std::string_view text) {
  std::optional<int64_t> count = ParseWholeNumber(text, 100000);
  if (!count) {
    std::string value(text);
    return InvalidArgument("--top 的值 '" + value + "' 无效；应为 0 到 100000 之间的整数",
                           "invalid --top value '" + value +
                               "'; expected a whole number from 0 to 100000");
  }
  return *count;
}

Result<int64_t> ParseMaxDiscount(std::string_view text) {
  std::string value(text);
  Error invalid = InvalidArgument(
      "--max-discount 的值 '" + value + "' 无效；应为 0 到 100 之间的百分比，最多两位小数，例如 15 或 12.5",
      "invalid --max-discount value '" + value +
          "'; expected a percentage from 0 to 100 with at most two decimals, for example 15 or 12.5");

  std::string_view rest = text;
  if (!rest.empty() && rest.back() == '%') {
    rest.remove_suffix(1);
  }

  int64_t whole = 0;
  size_t digits = 0;
  while (!rest.empty() && IsDigit(rest.front()) && digits < 4) {
    whole = whole * 10 + (rest.front() - '0');
    rest.remove_prefix(1);
    ++digits;
  }
  if (digits == 0) {
    return invalid;
  }

  int64_t hundredths = 0;
  if (!rest.empty() && rest.front() == '.') {
    rest.remove_prefix(1);
    for (int place = 10; place >= 1 && !rest.empty() && IsDigit(rest.front()); place /= 10) {
      hundredths += (rest.front() - '0') * place;
      rest.remove_prefix(1);
    }
  }

  int64_t basis_points = whole * 100 + hundredths;
  if (!rest.empty() || basis_points > 10000) {
    return invalid;
  }
  return basis_points;
}

model::CivilDate DateIn(Timestamp now, std::string_view time_zone) {
  auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(now);
  cctz::civil_second local = cctz::convert(seconds, LoadZone(time_zone));
  return model::CivilDate{std::chrono::year(static_cast<int>(local.year())),
                          std::chrono::month(static_cast<unsigned>(local.month())),
                          std::chrono::day(static_cast<unsigned>(local.day()))};
}

Timestamp EndOfDay(model::CivilDate date, std::string_view time_zone) {
  cctz::civil_day next_day = cctz::civil_day(static_cast<int>(date.year()),
                                             static_cast<unsigned>(date.month()),
                                             static_cast<unsigned>(date.day())) +
                             1;
  auto start = cctz::convert(cctz::civil_second(next_day), LoadZone(time_zone));
  return std::chrono::time_point_cast<Microseconds>(start);
}

}  // namespace salesradar::report
