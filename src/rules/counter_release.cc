// Releasing counters that can no longer matter, so that the engine's memory follows the
// subjects that are active rather than every subject it has ever seen. docs/rules.md
// ("Speed and memory") states when a counter is released.
#include <algorithm>

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

}  // namespace

void Engine::ReleaseIdleCounters() {
  Timestamp now = clock_.Now();
  if (now - last_counter_sweep_ < options_.counter_idle_release) return;
  last_counter_sweep_ = now;

  Timestamp horizon = now - options_.counter_idle_release - options_.allowed_lateness;
  for (auto it = counters_.begin(); it != counters_.end();) {
    std::optional<Timestamp> since = IdleSince(it->second);
    if (since && *since <= horizon) {
      pending_.counters.insert(it->first);
      it = counters_.erase(it);
    } else {
      ++it;
    }
  }
}

std::optional<Timestamp> Engine::IdleSince(const CounterState& counter) const {
  // Awaited events remembered for late triggers are forgotten by ForgetOldAwaited.
  if (!counter.recent_awaited.empty()) return std::nullopt;

  const CompiledRule* rule = RuleOf(counter.key.pack_id, counter.key.rule_id, counter.version);
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

}  // namespace salesradar::rules
