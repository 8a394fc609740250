// Time windows as rule packs write them: wall time ("48h", "30m", "3d") or business time on a
// calendar ("2 workdays", "16 work_hours", "90 work_minutes").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "calendar/business_calendar.h"
#include "common/clock.h"
#include "common/result.h"

namespace salesradar::calendar {

enum class WindowUnit {
  kMinutes,      // "m": elapsed minutes
  kHours,        // "h": elapsed hours
  kDays,         // "d": 24 elapsed hours, not a local calendar day
  kWorkMinutes,  // "work_minutes": minutes of working time on a calendar
  kWorkHours,    // "work_hours": hours of working time on a calendar
  kWorkdays,     // "workdays": working days on a calendar, see BusinessCalendar::AddWorkdays
};

struct Window {
  int64_t count = 0;  // at least 1
  WindowUnit unit = WindowUnit::kHours;

  // True for the units that need a business calendar.
  bool IsBusinessTime() const;

  // Returns the length of a wall-time or working-time window. REQUIRES: unit is not kWorkdays.
  Microseconds Duration() const;

  friend bool operator==(const Window&, const Window&) = default;
};

// The largest count of each unit that ParseWindow accepts, about 10 years of wall time.
int64_t MaxWindowCount(WindowUnit unit);

// Parses "<whole number> <unit>" with optional spaces around and between the two. Units: m, h, d,
// workday(s), work_hour(s), work_minute(s). Fails with kInvalidArgument naming the text and the
// accepted forms for anything else: an empty text, a sign, a fraction, zero, a count above
// MaxWindowCount or an unknown unit.
Result<Window> ParseWindow(std::string_view text);

// Returns the canonical text of `window`, such as "48h" or "2 workdays"; ParseWindow reads it back.
std::string FormatWindow(const Window& window);

// Returns `start` plus `duration` of elapsed time. Across a daylight-saving change the local clock
// time of the result moves by the change.
Timestamp AddWallTime(Timestamp start, Microseconds duration);

// Returns the instant at which `window` started at `start` ends: AddWallTime for wall-time units,
// AddWorkingTime or AddWorkdays on `calendar` for business-time units. Fails as those do.
Result<Timestamp> WindowEnd(const BusinessCalendar& calendar, Timestamp start, const Window& window);

}  // namespace salesradar::calendar
