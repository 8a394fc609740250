// Raising alerts and moving them through their lifecycle: refired, acknowledged, snoozed,
// resolved by a person or automatically.
#include "rules/engine.h"

namespace salesradar::rules {
const std::string* Engine::StoredAlertId(const Alert& alert) const {
  auto it = alerts_.find(alert.id);
  return it == alerts_.end() ? nullptr : &it->first;
}

Alert* Engine::OpenAlertFor(const CompiledRule& rule, const SubjectRef& subject) const {
  auto it = open_alert_by_subject_.find(RuleSubjectView(rule.pack_id, rule.rule->id, subject));
  return it == open_alert_by_subject_.end() ? nullptr : it->second;
}

std::string Engine::RaiseAlert(const RaiseRequest& request) {
  const CompiledRule& rule = *request.rule;

  // Alerts are deduplicated per rule and subject: while one is unresolved, firing again is
  // recorded in its history.
  if (Alert* existing = OpenAlertFor(rule, request.subject)) {
    RefireAlert(*existing, rule, *request.event);
    return existing->id;
  }

  Timestamp now = clock_.Now();
  Alert alert;
  alert.key = {rule.pack_id, rule.rule->id, rule.version, request.subject, request.event->id};
  alert.id = alert.key.ToString();
  alert.kind = rule.rule->kind;
  alert.level = rule.rule->level;
  alert.raised_at = request.raised_at;
  alert.created_at = now;
  alert.level_since = now;

  const SubjectInfo* info = subjects_.Find(request.subject);
  if (info != nullptr) {
    alert.subject_name = info->name;
    alert.owner_id = info->owner_id;
    alert.owner_manager_id = info->owner_manager_id;
  }

  TemplateValues values;
  values.rule_id = rule.rule->id;
  values.rule_name = &rule.rule->name;
  values.subject = &request.subject;
  values.subject_name = alert.subject_name;
  values.subject_record = info != nullptr ? info->record : nullptr;
  values.event = request.event;
  values.window = rule.rule->window;
  values.deadline = request.deadline;
  values.count = request.count;
  values.value = request.value;
  values.calendar = rule.calendar.get();
  alert.message = {RenderMessage(rule.message_zh, values, Locale::kChinese),
                   RenderMessage(rule.message_en, values, Locale::kEnglish)};

  RecordHistory(alert, now, kSystemActor, AlertAction::kRaised, "event " + request.event->id);
  ++StatsOf(rule).alerts_raised;
  std::optional<Ticket> ticket;
  if (alert.level == Level::kRed) ticket = OpenTicket(alert, rule);

  std::string id = alert.id;
  CountAlertOfVersion(alert.key, +1);
  Alert& stored = alerts_.insert_or_assign(id, std::move(alert)).first->second;
  open_alert_by_subject_[RuleSubjectKey{rule.pack_id, rule.rule->id, request.subject}] = &stored;
  ScheduleAlertTimer(stored);
  pending_.alerts.Changed(stored);
  Emit(stored, ticket);
  return id;
}

void Engine::RefireAlert(Alert& alert, const CompiledRule& rule, const Event& event) {
  ++alert.refire_count;
  ++StatsOf(rule).refires;
  RecordHistory(alert, clock_.Now(), kSystemActor, AlertAction::kRefired, "event " + event.id);
  pending_.alerts.Changed(alert);
  Emit(alert);
}

void Engine::ResolveAutomatically(const std::string& alert_id, std::string_view note) {
  auto it = alerts_.find(alert_id);
  if (it == alerts_.end()) return;
  FinishAlert(it->second, kSystemActor, AlertAction::kResolvedAutomatically, note);
}

void Engine::FinishAlert(Alert& alert, std::string_view actor, AlertAction action, std::string_view note) {
  Timestamp now = clock_.Now();
  alert.status = action == AlertAction::kResolvedByPerson ? AlertStatus::kResolvedByPerson
                                                          : AlertStatus::kResolvedAutomatically;
  alert.resolved_at = now;
  alert.snoozed_until.reset();
  alert.escalation_due_at.reset();
  RecordHistory(alert, now, actor, action, note);
  if (const std::string* stored_id = StoredAlertId(alert)) timers_.CancelAlert(stored_id);

  std::optional<Ticket> closed;
  auto ticket = tickets_.find(alert.id);
  if (ticket != tickets_.end()) {
    ticket->second.status = TicketStatus::kClosed;
    ticket->second.closed_at = now;
    closed = ticket->second;
    pending_.closed_tickets[alert.id] = ticket->second;
    pending_.tickets.insert(alert.id);
    tickets_.erase(ticket);
  }

  // A fired absence window waits for its alert; it is done now.
  RuleSubjectView rule_subject(alert.key.pack_id, alert.key.rule_id, alert.key.subject);
  auto window = windows_.find(rule_subject);
  if (window != windows_.end() && window->second.alert_id == alert.id) EraseWindow(window->first);

  Emit(alert, closed);

  auto open = open_alert_by_subject_.find(rule_subject);
  if (open != open_alert_by_subject_.end() && open->second == &alert) open_alert_by_subject_.erase(open);
  CountAlertOfVersion(alert.key, -1);
  pending_.alerts.Forget(alert);
  auto node = alerts_.extract(alert.id);
  if (node.empty()) return;  // callers pass unresolved alerts, which are all in alerts_
  pending_.finished_alerts.insert_or_assign(std::move(node.key()), std::move(node.mapped()));
}

void Engine::EndSnooze(Alert& alert) {
  Timestamp now = clock_.Now();
  alert.status = AlertStatus::kOpen;
  alert.snoozed_until.reset();
  alert.level_since = now;  // the escalation step starts over after the pause
  RecordHistory(alert, now, kSystemActor, AlertAction::kSnoozeEnded, "");
  ScheduleAlertTimer(alert);
  pending_.alerts.Changed(alert);
  Emit(alert);
}

void Engine::Emit(const Alert& alert, std::optional<Ticket> ticket) {
  const CompiledRule* rule = RuleOf(alert.key.pack_id, alert.key.rule_id, alert.key.version);
  std::vector<ResolvedRecipient> recipients;
  if (rule != nullptr) recipients = ResolveRecipients(rule->rule->recipients[static_cast<size_t>(alert.level)], alert);

  AlertChange change = MakeChange(alert, std::move(recipients));
  change.ticket = std::move(ticket);
  pending_.outbox.push_back(change);
  call_changes_.push_back(std::move(change));
}

// --- People's actions ---------------------------------------------------------------------------

Result<Alert*> Engine::FindForPerson(std::string_view alert_id, std::string_view actor) {
  if (actor.empty()) {
    return InvalidArgument("处理预警 '" + std::string(alert_id) + "' 需要操作人的用户 id",
                           "alert '" + std::string(alert_id) + "': the acting user's id is missing; pass it");
  }
  auto it = alerts_.find(alert_id);
  if (it == alerts_.end()) {
    return NotFound("没有未解决的预警 '" + std::string(alert_id) + "'；它可能已经解决，或 id 有误",
                    "no unresolved alert '" + std::string(alert_id) + "'; it may be resolved already, or the id is wrong");
  }
  started_ = true;
  return &it->second;
}

Result<std::vector<AlertChange>> Engine::Acknowledge(std::string_view alert_id, std::string_view actor,
                                                     std::string_view note) {
  SR_ASSIGN_OR_RETURN(Alert * alert, FindForPerson(alert_id, actor));
  if (alert->status == AlertStatus::kAcknowledged) {
    return Error(ErrorCode::kFailedPrecondition, "预警 '" + alert->id + "' 已经确认过",
                 "alert '" + alert->id + "' is acknowledged already");
  }

  Timestamp now = clock_.Now();
  if (alert->status == AlertStatus::kSnoozed) alert->level_since = now;  // ends the pause, as a snooze end does
  alert->status = AlertStatus::kAcknowledged;
  alert->snoozed_until.reset();
  RecordHistory(*alert, now, actor, AlertAction::kAcknowledged, note);
  ScheduleAlertTimer(*alert);
  pending_.alerts.Changed(*alert);
  Emit(*alert);
  return EndCall();
}

Result<std::vector<AlertChange>> Engine::Snooze(std::string_view alert_id, std::string_view actor, Timestamp until,
                                                std::string_view note) {
  SR_ASSIGN_OR_RETURN(Alert * alert, FindForPerson(alert_id, actor));
  Timestamp now = clock_.Now();
  if (until <= now) {
    return InvalidArgument("预警 '" + alert->id + "'：暂缓截止时间必须晚于当前时间",
                           "alert '" + alert->id + "': the snooze must end after the current time; pass a later time");
  }

  alert->status = AlertStatus::kSnoozed;
  alert->snoozed_until = until;
  RecordHistory(*alert, now, actor, AlertAction::kSnoozed, note);
  ScheduleAlertTimer(*alert);
  pending_.alerts.Changed(*alert);
  Emit(*alert);
  return EndCall();
}

Result<std::vector<AlertChange>> Engine::Resolve(std::string_view alert_id, std::string_view actor,
                                                 std::string_view note) {
  SR_ASSIGN_OR_RETURN(Alert * alert, FindForPerson(alert_id, actor));
  FinishAlert(*alert, actor, AlertAction::kResolvedByPerson, note);
  return EndCall();
}

}  // namespace salesradar::rules
