// Checks a CalendarSpec for mistakes that BusinessCalendar::Create must reject.
#pragma once

#include "calendar/calendar_spec.h"
#include "common/result.h"

namespace salesradar::calendar {

// Checks the id, working hours, rest days and every year's holidays and make-up working days.
// Does not check the time zone name, which only loading it can prove. Returns the first problem
// found as a kInvalidArgument error naming the file, line, value and fix.
Status ValidateSpec(const CalendarSpec& spec);

}  // namespace salesradar::calendar
