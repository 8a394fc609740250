#include "calendar/business_calendar.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include <fmt/format.h>

#include "calendar/civil_text.h"
#include "calendar/data_error.h"
#include "calendar/spec_validation.h"

namespace salesradar::calendar {
namespace {

using SecondsPoint = std::chrono::time_point<std::chrono::system_clock, std::chrono::seconds>;

Timestamp ToTimestamp(SecondsPoint point) { return std::chrono::time_point_cast<Microseconds>(point); }

enum class Boundary { kBegin, kEnd };

// Maps a local wall-clock boundary to an instant. In a daylight-saving gap both kinds of boundary
// map to the transition. In a repeated hour a begin takes the first occurrence and an end the
// second, so the wall clock shows working hours for the whole interval.
Timestamp BoundaryInstant(const cctz::time_zone& zone, cctz::civil_second local, Boundary boundary) {
  cctz::time_zone::civil_lookup lookup = zone.lookup(local);
  switch (lookup.kind) {
    case cctz::time_zone::civil_lookup::UNIQUE:
      return ToTimestamp(lookup.pre);
    case cctz::time_zone::civil_lookup::SKIPPED:
      return ToTimestamp(lookup.trans);
    case cctz::time_zone::civil_lookup::REPEATED:
      return ToTimestamp(boundary == Boundary::kBegin ? lookup.pre : lookup.post);
  }
  return ToTimestamp(lookup.pre);
}

Error UnknownZone(const CalendarSpec& spec) {
  return DataError(spec.zone_where,
                   fmt::format("未知的时区 '{}'；请使用 IANA 时区名，例如 Asia/Shanghai 或 Europe/Amsterdam，"
                               "并确认系统已安装 tzdata",
                               spec.zone),
                   fmt::format("unknown time zone '{}'; use an IANA zone name such as Asia/Shanghai "
                               "or Europe/Amsterdam, and check that tzdata is installed",
                               spec.zone));
}

}  // namespace

BusinessCalendar::BusinessCalendar(CalendarSpec spec, cctz::time_zone zone)
    : spec_(std::move(spec)), zone_(zone) {
  for (const YearData& data : spec_.years) {
    years_with_data_.insert(data.year);

    for (const Holiday& holiday : data.holidays) {
      for (cctz::civil_day day = holiday.first; day <= holiday.last; ++day) {
        exceptions_[day] = DayInfo{DayKind::kHoliday, holiday.name, false};
      }
    }
    for (const MakeUpWorkday& make_up : data.make_up_workdays) {
      exceptions_[make_up.date] = DayInfo{DayKind::kMakeUpWorkday, make_up.name, false};
    }
  }
}

Result<BusinessCalendar> BusinessCalendar::Create(CalendarSpec spec) {
  SR_RETURN_IF_ERROR(ValidateSpec(spec));

  cctz::time_zone zone;
  if (!cctz::load_time_zone(spec.zone, &zone)) {
    return UnknownZone(spec);
  }
  return BusinessCalendar(std::move(spec), zone);
}

std::vector<int> BusinessCalendar::YearsWithoutData(Timestamp a, Timestamp b) const {
  auto first = ToLocal(std::min(a, b)).year();
  auto last = ToLocal(std::max(a, b)).year();

  std::vector<int> missing;
  for (auto year = first; year <= last; ++year) {
    if (!HasYearData(static_cast<int>(year))) {
      missing.push_back(static_cast<int>(year));
    }
  }
  return missing;
}

Result<DayInfo> BusinessCalendar::DescribeDay(cctz::civil_day day) const {
  auto exception = exceptions_.find(day);
  if (exception != exceptions_.end()) {
    return exception->second;
  }

  auto year = day.year();
  bool missing = !HasYearData(static_cast<int>(year));
  if (missing && spec_.missing_years == MissingYearPolicy::kError) {
    std::string date = FormatIsoDate(day);
    return Error(ErrorCode::kFailedPrecondition,
                 fmt::format("日历 '{}' 没有 {} 年的节假日数据（日期 {}）；请添加 {} 年的年度文件（如 {}/{}.yaml），"
                             "或在 calendar.yaml 中设置 missing_years: weekly_pattern",
                             spec_.id, year, date, year, spec_.id, year),
                 fmt::format("calendar '{}' has no holiday data for {} (date {}); add a year file "
                             "for {} (such as {}/{}.yaml) or set missing_years: weekly_pattern in "
                             "calendar.yaml",
                             spec_.id, year, date, year, spec_.id, year));
  }

  DayInfo info;
  bool rest = spec_.rest_days[static_cast<int>(cctz::get_weekday(day))];
  info.kind = rest ? DayKind::kRestDay : DayKind::kWorkday;
  info.from_weekly_pattern = missing;
  return info;
}

Result<bool> BusinessCalendar::IsWorkday(cctz::civil_day day) const {
  SR_ASSIGN_OR_RETURN(DayInfo info, DescribeDay(day));
  return info.kind == DayKind::kWorkday || info.kind == DayKind::kMakeUpWorkday;
}

Result<std::vector<TimeInterval>> BusinessCalendar::WorkingIntervalsOn(cctz::civil_day day) const {
  SR_ASSIGN_OR_RETURN(bool working, IsWorkday(day));
  std::vector<TimeInterval> intervals;
  if (!working) {
    return intervals;
  }

  cctz::civil_second midnight(day);
  for (const WorkingInterval& hours : spec_.working_hours) {
    Timestamp begin = BoundaryInstant(zone_, midnight + hours.begin_minute * 60, Boundary::kBegin);
    Timestamp end = BoundaryInstant(zone_, midnight + hours.end_minute * 60, Boundary::kEnd);

    // In a repeated hour two adjacent intervals can overlap as instants; keep them disjoint.
    if (!intervals.empty()) {
      begin = std::max(begin, intervals.back().end);
    }
    if (begin < end) {
      intervals.push_back({begin, end});
    }
  }
  return intervals;
}

cctz::civil_second BusinessCalendar::ToLocal(Timestamp t) const {
  return cctz::convert(std::chrono::floor<std::chrono::seconds>(t), zone_);
}

Timestamp BusinessCalendar::FromLocal(cctz::civil_second local) const {
  return BoundaryInstant(zone_, local, Boundary::kBegin);
}

std::string BusinessCalendar::FormatLocal(Timestamp t) const {
  return cctz::format("%Y-%m-%d %H:%M:%E*S %Ez", t, zone_);
}

}  // namespace salesradar::calendar
