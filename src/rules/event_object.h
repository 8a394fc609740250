// The CEL face of an Event: `event.type`, `event.payload.amount`, `trigger.subject_id` ...
#pragma once

#include "cel/env.h"
#include "cel/value.h"
#include "rules/event.h"

namespace salesradar::rules {

// The name of the CEL object type of events.
inline constexpr std::string_view kEventTypeName = "Event";

// Declares the fields of Event for the checker:
//   id, type, subject_type, subject_id, actor, origin_rule: string
//   occurred_at, received_at: timestamp
//   payload: map(string, dyn)
//   causation_depth: int
cel::MessageDecl EventMessageDecl();

// Converts between the program's Timestamp (microseconds) and CEL's Time.
cel::Time ToCelTime(Timestamp t);
Timestamp FromCelTime(cel::Time t);

// An Event read by field name. The Event must outlive every evaluation that uses this object.
class EventObject final : public cel::ObjectValue {
 public:
  explicit EventObject(const Event* event) : event_(event) {}

  std::string_view TypeName() const override { return kEventTypeName; }
  std::optional<cel::Value> Field(std::string_view name, cel::Arena& arena) const override;
  bool HasField(std::string_view name) const override;

 private:
  const Event* event_;
};

}  // namespace salesradar::rules
