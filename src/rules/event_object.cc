#include "rules/event_object.h"

#include "rules/json_value.h"

namespace salesradar::rules {

cel::MessageDecl EventMessageDecl() {
  cel::MessageDecl decl;
  decl.name = std::string(kEventTypeName);
  decl.fields = {
      {"id", cel::Type::String()},
      {"type", cel::Type::String()},
      {"subject_type", cel::Type::String()},
      {"subject_id", cel::Type::String()},
      {"actor", cel::Type::String()},
      {"occurred_at", cel::Type::Timestamp()},
      {"received_at", cel::Type::Timestamp()},
      {"payload", cel::Type::Map(cel::Type::String(), cel::Type::Dyn())},
      {"origin_rule", cel::Type::String()},
      {"causation_depth", cel::Type::Int()},
  };
  return decl;
}

cel::Time ToCelTime(Timestamp t) {
  int64_t micros = ToUnixMicros(t);
  int64_t seconds = micros / 1'000'000;
  int64_t rest = micros % 1'000'000;
  if (rest < 0) {
    rest += 1'000'000;
    seconds -= 1;
  }
  return cel::Time{seconds, static_cast<int32_t>(rest * 1000)};
}

Timestamp FromCelTime(cel::Time t) { return FromUnixMicros(t.seconds * 1'000'000 + t.nanos / 1000); }

std::optional<cel::Value> EventObject::Field(std::string_view name, cel::Arena& arena) const {
  if (name == "id") return cel::Value::String(event_->id);
  if (name == "type") return cel::Value::String(event_->type);
  if (name == "subject_type") return cel::Value::String(event_->subject.type);
  if (name == "subject_id") return cel::Value::String(event_->subject.id);
  if (name == "actor") return cel::Value::String(event_->actor);
  if (name == "occurred_at") return cel::Value::Timestamp(ToCelTime(event_->occurred_at));
  if (name == "received_at") return cel::Value::Timestamp(ToCelTime(event_->received_at));
  if (name == "payload") {
    if (!event_->payload.is_object()) return cel::Value::Error("event payload is not a JSON object");
    return JsonObjectToCelMap(event_->payload, arena);
  }
  if (name == "origin_rule") return cel::Value::String(event_->origin_rule);
  if (name == "causation_depth") return cel::Value::Int(event_->causation_depth);
  return std::nullopt;
}

bool EventObject::HasField(std::string_view name) const {
  if (name == "actor") return !event_->actor.empty();
  if (name == "origin_rule") return !event_->origin_rule.empty();
  return name == "id" || name == "type" || name == "subject_type" || name == "subject_id" ||
         name == "occurred_at" || name == "received_at" || name == "payload" || name == "causation_depth";
}

}  // namespace salesradar::rules
