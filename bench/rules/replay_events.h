// Generated events for the replay benchmark: a B2B sales process with leads, visits,
// opportunities and contracts, in event-time order, shaped for examples/rules/b2b-default.yaml.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "rules/event.h"

namespace salesradar::bench {

// Returns `count` events starting at `start`, the same for the same arguments. About a third
// of the absence triggers get no awaited event in time, so that every rule fires.
std::vector<rules::Event> GenerateB2bEvents(int64_t count, Timestamp start, uint64_t seed);

}  // namespace salesradar::bench
