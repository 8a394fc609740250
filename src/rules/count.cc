// Count rules: at least N trigger events within one window, by event time.
#include "rules/counted_events.h"
#include "rules/engine.h"

namespace salesradar::rules {

void Engine::ApplyCount(const CompiledRule& rule, const SubjectRef& subject, const Event& event) {
  CounterState& counter = CounterFor(rule, subject);
  if (counter.consumed_until && event.occurred_at <= *counter.consumed_until) return;
  InsertInOrder(counter.events, {event.id, event.occurred_at, true});

  // Forget events whose window ends before the newest event: no window contains both.
  const calendar::Window& window = *rule.rule->window;
  while (counter.events.size() > 1) {
    std::optional<Timestamp> end = EndOfWindow(rule, counter.events.front().occurred_at, window, "window", event.id);
    if (!end) return;
    if (*end > counter.events.back().occurred_at) break;
    counter.events.erase(counter.events.begin());
  }

  // The window starts at the first event of a group, so the group fits when its last event
  // occurred before that window ends.
  size_t needed = static_cast<size_t>(rule.rule->count->at_least);
  for (size_t first = 0; first + needed <= counter.events.size(); ++first) {
    std::optional<Timestamp> end = EndOfWindow(rule, counter.events[first].occurred_at, window, "window", event.id);
    if (!end) return;
    Timestamp last = counter.events[first + needed - 1].occurred_at;
    if (last >= *end) continue;

    counter.consumed_until = last;
    EraseUpTo(counter.events, last);
    RaiseRequest request;
    request.rule = &rule;
    request.subject = subject;
    request.event = &event;
    request.raised_at = last;
    request.count = static_cast<int64_t>(needed);
    RaiseAlert(request);
    return;
  }
}

}  // namespace salesradar::rules
