#include "calendar/spec_validation.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "calendar/civil_text.h"
#include "calendar/data_error.h"

namespace salesradar::calendar {
namespace {

bool IsIdCharacter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

Status ValidateId(const CalendarSpec& spec) {
  bool valid = !spec.id.empty() && std::all_of(spec.id.begin(), spec.id.end(), IsIdCharacter);
  if (valid) {
    return OkStatus();
  }
  return DataError(spec.where,
                   fmt::format("日历 id '{}' 无效；id 只能由小写字母、数字、'-' 和 '_' 组成，例如 cn", spec.id),
                   fmt::format("calendar id '{}' is invalid; use lower-case letters, digits, '-' and "
                               "'_' only, for example cn",
                               spec.id));
}

std::string FormatInterval(const WorkingInterval& interval) {
  return FormatTimeOfDay(interval.begin_minute) + "-" + FormatTimeOfDay(interval.end_minute);
}

Status ValidateWorkingHours(const CalendarSpec& spec) {
  if (spec.working_hours.empty()) {
    return DataError(spec.where, "日历没有工作时间；请在 working_hours 中至少写一个区间，例如 \"09:00-18:00\"",
                     "the calendar has no working hours; list at least one interval under "
                     "working_hours, for example \"09:00-18:00\"");
  }

  const WorkingInterval* previous = nullptr;
  for (const WorkingInterval& interval : spec.working_hours) {
    bool in_day = interval.begin_minute >= 0 && interval.end_minute <= kMinutesPerDay;
    if (!in_day || interval.begin_minute >= interval.end_minute) {
      return DataError(interval.where,
                       fmt::format("工作时间 '{}' 无效；开始必须早于结束，且都在 00:00 到 24:00 之间",
                                   FormatInterval(interval)),
                       fmt::format("working hours '{}' are invalid; the start must be before the "
                                   "end, both between 00:00 and 24:00",
                                   FormatInterval(interval)));
    }
    if (previous != nullptr && interval.begin_minute < previous->end_minute) {
      return DataError(interval.where,
                       fmt::format("工作时间 '{}' 与前一个区间 '{}' 重叠或顺序颠倒；请按时间顺序列出互不重叠的区间",
                                   FormatInterval(interval), FormatInterval(*previous)),
                       fmt::format("working hours '{}' overlap or precede the interval before "
                                   "them ('{}'); list intervals in time order without overlaps",
                                   FormatInterval(interval), FormatInterval(*previous)));
    }
    previous = &interval;
  }
  return OkStatus();
}

Status ValidateRestDays(const CalendarSpec& spec) {
  bool all_rest = std::all_of(spec.rest_days.begin(), spec.rest_days.end(), [](bool rest) { return rest; });
  if (!all_rest) {
    return OkStatus();
  }
  return DataError(spec.where, "rest_days 包含一周全部七天，日历没有工作日；请至少留出一个工作日",
                   "rest_days lists all seven weekdays, so the calendar has no working day; leave "
                   "at least one weekday out");
}

Error DateOutsideYear(const SourceLocation& where, cctz::civil_day date, int year) {
  return DataError(where,
                   fmt::format("日期 {} 不在本文件的年份 {} 内；请把它移到 {} 年的文件中", FormatIsoDate(date),
                               year, date.year()),
                   fmt::format("date {} is outside this file's year {}; move it to the file for {}",
                               FormatIsoDate(date), year, date.year()));
}

Status ValidateHolidayDates(const YearData& data, const Holiday& holiday) {
  if (holiday.first > holiday.last) {
    return DataError(holiday.where,
                     fmt::format("假日 '{}' 的开始日期 {} 晚于结束日期 {}；请交换 from 和 to", holiday.name.zh,
                                 FormatIsoDate(holiday.first), FormatIsoDate(holiday.last)),
                     fmt::format("holiday '{}' starts on {}, after its end {}; swap from and to",
                                 holiday.name.en, FormatIsoDate(holiday.first),
                                 FormatIsoDate(holiday.last)));
  }
  if (holiday.first.year() != data.year) {
    return DateOutsideYear(holiday.where, holiday.first, data.year);
  }
  if (holiday.last.year() != data.year) {
    return DateOutsideYear(holiday.where, holiday.last, data.year);
  }
  return OkStatus();
}

// Holidays sorted by first day must each start after the previous one ends.
Status ValidateHolidaysDisjoint(const YearData& data) {
  std::vector<const Holiday*> sorted;
  for (const Holiday& holiday : data.holidays) {
    sorted.push_back(&holiday);
  }
  std::sort(sorted.begin(), sorted.end(),
            [](const Holiday* a, const Holiday* b) { return a->first < b->first; });

  for (size_t i = 1; i < sorted.size(); ++i) {
    const Holiday& earlier = *sorted[i - 1];
    const Holiday& later = *sorted[i];
    if (later.first > earlier.last) {
      continue;
    }
    return DataError(later.where,
                     fmt::format("假日 '{}'（{} 至 {}）与假日 '{}'（{} 至 {}）日期重叠；一天只能属于一个假日",
                                 later.name.zh, FormatIsoDate(later.first), FormatIsoDate(later.last),
                                 earlier.name.zh, FormatIsoDate(earlier.first),
                                 FormatIsoDate(earlier.last)),
                     fmt::format("holiday '{}' ({} to {}) overlaps holiday '{}' ({} to {}); a day "
                                 "can belong to one holiday only",
                                 later.name.en, FormatIsoDate(later.first), FormatIsoDate(later.last),
                                 earlier.name.en, FormatIsoDate(earlier.first),
                                 FormatIsoDate(earlier.last)));
  }
  return OkStatus();
}

const Holiday* FindHoliday(const YearData& data, cctz::civil_day day) {
  for (const Holiday& holiday : data.holidays) {
    if (holiday.first <= day && day <= holiday.last) {
      return &holiday;
    }
  }
  return nullptr;
}

std::string RestDayList(const CalendarSpec& spec) {
  std::string names;
  for (int i = 0; i < 7; ++i) {
    if (spec.rest_days[i]) {
      names += names.empty() ? "" : ", ";
      names += WeekdayName(static_cast<cctz::weekday>(i));
    }
  }
  return names;
}

Status ValidateMakeUpDay(const CalendarSpec& spec, const YearData& data, const MakeUpWorkday& day,
                         std::set<cctz::civil_day>& seen) {
  std::string date = FormatIsoDate(day.date);
  if (day.date.year() != data.year) {
    return DateOutsideYear(day.where, day.date, data.year);
  }

  cctz::weekday weekday = cctz::get_weekday(day.date);
  if (!spec.rest_days[static_cast<int>(weekday)]) {
    return DataError(day.where,
                     fmt::format("调休上班日 {} 是{}，不是每周休息日（{}）；调休上班日必须是原本休息的日子，请检查日期",
                                 date, WeekdayNameZh(weekday), RestDayList(spec)),
                     fmt::format("make-up working day {} is a {}, not a weekly rest day ({}); a "
                                 "make-up working day must be a day that is normally off, so check "
                                 "the date",
                                 date, WeekdayName(weekday), RestDayList(spec)));
  }

  if (const Holiday* holiday = FindHoliday(data, day.date)) {
    return DataError(day.where,
                     fmt::format("调休上班日 {} 同时落在假日 '{}' 中；请从其中一处删除该日期", date, holiday->name.zh),
                     fmt::format("make-up working day {} is also inside holiday '{}'; remove the "
                                 "date from one of them",
                                 date, holiday->name.en));
  }

  if (!seen.insert(day.date).second) {
    return DataError(day.where, fmt::format("调休上班日 {} 重复出现；请删除重复的一项", date),
                     fmt::format("make-up working day {} is listed twice; remove the duplicate", date));
  }
  return OkStatus();
}

Status ValidateYear(const CalendarSpec& spec, const YearData& data) {
  for (const Holiday& holiday : data.holidays) {
    SR_RETURN_IF_ERROR(ValidateHolidayDates(data, holiday));
  }
  SR_RETURN_IF_ERROR(ValidateHolidaysDisjoint(data));

  std::set<cctz::civil_day> seen;
  for (const MakeUpWorkday& day : data.make_up_workdays) {
    SR_RETURN_IF_ERROR(ValidateMakeUpDay(spec, data, day, seen));
  }
  return OkStatus();
}

Status ValidateYears(const CalendarSpec& spec) {
  std::set<int> years;
  for (const YearData& data : spec.years) {
    if (!years.insert(data.year).second) {
      return DataError(data.where,
                       fmt::format("{} 年的数据出现了两次；每年只能有一个年度文件，请合并它们", data.year),
                       fmt::format("year {} is defined twice; keep one year file per year and merge "
                                   "the two",
                                   data.year));
    }
    SR_RETURN_IF_ERROR(ValidateYear(spec, data));
  }
  return OkStatus();
}

}  // namespace

Status ValidateSpec(const CalendarSpec& spec) {
  SR_RETURN_IF_ERROR(ValidateId(spec));
  SR_RETURN_IF_ERROR(ValidateWorkingHours(spec));
  SR_RETURN_IF_ERROR(ValidateRestDays(spec));
  SR_RETURN_IF_ERROR(ValidateYears(spec));
  return OkStatus();
}

}  // namespace salesradar::calendar
