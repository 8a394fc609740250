#include "rules/alert.h"

#include <array>
#include <cassert>
#include <utility>

namespace salesradar::rules {
namespace {

constexpr std::array<std::pair<AlertStatus, std::string_view>, 5> kStatusNames = {{
    {AlertStatus::kOpen, "open"},
    {AlertStatus::kAcknowledged, "acknowledged"},
    {AlertStatus::kSnoozed, "snoozed"},
    {AlertStatus::kResolvedByPerson, "resolved_by_person"},
    {AlertStatus::kResolvedAutomatically, "resolved_automatically"},
}};

constexpr std::array<std::pair<AlertAction, std::string_view>, 8> kActionNames = {{
    {AlertAction::kRaised, "raised"},
    {AlertAction::kRefired, "refired"},
    {AlertAction::kEscalated, "escalated"},
    {AlertAction::kAcknowledged, "acknowledged"},
    {AlertAction::kSnoozed, "snoozed"},
    {AlertAction::kSnoozeEnded, "snooze_ended"},
    {AlertAction::kResolvedByPerson, "resolved_by_person"},
    {AlertAction::kResolvedAutomatically, "resolved_automatically"},
}};

// Writes `part` with '%' and '/' escaped, so that '/' can separate the parts of an alert id.
void AppendEscaped(std::string& out, std::string_view part) {
  for (char c : part) {
    if (c == '%') {
      out += "%25";
    } else if (c == '/') {
      out += "%2F";
    } else {
      out += c;
    }
  }
}

}  // namespace

std::string_view AlertStatusName(AlertStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "open";
}

std::string_view AlertActionName(AlertAction action) {
  for (const auto& [value, name] : kActionNames) {
    if (value == action) return name;
  }
  return "raised";
}

std::optional<AlertStatus> ParseAlertStatus(std::string_view text) {
  for (const auto& [value, name] : kStatusNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

std::optional<AlertAction> ParseAlertAction(std::string_view text) {
  for (const auto& [value, name] : kActionNames) {
    if (name == text) return value;
  }
  return std::nullopt;
}

bool IsResolved(AlertStatus status) {
  return status == AlertStatus::kResolvedByPerson || status == AlertStatus::kResolvedAutomatically;
}

std::string_view TicketStatusName(TicketStatus status) { return status == TicketStatus::kOpen ? "open" : "closed"; }

std::optional<TicketStatus> ParseTicketStatus(std::string_view name) {
  if (name == "open") return TicketStatus::kOpen;
  if (name == "closed") return TicketStatus::kClosed;
  return std::nullopt;
}

std::string AlertKey::ToString() const {
  std::string out;
  AppendEscaped(out, pack_id);
  out += '/';
  AppendEscaped(out, rule_id);
  out += '@' + std::to_string(version) + '/';
  AppendEscaped(out, subject.type);
  out += '/';
  AppendEscaped(out, subject.id);
  out += '/';
  AppendEscaped(out, occurrence);
  return out;
}

std::vector<ResolvedRecipient> ResolveRecipients(const std::vector<Recipient>& recipients, const Alert& alert) {
  std::vector<ResolvedRecipient> out;
  for (const Recipient& recipient : recipients) {
    ResolvedRecipient resolved;
    resolved.role = recipient.role;
    switch (recipient.role) {
      case Recipient::Role::kOwner: resolved.user_id = alert.owner_id; break;
      case Recipient::Role::kOwnerManager: resolved.user_id = alert.owner_manager_id; break;
      case Recipient::Role::kDepartment: resolved.department = recipient.department; break;
    }
    out.push_back(std::move(resolved));
  }
  return out;
}

const AlertHistoryEntry& RecordHistory(Alert& alert, Timestamp at, std::string_view actor, AlertAction action,
                                       std::string_view note) {
  AlertHistoryEntry entry;
  entry.sequence = static_cast<int64_t>(alert.history.size()) + 1;
  entry.at = at;
  entry.actor = std::string(actor);
  entry.action = action;
  entry.status = alert.status;
  entry.level = alert.level;
  entry.note = std::string(note);
  if (action == AlertAction::kSnoozed) entry.snoozed_until = alert.snoozed_until;

  alert.updated_at = at;
  alert.history.push_back(std::move(entry));
  return alert.history.back();
}

AlertChange MakeChange(const Alert& alert, std::vector<ResolvedRecipient> recipients) {
  assert(!alert.history.empty());
  const AlertHistoryEntry& entry = alert.history.back();

  AlertChange change;
  change.alert_id = alert.id;
  change.key = alert.key;
  change.action = entry.action;
  change.level = alert.level;
  change.status = alert.status;
  change.raised_at = alert.raised_at;
  change.at = entry.at;
  change.actor = entry.actor;
  change.note = entry.note;
  change.message = alert.message;
  change.recipients = std::move(recipients);
  return change;
}

}  // namespace salesradar::rules
