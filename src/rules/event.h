// The events that rules match: activities, record changes and scores, each about one subject.
#pragma once

#include <compare>
#include <string>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/result.h"

namespace salesradar::rules {

// The entity an event or an alert concerns, such as {"lead", "L-1042"}. The id is the one the
// caller uses for that type (an external id or an internal id written as text).
struct SubjectRef {
  std::string type;
  std::string id;

  // Returns "type/id", for logs and messages.
  std::string ToString() const;

  friend auto operator<=>(const SubjectRef&, const SubjectRef&) = default;
};

struct Event {
  std::string id;  // unique across all events; a second event with the same id is a duplicate
  std::string type;  // such as "lead_created" or "visit_checked_in"
  SubjectRef subject;
  std::string actor;  // the user who acted; empty for system events
  Timestamp occurred_at;  // event time: when it happened, which decides windows
  Timestamp received_at;  // arrival time, for diagnostics only
  nlohmann::json payload = nlohmann::json::object();  // always a JSON object

  // Loop protection. An event that an alert caused (the edge turns an alert into a task or a
  // record change) names the rule as "pack/rule" and counts how many rule actions led to it.
  std::string origin_rule;
  int causation_depth = 0;

  friend bool operator==(const Event&, const Event&) = default;
};

// Checks the fields that the engine relies on: non-empty id, type, subject type and subject id,
// a payload that is a JSON object, and a causation depth of 0 or more. Returns kInvalidArgument
// naming the event and the field otherwise.
Status ValidateEvent(const Event& event);

}  // namespace salesradar::rules
