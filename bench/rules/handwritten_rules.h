// The conditions of examples/rules/b2b-default.yaml written directly in C++ over the same
// events: the ceiling that the rules engine is measured against. No escalation, no history,
// no persistence; it only counts the alerts each rule raises.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rules/event.h"

namespace salesradar::bench {

// Returns the alerts raised per rule id. Windows still open after the last event do not count.
std::map<std::string, int64_t> RunHandwrittenRules(const std::vector<rules::Event>& events);

}  // namespace salesradar::bench
