// JSON forms of events, engine state, alerts, tickets and alert changes, so that a store can
// keep each as one text column and the API can return them. Timestamps are integers of
// microseconds since the Unix epoch (UTC); enums are their snake_case names.
#pragma once

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "rules/alert.h"
#include "rules/event.h"
#include "rules/state.h"

namespace salesradar::rules {

nlohmann::json EventToJson(const Event& event);
nlohmann::json WindowToJson(const WindowState& window);
nlohmann::json CounterToJson(const CounterState& counter);
nlohmann::json AlertToJson(const Alert& alert);
nlohmann::json TicketToJson(const Ticket& ticket);
nlohmann::json AlertChangeToJson(const AlertChange& change);

// Each returns kDataLoss naming the missing or malformed field when `json` is not in the form
// that the matching ...ToJson writes.
Result<Event> EventFromJson(const nlohmann::json& json);
Result<WindowState> WindowFromJson(const nlohmann::json& json);
Result<CounterState> CounterFromJson(const nlohmann::json& json);
Result<Alert> AlertFromJson(const nlohmann::json& json);
Result<Ticket> TicketFromJson(const nlohmann::json& json);
Result<AlertChange> AlertChangeFromJson(const nlohmann::json& json);

}  // namespace salesradar::rules
