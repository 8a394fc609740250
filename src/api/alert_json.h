// The JSON form of alerts, their history and tickets in the API and on the live stream, and the
// stream filter that passes an alert change only to users who may see the alert.
#pragma once

#include <nlohmann/json.hpp>

#include "auth/visibility.h"
#include "common/locale.h"
#include "rules/alert.h"
#include "server/sse.h"
#include "store/alert_query.h"

namespace salesradar::api {

// The SSE event type of alert changes on /api/v1/stream.
inline constexpr std::string_view kAlertStreamEvent = "alert";

// The alert as GET /api/v1/alerts/{id} returns it. `rule_name` comes from EngineHost::RuleName.
nlohmann::json AlertJson(const store::AlertRow& row, const LocalizedText& rule_name);

nlohmann::json AlertHistoryEntryJson(const rules::AlertHistoryEntry& entry);
nlohmann::json TicketJson(const rules::Ticket& ticket);

// The stream event of one alert's current state, with the owner's user id and org unit as
// attributes for AlertStreamFilter.
server::SseEvent AlertStreamEvent(const store::AlertRow& row, const LocalizedText& rule_name);

// Passes alert events whose owner `viewer` may see, by the rule that Store::ListAlerts applies:
// admins see all, reps their own, the other roles the owners in their org units.
server::SseFilter AlertStreamFilter(auth::Viewer viewer);

}  // namespace salesradar::api
