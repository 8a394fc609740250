#include "calendar/calendar_registry.h"

#include <utility>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace salesradar::calendar {

Status CalendarRegistry::Add(BusinessCalendar calendar) {
  std::string id = calendar.id();
  if (calendars_.count(id) > 0) {
    return Error(ErrorCode::kAlreadyExists,
                 fmt::format("日历 '{}' 已存在；请换一个 id，或替换现有日历", id),
                 fmt::format("calendar '{}' already exists; choose another id or replace the "
                             "existing calendar",
                             id));
  }
  calendars_.emplace(std::move(id), std::make_shared<const BusinessCalendar>(std::move(calendar)));
  return OkStatus();
}

void CalendarRegistry::Replace(BusinessCalendar calendar) {
  std::string id = calendar.id();
  calendars_[id] = std::make_shared<const BusinessCalendar>(std::move(calendar));
}

Result<std::shared_ptr<const BusinessCalendar>> CalendarRegistry::Find(std::string_view id) const {
  auto found = calendars_.find(id);
  if (found != calendars_.end()) {
    return found->second;
  }

  std::vector<std::string> ids = Ids();
  std::string known = ids.empty() ? std::string("-") : fmt::format("{}", fmt::join(ids, ", "));
  return NotFound(fmt::format("找不到日历 '{}'；已知的日历有：{}", id, known),
                  fmt::format("calendar '{}' not found; the known calendars are: {}", id, known));
}

std::vector<std::string> CalendarRegistry::Ids() const {
  std::vector<std::string> ids;
  for (const auto& entry : calendars_) {
    ids.push_back(entry.first);
  }
  return ids;
}

}  // namespace salesradar::calendar
