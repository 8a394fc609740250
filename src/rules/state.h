// The engine's per-subject state: what it persists through EngineStateStore and loads back on
// restart. Timers are not stored separately: a window's deadline and an alert's escalation or
// snooze time are the timers, and Restore arms them again.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
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

// A RuleSubjectKey made of views, to look keys up without copying them.
struct RuleSubjectView {
  std::string_view pack_id;
  std::string_view rule_id;
  std::string_view subject_type;
  std::string_view subject_id;

  RuleSubjectView(std::string_view pack, std::string_view rule, const SubjectRef& subject)
      : pack_id(pack), rule_id(rule), subject_type(subject.type), subject_id(subject.id) {}
  RuleSubjectView(const RuleSubjectKey& key)  // NOLINT(google-explicit-constructor)
      : RuleSubjectView(key.pack_id, key.rule_id, key.subject) {}

  friend bool operator==(const RuleSubjectView&, const RuleSubjectView&) = default;
};

// Hashes and equality for the engine's hash maps, searchable by RuleSubjectView.
inline size_t CombineHash(size_t seed, std::string_view text) {
  return seed ^ (std::hash<std::string_view>{}(text) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}

struct SubjectRefHash {
  size_t operator()(const SubjectRef& subject) const { return CombineHash(CombineHash(0, subject.type), subject.id); }
};

struct RuleSubjectKeyHash {
  using is_transparent = void;
  // The pack and the subject type rarely tell keys apart, so only equality reads them.
  size_t operator()(const RuleSubjectView& key) const { return CombineHash(CombineHash(0, key.subject_id), key.rule_id); }
  size_t operator()(const RuleSubjectKey& key) const { return (*this)(RuleSubjectView(key)); }
};

struct RuleSubjectKeyEqual {
  using is_transparent = void;
  bool operator()(const RuleSubjectView& a, const RuleSubjectView& b) const { return a == b; }
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
