// Escalation: yellow → orange → red after the times in the rule's chain, measured on the rule's
// calendar from when the alert reached its level. Red opens a cross-department ticket.
#include "rules/engine.h"

namespace salesradar::rules {

void Engine::ScheduleAlertTimer(Alert& alert) {
  const std::string* stored_id = StoredAlertId(alert);
  if (stored_id == nullptr) return;  // callers pass unresolved alerts, which are all in alerts_

  if (alert.status == AlertStatus::kSnoozed && alert.snoozed_until) {
    alert.escalation_due_at.reset();
    timers_.ArmAlert(stored_id, *alert.snoozed_until);
    return;
  }

  const CompiledRule* rule = RuleOf(alert.key.pack_id, alert.key.rule_id, alert.key.version);
  if (rule == nullptr || alert.next_step >= rule->rule->escalation.size()) {
    alert.escalation_due_at.reset();
    timers_.CancelAlert(stored_id);
    return;
  }

  const EscalationStep& step = rule->rule->escalation[alert.next_step];
  std::optional<Timestamp> due = EndOfWindow(*rule, alert.level_since, step.after, "escalation", "");
  alert.escalation_due_at = due;
  if (due) {
    timers_.ArmAlert(stored_id, *due);
  } else {
    timers_.CancelAlert(stored_id);
  }
}

void Engine::RefreshPeople(Alert& alert) {
  const SubjectInfo* info = subjects_.Find(alert.key.subject);
  if (info == nullptr) return;
  alert.subject_name = info->name;
  alert.owner_id = info->owner_id;
  alert.owner_manager_id = info->owner_manager_id;
}

void Engine::Escalate(Alert& alert) {
  const CompiledRule* rule = RuleOf(alert.key.pack_id, alert.key.rule_id, alert.key.version);
  if (rule == nullptr || alert.next_step >= rule->rule->escalation.size()) return;

  const EscalationStep& step = rule->rule->escalation[alert.next_step];
  Timestamp now = clock_.Now();
  alert.level = step.level;
  ++alert.next_step;
  alert.level_since = now;
  RefreshPeople(alert);
  RecordHistory(alert, now, kSystemActor, AlertAction::kEscalated, "after " + calendar::FormatWindow(step.after));

  std::optional<Ticket> ticket;
  if (alert.level == Level::kRed && alert.ticket_id.empty()) ticket = OpenTicket(alert, *rule);
  ScheduleAlertTimer(alert);
  pending_.alerts.Changed(alert);
  Emit(alert, ticket);
}

std::optional<Ticket> Engine::OpenTicket(Alert& alert, const CompiledRule& rule) {
  Ticket ticket;
  ticket.id = alert.id + "/ticket";
  ticket.department = rule.rule->ticket_department;
  ticket.subject = alert.key.subject;
  ticket.alert_id = alert.id;
  ticket.status = TicketStatus::kOpen;
  ticket.opened_at = clock_.Now();

  alert.ticket_id = ticket.id;
  tickets_[alert.id] = ticket;
  pending_.tickets.insert(alert.id);
  return ticket;
}

}  // namespace salesradar::rules
