// examples/rules/b2b-default.yaml written by hand in C++, doing the same work as rules::Engine
// for that pack: event-id dedupe, the seven rules, alert records with messages and history,
// escalation timers, tickets and an outbox of alert changes. It is the ceiling for the
// engine, next to the conditions-only loop of handwritten_rules.h. There is no rule engine, no
// CEL and no per-rule generic state here, and nothing is persisted.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "calendar/business_calendar.h"
#include "rules/alert.h"
#include "rules/event.h"
#include "rules/subject.h"

namespace salesradar::bench {

// Alert changes by rule id, then by action name ("raised", "escalated" ...).
using ChangeCounts = std::map<std::string, std::map<std::string, int64_t, std::less<>>, std::less<>>;

struct HandwrittenPackResult {
  ChangeCounts changes;
  int64_t tickets_opened = 0;
  int64_t tickets_closed = 0;
  std::map<std::string, int64_t> raised;   // by rule id
  std::map<std::string, int64_t> refired;  // by rule id
  int64_t invalid_events = 0;  // rejected by rules::ValidateEvent, as the engine rejects them
};

// Replays `events` as the replay benchmark drives the engine. The simulated clock starts at the
// first event's time and moves to each later event time before the event is processed. The
// outbox is dropped after every `outbox_batch_events` events, and the timers due by the last
// clock time fire at the end. `subjects` gives names and owners, and `cn` is the pack's calendar
// for business-time escalation steps. When `all_changes` is not null it receives every change
// in order, instead of the changes being dropped. `on_finished`, when set, runs after the last
// timers fired and before the replay's state is freed, so that a benchmark can leave the
// teardown out of its timing as it does for the engine.
// NOTE: the streak rule counts visits in arrival order. The engine places a visit that arrives
// after a later one by its event time, so the two differ for input not sorted by event time.
HandwrittenPackResult RunHandwrittenPack(const std::vector<rules::Event>& events, rules::SubjectResolver& subjects,
                                         const calendar::BusinessCalendar& cn, int64_t outbox_batch_events = 50'000,
                                         std::vector<rules::AlertChange>* all_changes = nullptr,
                                         const std::function<void()>& on_finished = {});

}  // namespace salesradar::bench
