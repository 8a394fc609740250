// Helpers for the event lists of count and streak rules.
#pragma once

#include <algorithm>
#include <vector>

#include "rules/state.h"

namespace salesradar::rules {

// Inserts `event` keeping `events` ordered by event time, then by event id.
inline void InsertInOrder(std::vector<CountedEvent>& events, CountedEvent event) {
  auto position = std::upper_bound(events.begin(), events.end(), event, [](const CountedEvent& a, const CountedEvent& b) {
    return a.occurred_at != b.occurred_at ? a.occurred_at < b.occurred_at : a.event_id < b.event_id;
  });
  events.insert(position, std::move(event));
}

// Inserts `event` after every event that occurred at or before its time, so that events with
// the same time keep their arrival order; returns its position.
inline std::vector<CountedEvent>::iterator InsertAfterSameTime(std::vector<CountedEvent>& events, CountedEvent event) {
  auto position = std::upper_bound(events.begin(), events.end(), event.occurred_at,
                                   [](Timestamp at, const CountedEvent& e) { return at < e.occurred_at; });
  return events.insert(position, std::move(event));
}

// Removes the events at or before `until`, which the last alert used.
inline void EraseUpTo(std::vector<CountedEvent>& events, Timestamp until) {
  std::erase_if(events, [&](const CountedEvent& e) { return e.occurred_at <= until; });
}

}  // namespace salesradar::rules
