// Threshold rules: fire when a value crosses the limit, re-arm (and resolve the alert) when it
// comes back to the re-arm level.
#include "rules/engine.h"

namespace salesradar::rules {

void Engine::ApplyThreshold(const CompiledRule& rule, const SubjectRef& subject, const Event& event) {
  RuleActivation activation(&event, nullptr, nullptr, &subject, &subjects_);
  std::optional<double> value = EvaluateNumber(rule, *rule.threshold_value, activation, "threshold.value", event.id);
  if (!value) return;

  CounterState& counter = CounterFor(rule, subject);
  // A value older than the newest one seen is stale; it must not undo a newer crossing.
  if (counter.last_value_at && event.occurred_at < *counter.last_value_at) return;
  counter.last_value_at = event.occurred_at;

  const ThresholdSpec& spec = *rule.rule->threshold;
  bool beyond = spec.upward ? *value > spec.limit : *value < spec.limit;
  bool back = spec.upward ? *value <= spec.rearm : *value >= spec.rearm;

  if (!counter.crossed && beyond) {
    counter.crossed = true;
    RaiseRequest request;
    request.rule = &rule;
    request.subject = subject;
    request.event = &event;
    request.raised_at = event.occurred_at;
    request.value = *value;
    RaiseAlert(request);
    return;
  }

  if (counter.crossed && back) {
    counter.crossed = false;
    Alert* alert = OpenAlertFor(rule, subject);
    if (alert != nullptr) {
      FinishAlert(*alert, kSystemActor, AlertAction::kResolvedAutomatically,
                  "value back at the re-arm level, event " + event.id);
    }
  }
}

}  // namespace salesradar::rules
