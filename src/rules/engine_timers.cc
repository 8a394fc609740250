#include "rules/engine_timers.h"

namespace salesradar::rules {

void EngineTimers::Cancel(const Armed& armed) {
  wheel_.Cancel(armed.handle);
  targets_.erase(armed.id);
}

EngineTimers::Armed EngineTimers::ArmTarget(const Target& target) {
  TimerId id = next_id_++;
  targets_.emplace(id, target);
  return Armed{wheel_.Arm(id, target.deadline), id};
}

void EngineTimers::ArmWindow(const RuleSubjectKey* stored_key, Timestamp deadline) {
  auto [it, inserted] = windows_.try_emplace(stored_key);
  if (!inserted) Cancel(it->second);
  it->second = ArmTarget({stored_key, nullptr, deadline});
}

void EngineTimers::CancelWindow(const RuleSubjectKey* stored_key) {
  auto it = windows_.find(stored_key);
  if (it == windows_.end()) return;
  Cancel(it->second);
  windows_.erase(it);
}

void EngineTimers::ArmAlert(const std::string* stored_id, Timestamp at) {
  auto [it, inserted] = alerts_.try_emplace(stored_id);
  if (!inserted) Cancel(it->second);
  it->second = ArmTarget({nullptr, stored_id, at});
}

void EngineTimers::CancelAlert(const std::string* stored_id) {
  auto it = alerts_.find(stored_id);
  if (it == alerts_.end()) return;
  Cancel(it->second);
  alerts_.erase(it);
}

bool EngineTimers::AdvanceTo(Timestamp now) {
  ready_.clear();
  next_ready_ = 0;
  wheel_.Advance(now, &ready_);
  return !ready_.empty();
}

std::optional<TimerTarget> EngineTimers::TakeNextReady() {
  while (next_ready_ < ready_.size()) {
    auto it = targets_.find(ready_[next_ready_++].id);
    if (it == targets_.end()) continue;  // cancelled, or replaced by a later arm
    Target armed = it->second;
    targets_.erase(it);

    TimerTarget target;
    target.deadline = armed.deadline;
    target.window = armed.window;
    target.alert_id = armed.alert_id;
    if (armed.window != nullptr) {
      target.kind = TimerTarget::Kind::kWindowDeadline;
      windows_.erase(armed.window);
    } else {
      target.kind = TimerTarget::Kind::kAlert;
      alerts_.erase(armed.alert_id);
    }
    return target;
  }
  return std::nullopt;
}

}  // namespace salesradar::rules
