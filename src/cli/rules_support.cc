#include "cli/rules_support.h"

#include <filesystem>
#include <iostream>

#include <cctz/time_zone.h>

#include "common/logging.h"

namespace salesradar::cli {

namespace fs = std::filesystem;

namespace {

cctz::time_zone LoadZone(const std::string& zone_name) {
  cctz::time_zone zone;
  if (!cctz::load_time_zone(zone_name, &zone)) zone = cctz::utc_time_zone();
  return zone;
}

}  // namespace

std::string FormatTime(Timestamp t, const std::string& zone_name) {
  return cctz::format("%Y-%m-%d %H:%M:%S", t, LoadZone(zone_name));
}

Result<Timestamp> ParseDayStart(std::string_view text, const std::string& zone_name) {
  Timestamp parsed;
  if (cctz::parse("%Y-%m-%d", std::string(text), LoadZone(zone_name), &parsed)) return parsed;
  return InvalidArgument("日期 '" + std::string(text) + "' 无效；请写成 YYYY-MM-DD",
                         "invalid date '" + std::string(text) + "'; write YYYY-MM-DD");
}

Status CheckDatabaseExists(const std::string& database) {
  std::string_view path = database;
  for (std::string_view prefix : {"sqlite://", "sqlite:"}) {
    if (path.starts_with(prefix)) {
      path.remove_prefix(prefix.size());
      break;
    }
  }
  std::error_code error;
  if (path == ":memory:" || path.find("://") != std::string_view::npos || fs::exists(fs::path(path), error)) {
    return OkStatus();
  }
  return Error(ErrorCode::kFailedPrecondition,
               "数据库 '" + database + "' 不存在；请先用 salesradar events import 导入事件",
               "database '" + database + "' does not exist; import events first with `salesradar events import`");
}

int PrintCommandError(const Error& error, Locale locale, std::string_view module) {
  std::cerr << (locale == Locale::kEnglish ? "error: " : "错误：") << error.message(locale) << "\n";
  Logger(std::string(module))->debug("command failed: {}", error.ToLogString());
  return error.code() == ErrorCode::kInvalidArgument ? 2 : 1;
}

}  // namespace salesradar::cli
