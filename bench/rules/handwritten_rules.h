// The conditions of examples/rules/b2b-default.yaml written directly in C++ over the same
// events, for comparison next to the ceiling of handwritten_pack.h. It has no alert records,
// escalation, history or persistence. It only counts the alerts each rule raises, and the times
// a rule fired again for a subject whose alert was still unresolved (the engine's refires).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rules/event.h"

namespace salesradar::bench {

struct HandwrittenAlerts {
  std::map<std::string, int64_t> raised;   // by rule id
  std::map<std::string, int64_t> refired;  // by rule id; only the streak rule refires on these events
};

// Returns the alerts per rule id. Windows still open after the last event do not count.
HandwrittenAlerts RunHandwrittenRules(const std::vector<rules::Event>& events);

}  // namespace salesradar::bench
