#include "bench/rules/handwritten_pack.h"

#include <algorithm>
#include <array>
#include <iterator>
#include <optional>
#include <queue>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>

#include "bench/rules/handwritten_pack_rules.h"
#include "calendar/window.h"
#include "model/money.h"
#include "rules/message_template.h"

namespace salesradar::bench {
namespace {

using namespace b2b_pack;
using calendar::Window;
using rules::AlertAction;
using rules::Level;
using rules::Recipient;
using rules::RuleKind;

constexpr int kMaxCausationDepth = 3;  // the engine's default EngineOptions::max_causation_depth
constexpr size_t kActionCount = static_cast<size_t>(AlertAction::kResolvedAutomatically) + 1;

// --- State ------------------------------------------------------------------------------------

// An absence window. It stays after its deadline fired, until its alert is resolved, so that
// later triggers for the subject change nothing meanwhile.
struct AbsenceWindow {
  std::string trigger_id;
  Timestamp trigger_at;
  Timestamp deadline;
  uint64_t timer = 0;  // the sequence number of its deadline timer; 0 once fired
  bool fired = false;
  nlohmann::json stage;  // opportunity-stuck-in-stage-30d: the trigger's payload.stage
};

struct OpenAlert {
  rules::Alert alert;
  uint64_t timer = 0;  // the sequence number of its escalation timer; 0 when none is armed
  std::optional<rules::Ticket> ticket;
};

// A window deadline or an escalation step of one rule and subject. A timer whose sequence
// number differs from the one stored in its window or alert was cancelled.
struct Timer {
  Timestamp due;
  uint64_t sequence = 0;
  RuleId rule = kLeadFollowUp;
  bool escalation = false;
  std::string subject_id;

  // Timers due at the same time fire in the order they were armed, as on the engine's timing wheel.
  friend bool operator>(const Timer& a, const Timer& b) {
    return std::tie(a.due, a.sequence) > std::tie(b.due, b.sequence);
  }
};

// The input of a new alert's message: the event that fired a condition or streak rule, or the
// window of an absence rule.
struct MessageInputs {
  const rules::Event* event = nullptr;
  const AbsenceWindow* window = nullptr;
};

class PackReplay {
 public:
  PackReplay(rules::SubjectResolver& subjects, const calendar::BusinessCalendar& cn, size_t event_count)
      : rules_(PackRules()), subjects_(subjects), cn_(cn) {
    seen_ids_.reserve(event_count);
  }

  // Processes one event at clock time `now`, in the engine's order: deadlines due by the
  // earlier of the clock and the event's time, then the windows the event closes, then the
  // rules it triggers, then deadlines due by the clock.
  void OnEvent(const rules::Event& event, Timestamp now);

  void FireDueTimers(Timestamp now);

  // Moves the outbox to `keep`, or drops it when `keep` is null.
  void DropOutbox(std::vector<rules::AlertChange>* keep);

  HandwrittenPackResult Counts() const;

 private:
  void FireDue(Timestamp due_by);
  void FireDeadline(const Timer& timer);
  void FireEscalation(const Timer& timer);
  uint64_t Arm(Timestamp due, RuleId rule, bool escalation, const std::string& subject_id);

  void ApplyAwaited(const rules::Event& event);
  template <typename Condition>
  void TryAwaited(RuleId rule, const rules::Event& awaited, Condition condition);
  void ApplyTriggers(const rules::Event& event);
  void OpenWindow(RuleId rule, const rules::Event& trigger);
  void FireWindow(RuleId rule, const std::string& subject_id, AbsenceWindow& window);
  void OnQuote(const rules::Event& event);
  void OnVisitCompleted(const rules::Event& event);

  void Raise(RuleId rule, rules::SubjectRef subject, const std::string& occurrence, Timestamp raised_at,
             MessageInputs inputs);
  void Refire(RuleId rule, OpenAlert& open, const std::string& occurrence);
  void Escalate(RuleId rule, OpenAlert& open);
  void ResolveAutomatically(RuleId rule, const std::string& subject_id, std::string_view note);
  void ScheduleEscalation(RuleId rule, OpenAlert& open);
  std::optional<Timestamp> StepEnd(Timestamp start, const Window& after) const;
  rules::Ticket OpenTicket(RuleId rule, OpenAlert& open);
  void SetPeople(rules::Alert& alert);
  void Emit(RuleId rule, const rules::Alert& alert, std::optional<rules::Ticket> ticket = std::nullopt);

  LocalizedText AbsenceMessage(RuleId rule, std::string_view name, const AbsenceWindow& window) const;
  LocalizedText EventMessage(RuleId rule, std::string_view name, const rules::Event& event) const;

  const std::array<RuleSpec, kRuleCount> rules_;
  rules::SubjectResolver& subjects_;
  const calendar::BusinessCalendar& cn_;
  Timestamp now_;

  std::unordered_set<std::string> seen_ids_;
  std::array<std::unordered_map<std::string, AbsenceWindow>, kRuleCount> windows_;  // absence rules, by subject id
  std::array<std::unordered_map<std::string, OpenAlert>, kRuleCount> alerts_;       // unresolved, by subject id
  std::unordered_map<std::string, int64_t> visit_runs_;  // visits in a row without notes, by rep
  std::priority_queue<Timer, std::vector<Timer>, std::greater<>> timers_;
  uint64_t next_timer_ = 1;

  std::vector<rules::AlertChange> outbox_;
  std::array<std::array<int64_t, kActionCount>, kRuleCount> change_counts_{};
  int64_t tickets_opened_ = 0;
  int64_t tickets_closed_ = 0;
  int64_t invalid_events_ = 0;
};

// --- Events and timers ------------------------------------------------------------------------

void PackReplay::OnEvent(const rules::Event& event, Timestamp now) {
  now_ = now;
  if (!rules::ValidateEvent(event).ok()) {
    ++invalid_events_;
    return;
  }
  if (!seen_ids_.insert(event.id).second) return;
  if (event.causation_depth > kMaxCausationDepth) return;

  FireDue(std::min(now, event.occurred_at));
  ApplyAwaited(event);
  ApplyTriggers(event);
  FireDue(now);
}

void PackReplay::FireDueTimers(Timestamp now) {
  now_ = now;
  FireDue(now);
}

void PackReplay::FireDue(Timestamp due_by) {
  while (!timers_.empty() && timers_.top().due <= due_by) {
    Timer timer = timers_.top();
    timers_.pop();
    if (timer.escalation) {
      FireEscalation(timer);
    } else {
      FireDeadline(timer);
    }
  }
}

void PackReplay::FireDeadline(const Timer& timer) {
  auto it = windows_[timer.rule].find(timer.subject_id);
  if (it == windows_[timer.rule].end() || it->second.timer != timer.sequence) return;
  FireWindow(timer.rule, it->first, it->second);
}

void PackReplay::FireEscalation(const Timer& timer) {
  auto it = alerts_[timer.rule].find(timer.subject_id);
  if (it == alerts_[timer.rule].end() || it->second.timer != timer.sequence) return;
  Escalate(timer.rule, it->second);
}

uint64_t PackReplay::Arm(Timestamp due, RuleId rule, bool escalation, const std::string& subject_id) {
  uint64_t sequence = next_timer_++;
  timers_.push({due, sequence, rule, escalation, subject_id});
  return sequence;
}

void PackReplay::DropOutbox(std::vector<rules::AlertChange>* keep) {
  if (keep != nullptr) std::move(outbox_.begin(), outbox_.end(), std::back_inserter(*keep));
  outbox_.clear();
}

HandwrittenPackResult PackReplay::Counts() const {
  HandwrittenPackResult result;
  for (size_t rule = 0; rule < kRuleCount; ++rule) {
    for (size_t action = 0; action < kActionCount; ++action) {
      int64_t count = change_counts_[rule][action];
      if (count == 0) continue;
      std::string_view name = rules::AlertActionName(static_cast<AlertAction>(action));
      result.changes[rules_[rule].id][std::string(name)] = count;
      if (name == "raised") result.raised[rules_[rule].id] = count;
      if (name == "refired") result.refired[rules_[rule].id] = count;
    }
  }
  result.tickets_opened = tickets_opened_;
  result.tickets_closed = tickets_closed_;
  result.invalid_events = invalid_events_;
  return result;
}

// --- Absence windows --------------------------------------------------------------------------

void PackReplay::ApplyAwaited(const rules::Event& event) {
  const std::string& type = event.type;
  const std::string& subject_type = event.subject.type;
  auto always = [](const AbsenceWindow&) { return true; };
  if (subject_type == "lead" && IsFollowUp(type)) {
    TryAwaited(kLeadFollowUp, event, always);
  } else if (subject_type == "opportunity" && type == "stage_changed") {
    // `awaited.payload.stage != trigger.payload.stage`, which fails without an awaited stage.
    auto stage = event.payload.find("stage");
    TryAwaited(kStuckInStage, event, [&](const AbsenceWindow& window) {
      return stage != event.payload.end() && *stage != window.stage;
    });
  } else if (subject_type == "contract" && type == "value_target_set") {
    TryAwaited(kValueTarget, event, always);
  } else if (subject_type == "visit" && type == "photo_uploaded") {
    TryAwaited(kSitePhoto, event, [&](const AbsenceWindow&) { return IsSitePhoto(event.payload); });
  }
}

template <typename Condition>
void PackReplay::TryAwaited(RuleId rule, const rules::Event& awaited, Condition condition) {
  auto it = windows_[rule].find(awaited.subject.id);
  if (it == windows_[rule].end()) return;
  AbsenceWindow& window = it->second;
  if (awaited.occurred_at < window.trigger_at || !condition(window)) return;

  if (!window.fired && awaited.occurred_at < window.deadline) {
    windows_[rule].erase(it);
    return;
  }

  // The awaited event occurred at or after the deadline, so the alert is due even if its timer
  // has not fired, and this event resolves it.
  if (!window.fired) FireWindow(rule, it->first, window);
  ResolveAutomatically(rule, awaited.subject.id, "awaited event " + awaited.id + " (" + awaited.type + ")");
}

void PackReplay::OpenWindow(RuleId rule, const rules::Event& trigger) {
  const RuleSpec& spec = rules_[rule];
  if (CausedByItself(spec, trigger, trigger.subject)) return;
  auto [it, inserted] = windows_[rule].try_emplace(trigger.subject.id);
  if (!inserted) return;  // one window per rule and subject, open or waiting for its alert

  AbsenceWindow& window = it->second;
  window.trigger_id = trigger.id;
  window.trigger_at = trigger.occurred_at;
  window.deadline = calendar::AddWallTime(trigger.occurred_at, spec.window->Duration());
  if (rule == kStuckInStage) window.stage = trigger.payload.at("stage");
  window.timer = Arm(window.deadline, rule, false, it->first);
}

void PackReplay::FireWindow(RuleId rule, const std::string& subject_id, AbsenceWindow& window) {
  window.fired = true;
  window.timer = 0;
  Raise(rule, {rules_[rule].subject_type, subject_id}, window.trigger_id, window.deadline, {nullptr, &window});
}

// --- Triggers -----------------------------------------------------------------------------------

void PackReplay::ApplyTriggers(const rules::Event& event) {
  const std::string& type = event.type;
  const std::string& subject_type = event.subject.type;
  if (type == "lead_created" && subject_type == "lead") {
    OpenWindow(kLeadFollowUp, event);
  } else if (type == "visit_completed") {
    OnVisitCompleted(event);
  } else if (type == "quote_sent" && subject_type == "opportunity") {
    OnQuote(event);
  } else if ((type == "opportunity_created" || type == "stage_changed") && subject_type == "opportunity") {
    if (IsOpenStage(event.payload)) OpenWindow(kStuckInStage, event);
  } else if (type == "contract_signed" && subject_type == "contract") {
    OpenWindow(kValueTarget, event);
  } else if (type == "visit_checked_in" && subject_type == "visit") {
    OpenWindow(kSitePhoto, event);
  }
}

void PackReplay::OnQuote(const rules::Event& event) {
  std::optional<model::Money> total = PayloadMoney(event.payload, "total");
  if (!CausedByItself(rules_[kLargeQuote], event, event.subject) && IsLargeWithoutCompliance(total, event.payload)) {
    Raise(kLargeQuote, event.subject, event.id, event.occurred_at, {&event, nullptr});
  }
  if (!CausedByItself(rules_[kDiscount], event, event.subject) && IsOffListPrice(total, event.payload)) {
    Raise(kDiscount, event.subject, event.id, event.occurred_at, {&event, nullptr});
  }
}

// The streak rule's subject is the rep who made the visit. A visit with notes breaks the streak
// and resolves the rep's alert. A completed streak raises the alert, or refires it while it is
// unresolved, and counting starts again at zero.
void PackReplay::OnVisitCompleted(const rules::Event& event) {
  if (event.actor.empty()) return;  // `subject_id: event.actor` fails on an empty actor
  rules::SubjectRef rep{rules_[kVisitNotes].subject_type, event.actor};
  if (CausedByItself(rules_[kVisitNotes], event, rep)) return;
  std::optional<bool> without_notes = LacksNotes(event.payload);
  if (!without_notes) return;

  if (!*without_notes) {
    auto open = alerts_[kVisitNotes].find(event.actor);
    if (open != alerts_[kVisitNotes].end() && open->second.alert.raised_at <= event.occurred_at) {
      ResolveAutomatically(kVisitNotes, event.actor, "streak broken by event " + event.id);
    }
    visit_runs_.erase(event.actor);
    return;
  }

  auto run = visit_runs_.try_emplace(event.actor, 0).first;
  if (++run->second < kStreakLength) return;
  visit_runs_.erase(run);
  Raise(kVisitNotes, std::move(rep), event.id, event.occurred_at, {&event, nullptr});
}

// --- Alerts -------------------------------------------------------------------------------------

void PackReplay::Raise(RuleId rule, rules::SubjectRef subject, const std::string& occurrence, Timestamp raised_at,
                       MessageInputs inputs) {
  const RuleSpec& spec = rules_[rule];
  auto [it, inserted] = alerts_[rule].try_emplace(subject.id);
  if (!inserted) {
    Refire(rule, it->second, occurrence);
    return;
  }

  rules::Alert& alert = it->second.alert;
  alert.key = {std::string(kPackId), spec.id, kPackVersion, std::move(subject), occurrence};
  alert.id = alert.key.ToString();
  alert.kind = spec.kind;
  alert.level = spec.level;
  alert.raised_at = raised_at;
  alert.created_at = now_;
  alert.level_since = now_;
  SetPeople(alert);

  std::string_view name = alert.subject_name.empty() ? alert.key.subject.id : alert.subject_name;
  alert.message = inputs.window != nullptr ? AbsenceMessage(rule, name, *inputs.window)
                                           : EventMessage(rule, name, *inputs.event);
  rules::RecordHistory(alert, now_, rules::kSystemActor, AlertAction::kRaised, "event " + occurrence);

  std::optional<rules::Ticket> ticket;
  if (alert.level == Level::kRed) ticket = OpenTicket(rule, it->second);
  ScheduleEscalation(rule, it->second);
  Emit(rule, alert, std::move(ticket));
}

void PackReplay::Refire(RuleId rule, OpenAlert& open, const std::string& occurrence) {
  ++open.alert.refire_count;
  rules::RecordHistory(open.alert, now_, rules::kSystemActor, AlertAction::kRefired, "event " + occurrence);
  Emit(rule, open.alert);
}

void PackReplay::Escalate(RuleId rule, OpenAlert& open) {
  rules::Alert& alert = open.alert;
  const std::vector<Step>& steps = rules_[rule].escalation;
  if (alert.next_step >= steps.size()) return;

  const Step& step = steps[alert.next_step];
  alert.level = step.level;
  ++alert.next_step;
  alert.level_since = now_;
  SetPeople(alert);
  rules::RecordHistory(alert, now_, rules::kSystemActor, AlertAction::kEscalated, step.note);

  std::optional<rules::Ticket> ticket;
  if (alert.level == Level::kRed && alert.ticket_id.empty()) ticket = OpenTicket(rule, open);
  ScheduleEscalation(rule, open);
  Emit(rule, alert, std::move(ticket));
}

void PackReplay::ResolveAutomatically(RuleId rule, const std::string& subject_id, std::string_view note) {
  auto it = alerts_[rule].find(subject_id);
  if (it == alerts_[rule].end()) return;

  rules::Alert& alert = it->second.alert;
  alert.status = rules::AlertStatus::kResolvedAutomatically;
  alert.resolved_at = now_;
  alert.snoozed_until.reset();
  alert.escalation_due_at.reset();
  rules::RecordHistory(alert, now_, rules::kSystemActor, AlertAction::kResolvedAutomatically, note);

  std::optional<rules::Ticket> closed = std::move(it->second.ticket);
  if (closed) {
    closed->status = rules::TicketStatus::kClosed;
    closed->closed_at = now_;
  }
  if (rules_[rule].kind == RuleKind::kAbsence) windows_[rule].erase(subject_id);
  Emit(rule, alert, std::move(closed));
  alerts_[rule].erase(it);
}

// Arms the alert's next escalation step, measured from when it reached its level. A step that
// the calendar cannot compute leaves the alert at its level, as in the engine.
void PackReplay::ScheduleEscalation(RuleId rule, OpenAlert& open) {
  rules::Alert& alert = open.alert;
  const std::vector<Step>& steps = rules_[rule].escalation;
  open.timer = 0;
  alert.escalation_due_at.reset();
  if (alert.next_step >= steps.size()) return;

  alert.escalation_due_at = StepEnd(alert.level_since, steps[alert.next_step].after);
  if (alert.escalation_due_at) open.timer = Arm(*alert.escalation_due_at, rule, true, alert.key.subject.id);
}

std::optional<Timestamp> PackReplay::StepEnd(Timestamp start, const Window& after) const {
  if (!after.IsBusinessTime()) return calendar::AddWallTime(start, after.Duration());
  Result<Timestamp> end = calendar::WindowEnd(cn_, start, after);
  if (!end.ok()) return std::nullopt;
  return *end;
}

rules::Ticket PackReplay::OpenTicket(RuleId rule, OpenAlert& open) {
  rules::Ticket ticket;
  ticket.id = open.alert.id + "/ticket";
  ticket.department = rules_[rule].ticket_department;
  ticket.subject = open.alert.key.subject;
  ticket.alert_id = open.alert.id;
  ticket.status = rules::TicketStatus::kOpen;
  ticket.opened_at = now_;

  open.alert.ticket_id = ticket.id;
  open.ticket = ticket;
  return ticket;
}

// Copies the subject's name and people onto the alert, at raise and at each escalation.
void PackReplay::SetPeople(rules::Alert& alert) {
  std::optional<rules::SubjectInfo> info = subjects_.Resolve(alert.key.subject);
  if (!info) return;
  alert.subject_name = std::move(info->name);
  alert.owner_id = std::move(info->owner_id);
  alert.owner_manager_id = std::move(info->owner_manager_id);
}

void PackReplay::Emit(RuleId rule, const rules::Alert& alert, std::optional<rules::Ticket> ticket) {
  const std::vector<Recipient>& recipients = rules_[rule].recipients[static_cast<size_t>(alert.level)];
  rules::AlertChange change = rules::MakeChange(alert, rules::ResolveRecipients(recipients, alert));
  if (ticket) ++(ticket->status == rules::TicketStatus::kOpen ? tickets_opened_ : tickets_closed_);
  change.ticket = std::move(ticket);

  ++change_counts_[rule][static_cast<size_t>(change.action)];
  outbox_.push_back(std::move(change));
}

// --- Messages, from the pack's templates ----------------------------------------------------------

LocalizedText PackReplay::AbsenceMessage(RuleId rule, std::string_view name, const AbsenceWindow& window) const {
  const LocalizedText& within = rules_[rule].window_text;
  switch (rule) {
    case kLeadFollowUp: {
      std::string deadline = rules::FormatTime(window.deadline, &cn_);
      return {fmt::format("线索「{}」创建后 {}内没有跟进（截止 {}）", name, within.zh, deadline),
              fmt::format("Lead '{}' has had no follow-up within {} of its creation (deadline {})", name, within.en,
                          deadline)};
    }
    case kStuckInStage: {
      std::string stage = JsonText(window.stage);
      return {fmt::format("商机「{}」在阶段 {} 已停留超过 {}", name, stage, within.zh),
              fmt::format("Opportunity '{}' has been in stage {} for more than {}", name, stage, within.en)};
    }
    case kValueTarget:
      return {fmt::format("合同「{}」签订后 {}内没有录入价值目标", name, within.zh),
              fmt::format("Contract '{}' has had no value target entered within {} of signing", name, within.en)};
    case kSitePhoto:
      return {fmt::format("拜访「{}」签到后 {}内没有上传现场照片", name, within.zh),
              fmt::format("Visit '{}' has had no site photo uploaded within {} of check-in", name, within.en)};
    default: return {};
  }
}

LocalizedText PackReplay::EventMessage(RuleId rule, std::string_view name, const rules::Event& event) const {
  switch (rule) {
    case kVisitNotes: {
      std::string at = rules::FormatTime(event.occurred_at, &cn_);
      return {fmt::format("{} 已连续 {} 次拜访未填写纪要，最近一次：{}", name, kStreakLength, at),
              fmt::format("{} has completed {} visits in a row without notes, the latest at {}", name, kStreakLength,
                          at)};
    }
    case kLargeQuote: {
      std::string total = PayloadText(event.payload, "total");
      return {fmt::format("商机「{}」的报价 {} 超过 50 万元，但没有合规声明附件", name, total),
              fmt::format("The quote of {} for opportunity '{}' is above 500,000 yuan but has no compliance "
                          "statement attached",
                          total, name)};
    }
    case kDiscount: {
      std::string total = PayloadText(event.payload, "total");
      std::string list = PayloadText(event.payload, "list_total");
      return {fmt::format("商机「{}」报价 {}，标准价 {}，偏离超过 ±15%，需要审批", name, total, list),
              fmt::format("Opportunity '{}' was quoted {} against a list price of {}, more than 15 % off, so it "
                          "needs approval",
                          name, total, list)};
    }
    default: return {};
  }
}

}  // namespace

HandwrittenPackResult RunHandwrittenPack(const std::vector<rules::Event>& events, rules::SubjectResolver& subjects,
                                         const calendar::BusinessCalendar& cn, int64_t outbox_batch_events,
                                         std::vector<rules::AlertChange>* all_changes,
                                         const std::function<void()>& on_finished) {
  if (events.empty()) return {};
  PackReplay replay(subjects, cn, events.size());
  Timestamp now = events.front().occurred_at;
  int64_t processed = 0;
  for (const rules::Event& event : events) {
    now = std::max(now, event.occurred_at);
    replay.OnEvent(event, now);
    if (outbox_batch_events > 0 && ++processed % outbox_batch_events == 0) replay.DropOutbox(all_changes);
  }

  replay.FireDueTimers(now);
  replay.DropOutbox(all_changes);
  HandwrittenPackResult result = replay.Counts();
  if (on_finished) on_finished();
  return result;
}

}  // namespace salesradar::bench
