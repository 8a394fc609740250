// Releasing counters that can no longer matter, so that the engine's memory follows the
// subjects that are active rather than every subject it has ever seen. docs/rules.md
// ("Speed and memory") states when a counter is released.
#include <algorithm>
#include <string>
#include <vector>

#include "rules/engine.h"

namespace salesradar::rules {
namespace {

// The end of the window that starts at `start`, without reporting a failure: a window that the
// calendar cannot compute keeps its counter.
std::optional<Timestamp> WindowEndQuietly(const CompiledRule& rule, Timestamp start) {
  const calendar::Window& window = *rule.rule->window;
  if (!window.IsBusinessTime()) return calendar::AddWallTime(start, window.Duration());
  if (rule.calendar == nullptr) return std::nullopt;
  Result<Timestamp> end = calendar::WindowEnd(*rule.calendar, start, window);
  if (!end.ok()) return std::nullopt;
  return *end;
}

// The event time from which a count counter can no longer fire on an event that arrives on time:
// the end of the window that starts at its newest event. nullopt while it cannot be computed.
std::optional<Timestamp> CountIdleSince(const CompiledRule& rule, const CounterState& counter) {
  std::optional<Timestamp> since = counter.consumed_until;
  if (counter.events.empty()) return since ? since : Timestamp{};
  std::optional<Timestamp> end = WindowEndQuietly(rule, counter.events.back().occurred_at);
  if (!end) return std::nullopt;
  return since ? std::max(*since, *end) : *end;
}

// A streak counter is idle once its run is back at zero: no events, or a breaking event last.
std::optional<Timestamp> StreakIdleSince(const CounterState& counter) {
  if (!counter.events.empty() && counter.events.back().continues) return std::nullopt;
  Timestamp since = counter.events.empty() ? Timestamp{} : counter.events.back().occurred_at;
  if (counter.consumed_until) since = std::max(since, *counter.consumed_until);
  return since;
}

// A threshold counter is idle while the value is on the safe side of the limit.
std::optional<Timestamp> ThresholdIdleSince(const CounterState& counter) {
  if (counter.crossed) return std::nullopt;
  return counter.last_value_at.value_or(Timestamp{});
}

// Returns the event time since which `counter` of `rule` cannot fire on an event that arrives on
// time, or nullopt while it can.
std::optional<Timestamp> IdleSince(const CounterState& counter, const CompiledRule* rule) {
  // Awaited events remembered for late triggers are forgotten by ForgetOldAwaited.
  if (!counter.recent_awaited.empty()) return std::nullopt;
  if (rule == nullptr) return Timestamp{};
  switch (rule->rule->kind) {
    case RuleKind::kCount: return CountIdleSince(*rule, counter);
    case RuleKind::kStreak: return StreakIdleSince(counter);
    case RuleKind::kThreshold: return ThresholdIdleSince(counter);
    case RuleKind::kCondition:
    case RuleKind::kAbsence: break;
  }
  return Timestamp{};
}

// The rules of the counters seen in one sweep. A sweep meets few distinct rules, so a short list
// is cheaper than looking each counter's rule up in the versions map.
class RuleLookup {
 public:
  template <typename Find>
  const CompiledRule* Get(const CounterState& counter, Find find) {
    for (const Entry& entry : entries_) {
      if (entry.version == counter.version && entry.rule_id == counter.key.rule_id &&
          entry.pack_id == counter.key.pack_id) {
        return entry.rule;
      }
    }
    const CompiledRule* rule = find(counter);
    entries_.push_back({counter.key.pack_id, counter.key.rule_id, counter.version, rule});
    return rule;
  }

 private:
  struct Entry {
    std::string pack_id;  // a copy, because the sweep erases the counter it came from
    std::string rule_id;
    int64_t version = 0;
    const CompiledRule* rule = nullptr;
  };
  std::vector<Entry> entries_;
};

}  // namespace

void Engine::ReleaseIdleCounters() {
  Timestamp now = clock_.Now();
  if (now - last_counter_sweep_ < options_.counter_idle_release) return;
  last_counter_sweep_ = now;

  Timestamp horizon = now - options_.counter_idle_release - options_.allowed_lateness;
  RuleLookup rules;
  auto find = [this](const CounterState& counter) {
    return RuleOf(counter.key.pack_id, counter.key.rule_id, counter.version);
  };
  for (auto it = counters_.begin(); it != counters_.end();) {
    std::optional<Timestamp> since = IdleSince(it->second, rules.Get(it->second, find));
    auto next = std::next(it);
    if (since && *since <= horizon) pending_.counters.Erase(counters_, it);
    it = next;
  }
}

}  // namespace salesradar::rules
