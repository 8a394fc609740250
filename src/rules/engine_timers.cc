#include "rules/engine_timers.h"

namespace salesradar::rules {

TimerId EngineTimers::Arm(TimerTarget target) {
  TimerId id = next_id_++;
  targets_.emplace(id, std::move(target));
  return id;
}

void EngineTimers::Cancel(const Armed& armed) {
  wheel_.Cancel(armed.handle);
  targets_.erase(armed.id);
}

void EngineTimers::ArmWindow(const RuleSubjectKey& key, Timestamp deadline) {
  CancelWindow(key);
  TimerId id = Arm({TimerTarget::Kind::kWindowDeadline, key, "", deadline});
  windows_[key] = Armed{wheel_.Arm(id, deadline), id};
}

void EngineTimers::CancelWindow(const RuleSubjectKey& key) {
  auto it = windows_.find(key);
  if (it == windows_.end()) return;
  Cancel(it->second);
  windows_.erase(it);
}

void EngineTimers::ArmAlert(const std::string& alert_id, Timestamp at) {
  CancelAlert(alert_id);
  TimerId id = Arm({TimerTarget::Kind::kAlert, {}, alert_id, at});
  alerts_[alert_id] = Armed{wheel_.Arm(id, at), id};
}

void EngineTimers::CancelAlert(const std::string& alert_id) {
  auto it = alerts_.find(alert_id);
  if (it == alerts_.end()) return;
  Cancel(it->second);
  alerts_.erase(it);
}

std::vector<TimerTarget> EngineTimers::TakeDue(Timestamp now) {
  std::vector<TimerTarget> due;
  for (const ExpiredTimer& expired : wheel_.Advance(now)) {
    auto it = targets_.find(expired.id);
    if (it == targets_.end()) continue;
    TimerTarget target = std::move(it->second);
    targets_.erase(it);

    if (target.kind == TimerTarget::Kind::kWindowDeadline) {
      windows_.erase(target.window);
    } else {
      alerts_.erase(target.alert_id);
    }
    due.push_back(std::move(target));
  }
  return due;
}

}  // namespace salesradar::rules
