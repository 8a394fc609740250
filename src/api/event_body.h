// Reading the body of POST /api/v1/events: one event object, {"events": [...]}, or NDJSON with
// one event object per line. Every event is checked before any is committed.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/locale.h"
#include "common/result.h"
#include "rules/event.h"

namespace salesradar::api {

enum class EventBodyFormat { kJson, kNdjson };

// Returns the events of `body`, each with received_at = `received_at`. Returns kInvalidArgument
// when the body is not valid, listing every bad event in the details: key "line N" (NDJSON) or
// "events[N]" (JSON, 0-based), value the field, the problem and the fix in `locale`.
Result<std::vector<rules::Event>> ParseEventBody(std::string_view body, EventBodyFormat format, Timestamp received_at,
                                                 Locale locale);

}  // namespace salesradar::api
