// Streak rules: N trigger events in a row, in event-time order, for which the streak condition
// holds. An event for which it does not hold breaks the streak. Events with the same event time
// count in the order they arrived. docs/rules.md states the exact semantics.
#include "rules/counted_events.h"
#include "rules/engine.h"

namespace salesradar::rules {

void Engine::ApplyStreak(const CompiledRule& rule, const SubjectRef& subject, const Event& event) {
  RuleActivation activation(&event, nullptr, nullptr, &subject, &subjects_);
  std::optional<bool> continues = EvaluateBool(rule, *rule.streak_condition, activation, "streak.condition", event.id);
  if (!continues) return;

  // A breaking event resolves the alert unless it happened before the alert was raised.
  if (!*continues && rule.rule->streak->resolve_when_broken) {
    Alert* alert = OpenAlertFor(rule, subject);
    if (alert != nullptr && alert->raised_at <= event.occurred_at) {
      FinishAlert(*alert, kSystemActor, AlertAction::kResolvedAutomatically, "streak broken by event " + event.id);
    }
  }

  // Events before the last event of the streak that fired were used up by it.
  CounterState& counter = CounterFor(rule, subject);
  if (counter.consumed_until && event.occurred_at < *counter.consumed_until) return;
  InsertAfterSameTime(counter.events, {event.id, event.occurred_at, *continues});

  size_t length = static_cast<size_t>(rule.rule->streak->length);
  size_t run = 0;
  for (auto entry = counter.events.begin(); entry != counter.events.end(); ++entry) {
    run = entry->continues ? run + 1 : 0;
    if (run < length) continue;

    // The streak fired: its events do not count again, and counting starts over after them.
    Timestamp last = entry->occurred_at;
    counter.consumed_until = last;
    counter.events.erase(counter.events.begin(), entry + 1);
    RaiseRequest request;
    request.rule = &rule;
    request.subject = subject;
    request.event = &event;
    request.raised_at = last;
    request.count = static_cast<int64_t>(length);
    RaiseAlert(request);
    return;
  }

  // Older events matter only to a late event that lands between them, so keep a few runs' worth.
  if (counter.events.size() > 2 * length) {
    counter.events.erase(counter.events.begin(), counter.events.end() - static_cast<std::ptrdiff_t>(2 * length));
  }
}

}  // namespace salesradar::rules
