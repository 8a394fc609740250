// The engine's per-subject state: what it persists through EngineStateStore and loads back on
// restart. Timers are not stored separately: a window's deadline and an alert's escalation or
// snooze time are the timers, and Restore arms them again.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "rules/event.h"

namespace salesradar::rules {

// Names the state of one rule for one subject. The version is not part of the key: a subject
// has at most one absence window per rule, whichever version opened it.
struct RuleSubjectKey {
  std::string pack_id;
  std::string rule_id;
  SubjectRef subject;

  friend auto operator<=>(const RuleSubjectKey&, const RuleSubjectKey&) = default;
};

// An absence window: opened by a trigger event, closed by the awaited event. After the deadline
// passes the window fires, raises `alert_id` and stays to resolve that alert when the awaited
// event comes after all. It keeps the version that opened it.
struct WindowState {
  RuleSubjectKey key;
  int64_t version = 0;
  Event trigger;
  Timestamp deadline;    // end of the window, exclusive: the awaited event must occur before it
  std::string alert_id;  // empty while the window is open; set once it fired

  bool fired() const { return !alert_id.empty(); }

  friend bool operator==(const WindowState&, const WindowState&) = default;
};

// One event seen by a count or streak rule.
struct CountedEvent {
  std::string event_id;
  Timestamp occurred_at;
  bool continues = true;  // streak rules: the streak condition held

  friend bool operator==(const CountedEvent&, const CountedEvent&) = default;
};

// The counters of a count, streak or threshold rule for one subject, and the awaited events an
// absence rule remembers for triggers that arrive late. Counters belong to one version: a
// newly published version starts them again.
struct CounterState {
  RuleSubjectKey key;
  int64_t version = 0;
  std::vector<CountedEvent> events;  // count and streak: recent events in event-time order
  // Count and streak: events at or before this time were used by the last alert.
  std::optional<Timestamp> consumed_until;
  bool crossed = false;                      // threshold: fired and not yet re-armed
  std::optional<Timestamp> last_value_at;    // threshold: event time of the newest value seen
  std::vector<Event> recent_awaited;         // absence: awaited events that matched no window

  friend bool operator==(const CounterState&, const CounterState&) = default;
};

}  // namespace salesradar::rules
