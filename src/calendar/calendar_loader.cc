#include "calendar/calendar_loader.h"

#include <optional>
#include <utility>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "calendar/civil_text.h"
#include "calendar/data_error.h"
#include "calendar/yaml_fields.h"

namespace salesradar::calendar {
namespace {

// Parses "HH:MM-HH:MM".
Result<WorkingInterval> ParseWorkingInterval(const std::string& file, const YAML::Node& node) {
  SourceLocation where = LocationOf(file, node);
  std::string text = node.IsScalar() ? node.Scalar() : std::string();
  size_t dash = text.find('-');

  std::optional<int> begin;
  std::optional<int> end;
  if (dash != std::string::npos) {
    begin = ParseTimeOfDay(text.substr(0, dash));
    end = ParseTimeOfDay(text.substr(dash + 1));
  }
  if (!begin.has_value() || !end.has_value()) {
    return DataError(where,
                     fmt::format("工作时间 '{}' 无效；请写成 \"HH:MM-HH:MM\"（24 小时制），例如 \"09:00-12:00\"", text),
                     fmt::format("working hours '{}' are invalid; write \"HH:MM-HH:MM\" in 24-hour "
                                 "time, for example \"09:00-12:00\"",
                                 text));
  }
  return WorkingInterval{*begin, *end, where};
}

Status ReadWorkingHours(const std::string& file, const YAML::Node& root, CalendarSpec& spec) {
  SR_ASSIGN_OR_RETURN(YAML::Node hours, ReadSequence(file, root, "working_hours"));
  for (const YAML::Node& item : hours) {
    SR_ASSIGN_OR_RETURN(WorkingInterval interval, ParseWorkingInterval(file, item));
    spec.working_hours.push_back(std::move(interval));
  }
  return OkStatus();
}

Status ReadRestDays(const std::string& file, const YAML::Node& root, CalendarSpec& spec) {
  if (!root["rest_days"].IsDefined()) {
    return OkStatus();  // keep the default, Saturday and Sunday
  }

  SR_ASSIGN_OR_RETURN(YAML::Node days, ReadSequence(file, root, "rest_days"));
  spec.rest_days.fill(false);
  for (const YAML::Node& item : days) {
    std::string text = item.IsScalar() ? item.Scalar() : std::string();
    std::optional<cctz::weekday> day = ParseWeekday(text);
    if (!day.has_value()) {
      return DataError(LocationOf(file, item),
                       fmt::format("休息日 '{}' 无效；请使用小写英文星期名：monday … sunday", text),
                       fmt::format("rest day '{}' is invalid; use a lower-case English weekday: "
                                   "monday ... sunday",
                                   text));
    }
    spec.rest_days[static_cast<int>(*day)] = true;
  }
  return OkStatus();
}

Status ReadMissingYears(const std::string& file, const YAML::Node& root, CalendarSpec& spec) {
  SR_ASSIGN_OR_RETURN(std::string policy, ReadScalar(file, root, "missing_years", false));
  if (policy.empty() || policy == "weekly_pattern") {
    spec.missing_years = MissingYearPolicy::kWeeklyPattern;
    return OkStatus();
  }
  if (policy == "error") {
    spec.missing_years = MissingYearPolicy::kError;
    return OkStatus();
  }
  return DataError(LocationOf(file, root["missing_years"]),
                   fmt::format("missing_years 的值 '{}' 无效；请写 weekly_pattern 或 error", policy),
                   fmt::format("missing_years '{}' is invalid; write weekly_pattern or error", policy));
}

Result<Holiday> ReadHoliday(const std::string& file, const YAML::Node& node) {
  SourceLocation where = LocationOf(file, node);
  if (!node.IsMap()) {
    return DataError(where, "每个假日必须是映射，包含 name 以及 date 或 from/to",
                     "each holiday must be a mapping with name and either date or from/to");
  }
  SR_RETURN_IF_ERROR(CheckKnownKeys(file, node, {"name", "date", "from", "to"}));

  Holiday holiday;
  holiday.where = where;
  SR_ASSIGN_OR_RETURN(holiday.name, ReadName(file, node, "name"));

  bool single = node["date"].IsDefined();
  bool range = node["from"].IsDefined() || node["to"].IsDefined();
  if (single == range) {
    return DataError(where,
                     fmt::format("假日 '{}' 必须只写 date（单日）或只写 from 和 to（连续多日）", holiday.name.zh),
                     fmt::format("holiday '{}' needs either date (one day) or from and to (several "
                                 "days), not both or neither",
                                 holiday.name.en));
  }
  if (single) {
    SR_ASSIGN_OR_RETURN(holiday.first, ReadDate(file, node, "date"));
    holiday.last = holiday.first;
  } else {
    SR_ASSIGN_OR_RETURN(holiday.first, ReadDate(file, node, "from"));
    SR_ASSIGN_OR_RETURN(holiday.last, ReadDate(file, node, "to"));
  }
  return holiday;
}

Result<MakeUpWorkday> ReadMakeUpWorkday(const std::string& file, const YAML::Node& node) {
  SourceLocation where = LocationOf(file, node);
  if (!node.IsMap()) {
    return DataError(where, "每个调休上班日必须是映射，包含 date 和 name",
                     "each make-up working day must be a mapping with date and name");
  }
  SR_RETURN_IF_ERROR(CheckKnownKeys(file, node, {"name", "date"}));

  MakeUpWorkday day;
  day.where = where;
  SR_ASSIGN_OR_RETURN(day.date, ReadDate(file, node, "date"));
  SR_ASSIGN_OR_RETURN(day.name, ReadName(file, node, "name"));
  return day;
}

Result<int> ReadYear(const std::string& file, const YAML::Node& root) {
  SR_ASSIGN_OR_RETURN(std::string text, ReadScalar(file, root, "year", true));
  bool digits = text.size() == 4 && text.find_first_not_of("0123456789") == std::string::npos;
  int year = digits ? std::stoi(text) : 0;
  if (year < 1900 || year > 2200) {
    return DataError(LocationOf(file, root["year"]),
                     fmt::format("年份 '{}' 无效；请写 1900 到 2200 之间的四位数年份", text),
                     fmt::format("year '{}' is invalid; write a four-digit year from 1900 to 2200", text));
  }
  return year;
}

// Returns the year named by a file such as "cn/2026.yaml", or nullopt when the stem is not a year.
std::optional<int> YearFromFileName(const std::string& name) {
  size_t slash = name.find_last_of("/\\");
  std::string stem = name.substr(slash == std::string::npos ? 0 : slash + 1);
  stem = stem.substr(0, stem.find('.'));
  if (stem.size() != 4 || stem.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return std::stoi(stem);
}

}  // namespace

Result<CalendarSpec> ParseCalendarFile(const CalendarFile& file) {
  SR_ASSIGN_OR_RETURN(YAML::Node root, ParseYamlMapping(file.name, file.text));
  SR_RETURN_IF_ERROR(CheckKnownKeys(file.name, root,
                                    {"id", "name", "zone", "working_hours", "rest_days", "missing_years"}));

  CalendarSpec spec;
  spec.where = SourceLocation{file.name, 0};
  SR_ASSIGN_OR_RETURN(spec.id, ReadScalar(file.name, root, "id", true));
  spec.where = LocationOf(file.name, root["id"]);
  if (root["name"].IsDefined()) {
    SR_ASSIGN_OR_RETURN(spec.name, ReadName(file.name, root, "name"));
  } else {
    spec.name = LocalizedName{spec.id, spec.id};
  }

  SR_ASSIGN_OR_RETURN(std::string zone, ReadScalar(file.name, root, "zone", false));
  if (!zone.empty()) {
    spec.zone = zone;
    spec.zone_where = LocationOf(file.name, root["zone"]);
  }

  SR_RETURN_IF_ERROR(ReadWorkingHours(file.name, root, spec));
  SR_RETURN_IF_ERROR(ReadRestDays(file.name, root, spec));
  SR_RETURN_IF_ERROR(ReadMissingYears(file.name, root, spec));
  return spec;
}

Result<YearData> ParseYearFile(const CalendarFile& file) {
  SR_ASSIGN_OR_RETURN(YAML::Node root, ParseYamlMapping(file.name, file.text));
  SR_RETURN_IF_ERROR(CheckKnownKeys(file.name, root, {"year", "source", "holidays", "make_up_workdays"}));

  YearData data;
  SR_ASSIGN_OR_RETURN(data.year, ReadYear(file.name, root));
  data.where = LocationOf(file.name, root["year"]);
  std::optional<int> named_year = YearFromFileName(file.name);
  if (named_year.has_value() && *named_year != data.year) {
    return DataError(data.where,
                     fmt::format("文件名表示 {} 年，但 year 写的是 {}；请让两者一致", *named_year, data.year),
                     fmt::format("the file name says {} but its year field says {}; make them agree",
                                 *named_year, data.year));
  }
  SR_ASSIGN_OR_RETURN(data.source, ReadScalar(file.name, root, "source", false));

  SR_ASSIGN_OR_RETURN(YAML::Node holidays, ReadSequence(file.name, root, "holidays"));
  for (const YAML::Node& item : holidays) {
    SR_ASSIGN_OR_RETURN(Holiday holiday, ReadHoliday(file.name, item));
    data.holidays.push_back(std::move(holiday));
  }

  SR_ASSIGN_OR_RETURN(YAML::Node make_up_days, ReadSequence(file.name, root, "make_up_workdays"));
  for (const YAML::Node& item : make_up_days) {
    SR_ASSIGN_OR_RETURN(MakeUpWorkday day, ReadMakeUpWorkday(file.name, item));
    data.make_up_workdays.push_back(std::move(day));
  }
  return data;
}

Result<BusinessCalendar> LoadCalendar(const CalendarFile& calendar_file,
                                      const std::vector<CalendarFile>& year_files) {
  SR_ASSIGN_OR_RETURN(CalendarSpec spec, ParseCalendarFile(calendar_file));
  for (const CalendarFile& file : year_files) {
    SR_ASSIGN_OR_RETURN(YearData data, ParseYearFile(file));
    spec.years.push_back(std::move(data));
  }
  return BusinessCalendar::Create(std::move(spec));
}

}  // namespace salesradar::calendar
