// Matching an event against the rules it triggers, in the active version of each pack.
#include "rules/engine.h"

namespace salesradar::rules {

void Engine::ApplyTriggers(const Event& event) {
  for (const auto& [pack_id, pack] : active_) {
    for (const CompiledRule* rule : pack->TriggeredBy(event.type)) {
      std::optional<SubjectRef> subject = RuleSubjectOf(*rule, event, false);
      if (!subject) continue;

      // Loop protection: an event that this rule's own alert caused on the same subject.
      if (event.origin_rule == rule->qualified_id && event.subject == *subject) {
        ++StatsOf(*rule).loop_skips;
        continue;
      }

      if (rule->trigger_condition) {
        RuleActivation activation(&event, nullptr, nullptr, &*subject, &subjects_);
        std::optional<bool> matches =
            EvaluateBool(*rule, *rule->trigger_condition, activation, "trigger.condition", event.id);
        if (!matches || !*matches) continue;
      }

      switch (rule->rule->kind) {
        case RuleKind::kCondition: ApplyCondition(*rule, *subject, event); break;
        case RuleKind::kAbsence: OpenWindow(*rule, *subject, event); break;
        case RuleKind::kCount: ApplyCount(*rule, *subject, event); break;
        case RuleKind::kStreak: ApplyStreak(*rule, *subject, event); break;
        case RuleKind::kThreshold: ApplyThreshold(*rule, *subject, event); break;
      }
    }
  }
}

void Engine::ApplyCondition(const CompiledRule& rule, const SubjectRef& subject, const Event& event) {
  RaiseRequest request;
  request.rule = &rule;
  request.subject = subject;
  request.event = &event;
  request.raised_at = event.occurred_at;
  RaiseAlert(request);
}

CounterState& Engine::CounterFor(const CompiledRule& rule, const SubjectRef& subject) {
  RuleSubjectView view(rule.pack_id, rule.rule->id, subject);
  auto it = counters_.find(view);
  if (it != counters_.end()) {
    pending_.counters.Changed(it->second);
    if (it->second.version == rule.version) return it->second;
  }

  RuleSubjectKey key{rule.pack_id, rule.rule->id, subject};
  CounterState fresh;
  fresh.key = key;
  fresh.version = rule.version;
  if (it != counters_.end()) {
    it->second = std::move(fresh);
    return it->second;
  }
  CounterState& added = counters_.emplace(std::move(key), std::move(fresh)).first->second;
  pending_.counters.Changed(added);
  return added;
}

}  // namespace salesradar::rules
