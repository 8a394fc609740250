// The calendars known to one server, keyed by calendar id ("cn", "nl").
//
// Calendars are shared as std::shared_ptr<const BusinessCalendar>, so a caller that keeps one
// (an open absence window, for example) keeps using that version after an admin replaces it.
//
// Thread-safety: not thread-safe. Build a registry, then share it read-only; concurrent const
// calls are safe, but Add and Replace need external synchronisation with every other call.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/business_calendar.h"
#include "common/result.h"

namespace salesradar::calendar {

class CalendarRegistry {
 public:
  // Adds `calendar` under its id. Fails with kAlreadyExists when the id is taken.
  Status Add(BusinessCalendar calendar);

  // Adds `calendar`, or replaces the calendar with the same id.
  void Replace(BusinessCalendar calendar);

  // Returns the calendar with `id`. Fails with kNotFound, listing the known ids.
  Result<std::shared_ptr<const BusinessCalendar>> Find(std::string_view id) const;

  // Returns the ids in ascending order.
  std::vector<std::string> Ids() const;

  size_t size() const { return calendars_.size(); }

 private:
  std::map<std::string, std::shared_ptr<const BusinessCalendar>, std::less<>> calendars_;
};

}  // namespace salesradar::calendar
