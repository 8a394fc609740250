#include "calendar/test_calendars.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "calendar/civil_text.h"

namespace salesradar::calendar::testing {
namespace {

[[noreturn]] void Fail(const std::string& message) {
  std::fprintf(stderr, "test setup failed: %s\n", message.c_str());
  std::abort();
}

}  // namespace

std::string ReadSourceFile(const std::string& relative_path) {
  std::string path = std::string(SALESRADAR_SOURCE_DIR) + "/" + relative_path;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    Fail("cannot read " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

CalendarFile ShippedCalendarFile(const std::string& id) {
  std::string name = id + "/calendar.yaml";
  return CalendarFile{name, ReadSourceFile("examples/calendars/" + name)};
}

std::vector<CalendarFile> ShippedYearFiles(const std::string& id) {
  std::vector<std::string> years = id == "cn" ? std::vector<std::string>{"2025", "2026"}
                                              : std::vector<std::string>{"2011", "2012"};
  std::vector<CalendarFile> files;
  for (const std::string& year : years) {
    std::string name = id + "/" + year + ".yaml";
    files.push_back(CalendarFile{name, ReadSourceFile("examples/calendars/" + name)});
  }
  return files;
}

BusinessCalendar LoadShipped(const std::string& id) {
  Result<BusinessCalendar> calendar = LoadCalendar(ShippedCalendarFile(id), ShippedYearFiles(id));
  if (!calendar.ok()) {
    Fail(calendar.error().ToLogString());
  }
  return std::move(calendar).value();
}

BusinessCalendar LoadInline(const std::string& calendar_yaml) {
  Result<BusinessCalendar> calendar = LoadCalendar(CalendarFile{"inline.yaml", calendar_yaml}, {});
  if (!calendar.ok()) {
    Fail(calendar.error().ToLogString());
  }
  return std::move(calendar).value();
}

Timestamp Local(const BusinessCalendar& calendar, std::string_view text) {
  std::optional<cctz::civil_day> day = ParseIsoDate(text.substr(0, 10));
  std::optional<int> minutes = text.size() >= 16 ? ParseTimeOfDay(text.substr(11, 5)) : std::nullopt;
  int seconds = text.size() == 19 ? std::atoi(std::string(text.substr(17, 2)).c_str()) : 0;
  if (!day.has_value() || !minutes.has_value()) {
    Fail("bad local time in test: " + std::string(text));
  }
  return calendar.FromLocal(cctz::civil_second(*day) + *minutes * 60 + seconds);
}

}  // namespace salesradar::calendar::testing
