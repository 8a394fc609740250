// Alerts, their history and tickets, and the "alert changed" records the engine emits.
//
// An alert is unique per (pack, rule, rule version, subject, occurrence). The occurrence is the
// id of the event that raised it (for absence rules, the event that opened the window), so
// raising the same alert twice, for example after a restart, yields the same key.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/locale.h"
#include "rules/event.h"
#include "rules/rule_pack.h"

namespace salesradar::rules {

enum class AlertStatus {
  kOpen,
  kAcknowledged,           // someone has seen it; escalation continues
  kSnoozed,                // paused until snoozed_until; escalation waits
  kResolvedByPerson,
  kResolvedAutomatically,  // the awaited event arrived, a streak broke, a value came back
};

enum class AlertAction {
  kRaised,
  kRefired,  // the rule fired again for the subject while this alert was unresolved
  kEscalated,
  kAcknowledged,
  kSnoozed,
  kSnoozeEnded,
  kResolvedByPerson,
  kResolvedAutomatically,
};

std::string_view AlertStatusName(AlertStatus status);  // "open", "acknowledged", "snoozed", ...
std::string_view AlertActionName(AlertAction action);  // "raised", "refired", "escalated", ...
std::optional<AlertStatus> ParseAlertStatus(std::string_view name);
std::optional<AlertAction> ParseAlertAction(std::string_view name);
bool IsResolved(AlertStatus status);

// The actor that history entries name for changes the engine makes itself.
inline constexpr std::string_view kSystemActor = "system";

struct AlertKey {
  std::string pack_id;
  std::string rule_id;
  int64_t version = 0;
  SubjectRef subject;
  std::string occurrence;  // the id of the event that raised the alert

  // Returns the alert id: "pack/rule@version/subject_type/subject_id/occurrence", with '%' and
  // '/' inside each part written as %25 and %2F so that different keys never share an id.
  std::string ToString() const;

  friend auto operator<=>(const AlertKey&, const AlertKey&) = default;
};

struct AlertHistoryEntry {
  int64_t sequence = 0;  // 1, 2, 3 ... within the alert
  Timestamp at;          // clock time of the change
  std::string actor;     // a user id, or kSystemActor
  AlertAction action = AlertAction::kRaised;
  AlertStatus status = AlertStatus::kOpen;  // after the change
  Level level = Level::kYellow;             // after the change
  std::string note;
  std::optional<Timestamp> snoozed_until;  // for kSnoozed

  friend bool operator==(const AlertHistoryEntry&, const AlertHistoryEntry&) = default;
};

struct Alert {
  std::string id;  // key.ToString()
  AlertKey key;
  RuleKind kind = RuleKind::kCondition;
  Level level = Level::kYellow;
  AlertStatus status = AlertStatus::kOpen;
  Timestamp raised_at;   // event time at which the rule fired; the deadline for absence rules
  Timestamp created_at;  // clock time at which the engine raised it
  Timestamp updated_at;  // clock time of the last change
  // Clock time from which the next escalation step is measured: when the current level was
  // reached, or when a snooze ended.
  Timestamp level_since;
  size_t next_step = 0;  // index of the next escalation step in the rule
  std::optional<Timestamp> escalation_due_at;  // none after the last step and while snoozed
  std::optional<Timestamp> snoozed_until;
  std::optional<Timestamp> resolved_at;
  LocalizedText message;
  std::string subject_name;
  std::string owner_id;          // as the SubjectResolver gave them when raised or escalated
  std::string owner_manager_id;
  std::string ticket_id;  // set once the alert reached red and opened a ticket
  int64_t refire_count = 0;
  std::vector<AlertHistoryEntry> history;
};

enum class TicketStatus { kOpen, kClosed };
std::string_view TicketStatusName(TicketStatus status);
std::optional<TicketStatus> ParseTicketStatus(std::string_view name);

// A minimal cross-department ticket, opened when an alert reaches red and closed when the alert
// is resolved.
struct Ticket {
  std::string id;  // the alert id followed by "/ticket"
  std::string department;
  SubjectRef subject;
  std::string alert_id;
  TicketStatus status = TicketStatus::kOpen;
  Timestamp opened_at;
  std::optional<Timestamp> closed_at;

  friend bool operator==(const Ticket&, const Ticket&) = default;
};

// One person or queue to notify about a change.
struct ResolvedRecipient {
  Recipient::Role role = Recipient::Role::kOwner;
  std::string user_id;     // for owner and owner_manager; empty when the subject has none
  std::string department;  // for department recipients

  friend bool operator==(const ResolvedRecipient&, const ResolvedRecipient&) = default;
};

// One change of one alert, for the edge to store in its outbox and send: what happened, the
// alert's state after it, and whom the rule names for the alert's level.
struct AlertChange {
  std::string alert_id;
  AlertKey key;
  AlertAction action = AlertAction::kRaised;
  Level level = Level::kYellow;
  AlertStatus status = AlertStatus::kOpen;
  Timestamp raised_at;  // the alert's event time: when the rule fired, e.g. the window's deadline
  Timestamp at;         // clock time of this change
  std::string actor;
  std::string note;
  LocalizedText message;
  std::vector<ResolvedRecipient> recipients;
  std::optional<Ticket> ticket;  // set when this change opened or closed the alert's ticket
};

// Returns the people and queues of `recipients` for `alert`, using the owner and manager ids
// stored on the alert.
std::vector<ResolvedRecipient> ResolveRecipients(const std::vector<Recipient>& recipients, const Alert& alert);

// Appends a history entry recording the alert's current status and level, sets updated_at, and
// returns the entry.
const AlertHistoryEntry& RecordHistory(Alert& alert, Timestamp at, std::string_view actor, AlertAction action,
                                       std::string_view note);

// Builds the change record for the newest history entry of `alert`.
AlertChange MakeChange(const Alert& alert, std::vector<ResolvedRecipient> recipients);

}  // namespace salesradar::rules
