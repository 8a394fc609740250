// Absence rules: a trigger opens a window, the awaited event closes it, and a deadline that
// passes first raises an alert that the awaited event still resolves when it comes later.
#include <algorithm>

#include "rules/engine.h"

namespace salesradar::rules {
namespace {

// The most awaited events remembered per rule and subject for late triggers.
constexpr size_t kMaxRememberedAwaited = 4;

bool EarlierEvent(const Event& a, const Event& b) {
  return a.occurred_at != b.occurred_at ? a.occurred_at < b.occurred_at : a.id < b.id;
}

}  // namespace

void Engine::ApplyAwaited(const Event& event) {
  for (const auto& [version_key, pack] : versions_) {
    bool active = IsActiveVersion(version_key);
    auto windows = windows_per_version_.find(version_key);
    bool has_windows = windows != windows_per_version_.end() && windows->second > 0;
    if (!active && !has_windows) continue;

    for (const CompiledRule* rule : pack->Awaiting(event.type)) {
      std::optional<SubjectRef> subject = RuleSubjectOf(*rule, event, true);
      if (!subject) continue;

      auto window = windows_.find(RuleSubjectView(rule->pack_id, rule->rule->id, *subject));
      if (window == windows_.end()) {
        if (active) RememberAwaited(*rule, *subject, event);
        continue;
      }
      if (window->second.version == rule->version) TryAwaited(window->first, *rule, event);
    }
  }
}

// `window_key` may be the key stored in windows_; it is copied before the window is erased.
bool Engine::TryAwaited(const RuleSubjectKey& window_key, const CompiledRule& rule, const Event& awaited) {
  RuleSubjectKey key = window_key;
  WindowState& window = windows_.at(key);
  if (awaited.occurred_at < window.trigger.occurred_at) return false;

  if (rule.awaited_condition) {
    RuleActivation activation(nullptr, &window.trigger, &awaited, &key.subject, &subjects_);
    std::optional<bool> matches = EvaluateBool(rule, *rule.awaited_condition, activation, "awaited.condition", awaited.id);
    if (!matches || !*matches) return false;
  }

  if (!window.fired() && awaited.occurred_at < window.deadline) {
    EraseWindow(key);
    return true;
  }

  // The awaited event occurred at or after the deadline: the alert is due (raise it now if the
  // clock has not fired it yet) and the event resolves it.
  if (!window.fired()) FireWindow(key);
  std::string alert_id = windows_.at(key).alert_id;
  ResolveAutomatically(alert_id, "awaited event " + awaited.id + " (" + awaited.type + ")");
  return true;
}

void Engine::RememberAwaited(const CompiledRule& rule, const SubjectRef& subject, const Event& awaited) {
  if (options_.late_trigger_memory.count() <= 0) return;

  awaited_remembered_ = true;
  CounterState& counter = CounterFor(rule, subject);
  std::vector<Event>& remembered = counter.recent_awaited;
  remembered.push_back(awaited);
  std::sort(remembered.begin(), remembered.end(), EarlierEvent);
  if (remembered.size() > kMaxRememberedAwaited) {
    remembered.erase(remembered.begin(), remembered.end() - static_cast<std::ptrdiff_t>(kMaxRememberedAwaited));
  }
}

void Engine::OpenWindow(const CompiledRule& rule, const SubjectRef& subject, const Event& trigger) {
  // One window per rule and subject: while one is open or waiting to resolve its alert, later
  // triggers for the subject change nothing.
  if (windows_.find(RuleSubjectView(rule.pack_id, rule.rule->id, subject)) != windows_.end()) return;

  std::optional<Timestamp> deadline = EndOfWindow(rule, trigger.occurred_at, *rule.rule->window, "window", trigger.id);
  if (!deadline) return;

  WindowState window;
  window.key = RuleSubjectKey{rule.pack_id, rule.rule->id, subject};
  window.version = rule.version;
  window.trigger = trigger;
  window.deadline = *deadline;
  RuleSubjectKey map_key = window.key;
  auto stored = windows_.emplace(std::move(map_key), std::move(window)).first;
  const RuleSubjectKey& key = stored->first;
  ++windows_per_version_[{rule.pack_id, rule.version}];
  pending_.windows.Changed(stored->second);

  // A late trigger: an awaited event that came first may already close the window.
  auto counter = awaited_remembered_ ? counters_.find(key) : counters_.end();
  if (counter != counters_.end() && counter->second.version == rule.version) {
    std::vector<Event> remembered = counter->second.recent_awaited;
    for (const Event& awaited : remembered) {
      if (!TryAwaited(key, rule, awaited)) continue;
      CounterState& state = CounterFor(rule, subject);
      std::erase_if(state.recent_awaited, [&](const Event& e) { return e.id == awaited.id; });
      return;
    }
  }

  timers_.ArmWindow(&key, *deadline + options_.allowed_lateness);
}

void Engine::FireWindow(const RuleSubjectKey& key) {
  auto it = windows_.find(key);
  if (it == windows_.end() || it->second.fired()) return;
  const CompiledRule* rule = RuleOf(key.pack_id, key.rule_id, it->second.version);
  if (rule == nullptr) return;  // Restore and Publish keep every version that a window names.

  timers_.CancelWindow(&it->first);
  RaiseRequest request;
  request.rule = rule;
  request.subject = key.subject;
  request.event = &it->second.trigger;
  request.raised_at = it->second.deadline;
  request.deadline = it->second.deadline;
  std::string alert_id = RaiseAlert(request);

  WindowState& fired = windows_.at(key);
  fired.alert_id = alert_id;
  pending_.windows.Changed(fired);
}

// `key` may be the key stored in windows_: it is not valid after the call.
void Engine::EraseWindow(const RuleSubjectKey& key) {
  auto it = windows_.find(key);
  if (it == windows_.end()) return;

  timers_.CancelWindow(&it->first);
  auto count = windows_per_version_.find({key.pack_id, it->second.version});
  if (count != windows_per_version_.end() && count->second > 0 && --count->second == 0) unload_check_due_ = true;
  pending_.windows.Erase(windows_, it);
}

void Engine::ForgetOldAwaited() {
  if (options_.late_trigger_memory.count() <= 0) return;
  Timestamp now = clock_.Now();
  if (now - last_memory_sweep_ < options_.late_trigger_memory) return;
  last_memory_sweep_ = now;

  Timestamp horizon = now - options_.late_trigger_memory;
  for (auto it = counters_.begin(); it != counters_.end();) {
    CounterState& counter = it->second;
    size_t before = counter.recent_awaited.size();
    std::erase_if(counter.recent_awaited, [&](const Event& e) { return e.occurred_at < horizon; });
    if (counter.recent_awaited.size() != before) pending_.counters.Changed(counter);

    bool empty = counter.recent_awaited.empty() && counter.events.empty() && !counter.crossed &&
                 !counter.consumed_until && !counter.last_value_at;
    auto next = std::next(it);
    if (empty && before > 0) pending_.counters.Erase(counters_, it);
    it = next;
  }
}

}  // namespace salesradar::rules
