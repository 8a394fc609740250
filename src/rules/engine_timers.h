// The engine's timers on the timing wheel: absence-window deadlines, and for each unresolved
// alert at most one of its escalation time and its snooze end.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "rules/dedupe_cache.h"
#include "rules/state.h"
#include "rules/timing_wheel.h"

namespace salesradar::rules {

struct TimerTarget {
  enum class Kind { kWindowDeadline, kAlert };
  Kind kind = Kind::kWindowDeadline;
  RuleSubjectKey window;  // for kWindowDeadline
  std::string alert_id;   // for kAlert: escalation or snooze end, whichever the alert's status calls for
  Timestamp deadline;
};

// Not thread-safe: the engine's thread owns it.
class EngineTimers {
 public:
  EngineTimers(Timestamp start, Microseconds tick) : wheel_(start, tick) {}

  // Arms the deadline of the window `key`, replacing a timer it had.
  void ArmWindow(const RuleSubjectKey& key, Timestamp deadline);
  void CancelWindow(const RuleSubjectKey& key);

  // Arms the one timer of alert `alert_id`, replacing a timer it had.
  void ArmAlert(const std::string& alert_id, Timestamp at);
  void CancelAlert(const std::string& alert_id);

  // Removes and returns the timers due at or before `now`, in deadline order.
  std::vector<TimerTarget> TakeDue(Timestamp now);

  // Returns a time before which nothing is due, or nullopt when no timer is armed.
  std::optional<Timestamp> NextAt() const { return wheel_.NextEventTime(); }

  size_t size() const { return targets_.size(); }
  size_t MemoryBytes() const { return wheel_.MemoryBytes(); }

 private:
  struct Armed {
    TimerHandle handle;
    TimerId id = 0;
  };

  // What an armed timer is for: a pointer to its key in windows_ or alerts_, whose entries
  // live exactly as long as the timer.
  struct Target {
    const RuleSubjectKey* window = nullptr;
    const std::string* alert_id = nullptr;
    Timestamp deadline;
  };

  void Cancel(const Armed& armed);

  TimingWheel wheel_;
  TimerId next_id_ = 1;
  std::unordered_map<TimerId, Target> targets_;
  std::unordered_map<RuleSubjectKey, Armed, RuleSubjectKeyHash, RuleSubjectKeyEqual> windows_;
  std::unordered_map<std::string, Armed, TextHash, std::equal_to<>> alerts_;
};

}  // namespace salesradar::rules
