#include "rules/engine_timers.h"

namespace salesradar::rules {

void EngineTimers::Cancel(const Armed& armed) {
  wheel_.Cancel(armed.handle);
  targets_.erase(armed.id);
}

void EngineTimers::ArmWindow(const RuleSubjectKey& key, Timestamp deadline) {
  auto it = windows_.find(key);
  if (it == windows_.end()) {
    it = windows_.emplace(key, Armed{}).first;
  } else {
    Cancel(it->second);
  }
  TimerId id = next_id_++;
  targets_.emplace(id, Target{&it->first, nullptr, deadline});
  it->second = Armed{wheel_.Arm(id, deadline), id};
}

void EngineTimers::CancelWindow(const RuleSubjectKey& key) {
  auto it = windows_.find(key);
  if (it == windows_.end()) return;
  Cancel(it->second);
  windows_.erase(it);
}

void EngineTimers::ArmAlert(const std::string& alert_id, Timestamp at) {
  auto it = alerts_.find(alert_id);
  if (it == alerts_.end()) {
    it = alerts_.emplace(alert_id, Armed{}).first;
  } else {
    Cancel(it->second);
  }
  TimerId id = next_id_++;
  targets_.emplace(id, Target{nullptr, &it->first, at});
  it->second = Armed{wheel_.Arm(id, at), id};
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
    Target armed = it->second;
    targets_.erase(it);

    TimerTarget target;
    target.deadline = armed.deadline;
    if (armed.window != nullptr) {
      target.kind = TimerTarget::Kind::kWindowDeadline;
      target.window = *armed.window;
      windows_.erase(target.window);
    } else {
      target.kind = TimerTarget::Kind::kAlert;
      target.alert_id = *armed.alert_id;
      alerts_.erase(target.alert_id);
    }
    due.push_back(std::move(target));
  }
  return due;
}

}  // namespace salesradar::rules
