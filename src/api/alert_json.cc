#include "api/alert_json.h"

#include "api/request_io.h"

namespace salesradar::api {
namespace {

constexpr const char* kOwnerUserAttribute = "owner_user_id";
constexpr const char* kOwnerUnitAttribute = "owner_unit_id";

nlohmann::json OptionalTime(const std::optional<Timestamp>& time) {
  return time ? nlohmann::json(FormatTime(*time)) : nlohmann::json(nullptr);
}

nlohmann::json Text(const LocalizedText& text) { return {{"zh", text.zh}, {"en", text.en}}; }

nlohmann::json OwnerJson(const store::AlertRow& row) {
  if (row.alert.owner_id.empty()) return nullptr;
  return {{"external_id", row.alert.owner_id},
          {"user_id", row.owner_user_id ? nlohmann::json(*row.owner_user_id) : nlohmann::json(nullptr)},
          {"name", row.owner_name}};
}

}  // namespace

nlohmann::json AlertJson(const store::AlertRow& row, const LocalizedText& rule_name) {
  const rules::Alert& alert = row.alert;
  return {{"id", alert.id},
          {"pack_id", alert.key.pack_id},
          {"rule_id", alert.key.rule_id},
          {"rule_version", alert.key.version},
          {"rule_name", Text(rule_name)},
          {"kind", rules::RuleKindName(alert.kind)},
          {"level", rules::LevelName(alert.level)},
          {"status", rules::AlertStatusName(alert.status)},
          {"subject", {{"type", alert.key.subject.type}, {"id", alert.key.subject.id}, {"name", alert.subject_name}}},
          {"owner", OwnerJson(row)},
          {"message", Text(alert.message)},
          {"raised_at", FormatTime(alert.raised_at)},
          {"created_at", FormatTime(alert.created_at)},
          {"updated_at", FormatTime(alert.updated_at)},
          {"escalation_due_at", OptionalTime(alert.escalation_due_at)},
          {"snoozed_until", OptionalTime(alert.snoozed_until)},
          {"resolved_at", OptionalTime(alert.resolved_at)},
          {"ticket_id", alert.ticket_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(alert.ticket_id)},
          {"refire_count", alert.refire_count},
          {"history_count", row.history_count}};
}

nlohmann::json AlertHistoryEntryJson(const rules::AlertHistoryEntry& entry) {
  return {{"sequence", entry.sequence},
          {"at", FormatTime(entry.at)},
          {"actor", entry.actor},
          {"action", rules::AlertActionName(entry.action)},
          {"status", rules::AlertStatusName(entry.status)},
          {"level", rules::LevelName(entry.level)},
          {"note", entry.note},
          {"snoozed_until", OptionalTime(entry.snoozed_until)}};
}

nlohmann::json TicketJson(const rules::Ticket& ticket) {
  return {{"id", ticket.id},
          {"department", ticket.department},
          {"subject", {{"type", ticket.subject.type}, {"id", ticket.subject.id}}},
          {"alert_id", ticket.alert_id},
          {"status", rules::TicketStatusName(ticket.status)},
          {"opened_at", FormatTime(ticket.opened_at)},
          {"closed_at", OptionalTime(ticket.closed_at)}};
}

server::SseEvent AlertStreamEvent(const store::AlertRow& row, const LocalizedText& rule_name) {
  server::SseEvent event;
  event.event = std::string(kAlertStreamEvent);
  event.data = AlertJson(row, rule_name).dump();
  if (row.owner_user_id) event.attributes[kOwnerUserAttribute] = std::to_string(*row.owner_user_id);
  if (row.owner_unit_id) event.attributes[kOwnerUnitAttribute] = std::to_string(*row.owner_unit_id);
  return event;
}

server::SseFilter AlertStreamFilter(auth::Viewer viewer) {
  return [viewer = std::move(viewer)](const server::SseEvent& event) {
    if (event.event != kAlertStreamEvent) return true;
    if (viewer.role == auth::Role::kAdmin) return true;

    auto owner = event.attributes.find(kOwnerUserAttribute);
    if (owner != event.attributes.end() && owner->second == std::to_string(viewer.user_id)) return true;
    if (viewer.role == auth::Role::kRep) return false;

    auto unit = event.attributes.find(kOwnerUnitAttribute);
    if (unit == event.attributes.end()) return false;
    return viewer.SeesUnit(std::stoll(unit->second));
  };
}

}  // namespace salesradar::api
