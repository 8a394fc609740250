#include "rules/state_json.h"

#include <string>

namespace salesradar::rules {
namespace {

using nlohmann::json;

// Thrown inside this file only, when an enum name is unknown; turned into kDataLoss below.
struct BadValue {
  std::string field;
  std::string value;
};

int64_t Micros(Timestamp t) { return ToUnixMicros(t); }
Timestamp TimeAt(const json& j, const char* key) { return FromUnixMicros(j.at(key).get<int64_t>()); }

json OptionalTime(const std::optional<Timestamp>& t) { return t ? json(Micros(*t)) : json(nullptr); }
std::optional<Timestamp> OptionalTimeAt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return FromUnixMicros(it->get<int64_t>());
}

json SubjectToJson(const SubjectRef& subject) { return {{"type", subject.type}, {"id", subject.id}}; }
SubjectRef SubjectFromJson(const json& j) { return {j.at("type").get<std::string>(), j.at("id").get<std::string>()}; }

json KeyToJson(const RuleSubjectKey& key) {
  return {{"pack", key.pack_id}, {"rule", key.rule_id}, {"subject", SubjectToJson(key.subject)}};
}
RuleSubjectKey KeyFromJson(const json& j) {
  return {j.at("pack").get<std::string>(), j.at("rule").get<std::string>(), SubjectFromJson(j.at("subject"))};
}

json TextToJson(const LocalizedText& text) { return {{"zh", text.zh}, {"en", text.en}}; }
LocalizedText TextFromJson(const json& j) { return {j.at("zh").get<std::string>(), j.at("en").get<std::string>()}; }

template <typename T>
T Enum(const json& j, const char* key, std::optional<T> (*parse)(std::string_view)) {
  std::string name = j.at(key).get<std::string>();
  std::optional<T> value = parse(name);
  if (!value) throw BadValue{key, name};
  return *value;
}

Event EventFrom(const json& j) {
  Event event;
  event.id = j.at("id").get<std::string>();
  event.type = j.at("type").get<std::string>();
  event.subject = SubjectFromJson(j.at("subject"));
  event.actor = j.at("actor").get<std::string>();
  event.occurred_at = TimeAt(j, "occurred_at");
  event.received_at = TimeAt(j, "received_at");
  event.payload = j.at("payload");
  event.origin_rule = j.at("origin_rule").get<std::string>();
  event.causation_depth = j.at("causation_depth").get<int>();
  return event;
}

json KeyOfAlertToJson(const AlertKey& key) {
  return {{"pack", key.pack_id},
          {"rule", key.rule_id},
          {"version", key.version},
          {"subject", SubjectToJson(key.subject)},
          {"occurrence", key.occurrence}};
}
AlertKey KeyOfAlertFrom(const json& j) {
  return {j.at("pack").get<std::string>(), j.at("rule").get<std::string>(), j.at("version").get<int64_t>(),
          SubjectFromJson(j.at("subject")), j.at("occurrence").get<std::string>()};
}

json HistoryToJson(const AlertHistoryEntry& entry) {
  return {{"sequence", entry.sequence},
          {"at", Micros(entry.at)},
          {"actor", entry.actor},
          {"action", AlertActionName(entry.action)},
          {"status", AlertStatusName(entry.status)},
          {"level", LevelName(entry.level)},
          {"note", entry.note},
          {"snoozed_until", OptionalTime(entry.snoozed_until)}};
}
AlertHistoryEntry HistoryFrom(const json& j) {
  AlertHistoryEntry entry;
  entry.sequence = j.at("sequence").get<int64_t>();
  entry.at = TimeAt(j, "at");
  entry.actor = j.at("actor").get<std::string>();
  entry.action = Enum<AlertAction>(j, "action", ParseAlertAction);
  entry.status = Enum<AlertStatus>(j, "status", ParseAlertStatus);
  entry.level = Enum<Level>(j, "level", ParseLevel);
  entry.note = j.at("note").get<std::string>();
  entry.snoozed_until = OptionalTimeAt(j, "snoozed_until");
  return entry;
}

std::string_view RoleName(Recipient::Role role) {
  switch (role) {
    case Recipient::Role::kOwner: return "owner";
    case Recipient::Role::kOwnerManager: return "owner_manager";
    case Recipient::Role::kDepartment: return "department";
  }
  return "owner";
}
std::optional<Recipient::Role> ParseRole(std::string_view name) {
  if (name == "owner") return Recipient::Role::kOwner;
  if (name == "owner_manager") return Recipient::Role::kOwnerManager;
  if (name == "department") return Recipient::Role::kDepartment;
  return std::nullopt;
}

Ticket TicketFrom(const json& j) {
  Ticket ticket;
  ticket.id = j.at("id").get<std::string>();
  ticket.department = j.at("department").get<std::string>();
  ticket.subject = SubjectFromJson(j.at("subject"));
  ticket.alert_id = j.at("alert_id").get<std::string>();
  ticket.status = Enum<TicketStatus>(j, "status", ParseTicketStatus);
  ticket.opened_at = TimeAt(j, "opened_at");
  ticket.closed_at = OptionalTimeAt(j, "closed_at");
  return ticket;
}

// Runs `read` and turns the exceptions of a malformed document into kDataLoss.
template <typename T, typename Read>
Result<T> Decode(const json& j, const char* what_zh, const char* what_en, Read read) {
  try {
    return read(j);
  } catch (const BadValue& bad) {
    return Error(ErrorCode::kDataLoss,
                 std::string("存储的") + what_zh + "数据损坏：字段 " + bad.field + " 的值 '" + bad.value + "' 未知",
                 std::string("stored ") + what_en + " is corrupt: field " + bad.field + " has the unknown value '" +
                     bad.value + "'");
  } catch (const json::exception& e) {
    return Error(ErrorCode::kDataLoss, std::string("存储的") + what_zh + "数据损坏：" + e.what(),
                 std::string("stored ") + what_en + " is corrupt: " + e.what());
  }
}

}  // namespace

json EventToJson(const Event& event) {
  return {{"id", event.id},
          {"type", event.type},
          {"subject", SubjectToJson(event.subject)},
          {"actor", event.actor},
          {"occurred_at", Micros(event.occurred_at)},
          {"received_at", Micros(event.received_at)},
          {"payload", event.payload},
          {"origin_rule", event.origin_rule},
          {"causation_depth", event.causation_depth}};
}

json WindowToJson(const WindowState& window) {
  return {{"key", KeyToJson(window.key)},
          {"version", window.version},
          {"trigger", EventToJson(window.trigger)},
          {"deadline", Micros(window.deadline)},
          {"alert_id", window.alert_id}};
}

json CounterToJson(const CounterState& counter) {
  json events = json::array();
  for (const CountedEvent& event : counter.events) {
    events.push_back({{"id", event.event_id}, {"at", Micros(event.occurred_at)}, {"continues", event.continues}});
  }
  json awaited = json::array();
  for (const Event& event : counter.recent_awaited) awaited.push_back(EventToJson(event));
  return {{"key", KeyToJson(counter.key)},
          {"version", counter.version},
          {"events", events},
          {"consumed_until", OptionalTime(counter.consumed_until)},
          {"crossed", counter.crossed},
          {"last_value_at", OptionalTime(counter.last_value_at)},
          {"recent_awaited", awaited}};
}

json AlertToJson(const Alert& alert) {
  json history = json::array();
  for (const AlertHistoryEntry& entry : alert.history) history.push_back(HistoryToJson(entry));
  return {{"id", alert.id},
          {"key", KeyOfAlertToJson(alert.key)},
          {"kind", RuleKindName(alert.kind)},
          {"level", LevelName(alert.level)},
          {"status", AlertStatusName(alert.status)},
          {"raised_at", Micros(alert.raised_at)},
          {"created_at", Micros(alert.created_at)},
          {"updated_at", Micros(alert.updated_at)},
          {"level_since", Micros(alert.level_since)},
          {"next_step", alert.next_step},
          {"escalation_due_at", OptionalTime(alert.escalation_due_at)},
          {"snoozed_until", OptionalTime(alert.snoozed_until)},
          {"resolved_at", OptionalTime(alert.resolved_at)},
          {"message", TextToJson(alert.message)},
          {"subject_name", alert.subject_name},
          {"owner_id", alert.owner_id},
          {"owner_manager_id", alert.owner_manager_id},
          {"ticket_id", alert.ticket_id},
          {"refire_count", alert.refire_count},
          {"history", history}};
}

json TicketToJson(const Ticket& ticket) {
  return {{"id", ticket.id},
          {"department", ticket.department},
          {"subject", SubjectToJson(ticket.subject)},
          {"alert_id", ticket.alert_id},
          {"status", TicketStatusName(ticket.status)},
          {"opened_at", Micros(ticket.opened_at)},
          {"closed_at", OptionalTime(ticket.closed_at)}};
}

json AlertChangeToJson(const AlertChange& change) {
  json recipients = json::array();
  for (const ResolvedRecipient& recipient : change.recipients) {
    recipients.push_back(
        {{"role", RoleName(recipient.role)}, {"user_id", recipient.user_id}, {"department", recipient.department}});
  }
  return {{"alert_id", change.alert_id},
          {"key", KeyOfAlertToJson(change.key)},
          {"action", AlertActionName(change.action)},
          {"level", LevelName(change.level)},
          {"status", AlertStatusName(change.status)},
          {"raised_at", Micros(change.raised_at)},
          {"at", Micros(change.at)},
          {"actor", change.actor},
          {"note", change.note},
          {"message", TextToJson(change.message)},
          {"recipients", recipients},
          {"ticket", change.ticket ? TicketToJson(*change.ticket) : json(nullptr)}};
}

Result<Event> EventFromJson(const json& j) { return Decode<Event>(j, "事件", "event", EventFrom); }

Result<WindowState> WindowFromJson(const json& j) {
  return Decode<WindowState>(j, "窗口", "window", [](const json& d) {
    WindowState window;
    window.key = KeyFromJson(d.at("key"));
    window.version = d.at("version").get<int64_t>();
    window.trigger = EventFrom(d.at("trigger"));
    window.deadline = TimeAt(d, "deadline");
    window.alert_id = d.at("alert_id").get<std::string>();
    return window;
  });
}

Result<CounterState> CounterFromJson(const json& j) {
  return Decode<CounterState>(j, "计数器", "counter", [](const json& d) {
    CounterState counter;
    counter.key = KeyFromJson(d.at("key"));
    counter.version = d.at("version").get<int64_t>();
    for (const json& event : d.at("events")) {
      counter.events.push_back(
          {event.at("id").get<std::string>(), TimeAt(event, "at"), event.at("continues").get<bool>()});
    }
    counter.consumed_until = OptionalTimeAt(d, "consumed_until");
    counter.crossed = d.at("crossed").get<bool>();
    counter.last_value_at = OptionalTimeAt(d, "last_value_at");
    for (const json& event : d.at("recent_awaited")) counter.recent_awaited.push_back(EventFrom(event));
    return counter;
  });
}

Result<Alert> AlertFromJson(const json& j) {
  return Decode<Alert>(j, "预警", "alert", [](const json& d) {
    Alert alert;
    alert.id = d.at("id").get<std::string>();
    alert.key = KeyOfAlertFrom(d.at("key"));
    alert.kind = Enum<RuleKind>(d, "kind", ParseRuleKind);
    alert.level = Enum<Level>(d, "level", ParseLevel);
    alert.status = Enum<AlertStatus>(d, "status", ParseAlertStatus);
    alert.raised_at = TimeAt(d, "raised_at");
    alert.created_at = TimeAt(d, "created_at");
    alert.updated_at = TimeAt(d, "updated_at");
    alert.level_since = TimeAt(d, "level_since");
    alert.next_step = d.at("next_step").get<size_t>();
    alert.escalation_due_at = OptionalTimeAt(d, "escalation_due_at");
    alert.snoozed_until = OptionalTimeAt(d, "snoozed_until");
    alert.resolved_at = OptionalTimeAt(d, "resolved_at");
    alert.message = TextFromJson(d.at("message"));
    alert.subject_name = d.at("subject_name").get<std::string>();
    alert.owner_id = d.at("owner_id").get<std::string>();
    alert.owner_manager_id = d.at("owner_manager_id").get<std::string>();
    alert.ticket_id = d.at("ticket_id").get<std::string>();
    alert.refire_count = d.at("refire_count").get<int64_t>();
    for (const json& entry : d.at("history")) alert.history.push_back(HistoryFrom(entry));
    return alert;
  });
}

Result<Ticket> TicketFromJson(const json& j) { return Decode<Ticket>(j, "工单", "ticket", TicketFrom); }

Result<AlertChange> AlertChangeFromJson(const json& j) {
  return Decode<AlertChange>(j, "预警变更", "alert change", [](const json& d) {
    AlertChange change;
    change.alert_id = d.at("alert_id").get<std::string>();
    change.key = KeyOfAlertFrom(d.at("key"));
    change.action = Enum<AlertAction>(d, "action", ParseAlertAction);
    change.level = Enum<Level>(d, "level", ParseLevel);
    change.status = Enum<AlertStatus>(d, "status", ParseAlertStatus);
    change.raised_at = TimeAt(d, "raised_at");
    change.at = TimeAt(d, "at");
    change.actor = d.at("actor").get<std::string>();
    change.note = d.at("note").get<std::string>();
    change.message = TextFromJson(d.at("message"));
    for (const json& recipient : d.at("recipients")) {
      ResolvedRecipient resolved;
      resolved.role = Enum<Recipient::Role>(recipient, "role", ParseRole);
      resolved.user_id = recipient.at("user_id").get<std::string>();
      resolved.department = recipient.at("department").get<std::string>();
      change.recipients.push_back(std::move(resolved));
    }
    if (!d.at("ticket").is_null()) change.ticket = TicketFrom(d.at("ticket"));
    return change;
  });
}

}  // namespace salesradar::rules
