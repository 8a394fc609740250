#include "api/rule_support.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <cctz/time_zone.h>

#include "calendar/calendar_loader.h"
#include "store/store_subject_resolver.h"

namespace salesradar::api {

namespace fs = std::filesystem;

std::string DefaultCalendarDir() {
  if (const char* dir = std::getenv("SALESRADAR_CALENDAR_DIR"); dir != nullptr && *dir != '\0') return dir;
  return "examples/calendars";
}

Result<std::string> ReadTextFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return NotFound("无法读取文件 '" + path.string() + "'；请检查路径和权限",
                    "cannot read file '" + path.string() + "'; check the path and its permissions");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<std::unique_ptr<calendar::CalendarRegistry>> LoadCalendarDir(const fs::path& dir) {
  std::error_code error;
  if (!fs::is_directory(dir, error)) {
    return NotFound("日历目录 '" + dir.string() + "' 不存在；请用 --calendar-dir 指定，例如 examples/calendars",
                    "calendar folder '" + dir.string() + "' does not exist; pass --calendar-dir, "
                    "for example examples/calendars");
  }

  auto registry = std::make_unique<calendar::CalendarRegistry>();
  for (const fs::directory_entry& folder : fs::directory_iterator(dir)) {
    fs::path main_file = folder.path() / "calendar.yaml";
    if (!folder.is_directory() || !fs::exists(main_file)) continue;

    std::string id = folder.path().filename().string();
    SR_ASSIGN_OR_RETURN(std::string main_text, ReadTextFile(main_file));
    std::vector<calendar::CalendarFile> years;
    for (const fs::directory_entry& file : fs::directory_iterator(folder.path())) {
      if (file.path().filename() == "calendar.yaml" || file.path().extension() != ".yaml") continue;
      SR_ASSIGN_OR_RETURN(std::string text, ReadTextFile(file.path()));
      years.push_back({id + "/" + file.path().filename().string(), std::move(text)});
    }

    SR_ASSIGN_OR_RETURN(calendar::BusinessCalendar loaded,
                        calendar::LoadCalendar({id + "/calendar.yaml", std::move(main_text)}, years));
    SR_RETURN_IF_ERROR(registry->Add(std::move(loaded)));
  }
  return registry;
}

Result<rules::CompileContext> BuildCompileContext(store::Store& store, const calendar::CalendarRegistry& calendars) {
  rules::CompileContext context;
  SR_ASSIGN_OR_RETURN(context.subjects, store::LoadSubjectSchemas(store));
  context.calendars = &calendars;
  return context;
}

Result<Timestamp> ParseOffsetTime(std::string_view text) {
  Timestamp parsed;
  std::string input(text);
  for (const char* format : {"%Y-%m-%dT%H:%M:%E*S%Ez", "%Y-%m-%dT%H:%M:%E*SZ", "%Y-%m-%d %H:%M:%E*S%Ez"}) {
    if (cctz::parse(format, input, cctz::utc_time_zone(), &parsed)) return parsed;
  }
  return InvalidArgument("时间 '" + input + "' 无效；请写成 2011-10-01T11:45:11.380+02:00 这样带时区偏移的格式",
                         "invalid time '" + input + "'; write it with a UTC offset, as in "
                         "2011-10-01T11:45:11.380+02:00");
}

}  // namespace salesradar::api
