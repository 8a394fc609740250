// Errors about calendar data, prefixed with the file and line they concern.
#pragma once

#include <string>

#include "calendar/calendar_spec.h"
#include "common/error.h"

namespace salesradar::calendar {

// Returns a kInvalidArgument error whose messages start with "FILE line N" ("FILE 第 N 行") when
// `where` names a file, and whose details carry `file` and `line`.
Error DataError(const SourceLocation& where, std::string message_zh, std::string message_en);

}  // namespace salesradar::calendar
