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

// A timer that fired. The pointers are the keys given to ArmWindow and ArmAlert, valid until
// the engine erases those entries.
struct TimerTarget {
  enum class Kind { kWindowDeadline, kAlert };
  Kind kind = Kind::kWindowDeadline;
  const RuleSubjectKey* window = nullptr;  // for kWindowDeadline
  // For kAlert: escalation or snooze end, whichever the alert's status calls for.
  const std::string* alert_id = nullptr;
  Timestamp deadline;
};

// Not thread-safe: the engine's thread owns it.
class EngineTimers {
 public:
  EngineTimers(Timestamp start, Microseconds tick) : wheel_(start, tick) {}

  // Arms the deadline of a window, replacing a timer it had. `stored_key` is the key of the
  // window's entry in the engine's map, which must outlive the timer: cancel it before erasing
  // the entry.
  void ArmWindow(const RuleSubjectKey* stored_key, Timestamp deadline);
  void CancelWindow(const RuleSubjectKey* stored_key);

  // Arms the one timer of an alert, replacing a timer it had. `stored_id` is the key of the
  // alert's entry in the engine's map, with the same lifetime rule as above.
  void ArmAlert(const std::string* stored_id, Timestamp at);
  void CancelAlert(const std::string* stored_id);

  // Moves the timers due at or before `now` to the ready list, in deadline order. Returns false
  // when none is due.
  bool AdvanceTo(Timestamp now);

  // Removes and returns the next ready timer, or nullopt when the list is used up. A ready timer
  // that was cancelled or armed again meanwhile is skipped, so that a handler may cancel timers
  // and erase their entries before the others are handed out.
  std::optional<TimerTarget> TakeNextReady();

  // Returns a time before which nothing is due, or nullopt when no timer is armed.
  std::optional<Timestamp> NextAt() const { return wheel_.NextEventTime(); }

  size_t size() const { return targets_.size(); }
  size_t MemoryBytes() const { return wheel_.MemoryBytes(); }

 private:
  struct Armed {
    TimerHandle handle;
    TimerId id = 0;
  };

  // What an armed timer is for: a pointer to the key of an entry in the engine's maps.
  struct Target {
    const RuleSubjectKey* window = nullptr;
    const std::string* alert_id = nullptr;
    Timestamp deadline;
  };

  Armed ArmTarget(const Target& target);
  void Cancel(const Armed& armed);

  TimingWheel wheel_;
  std::vector<ExpiredTimer> ready_;  // from the last AdvanceTo
  size_t next_ready_ = 0;
  TimerId next_id_ = 1;
  std::unordered_map<TimerId, Target> targets_;
  // By the address of the engine's key: no key is copied or hashed as text.
  std::unordered_map<const RuleSubjectKey*, Armed> windows_;
  std::unordered_map<const std::string*, Armed> alerts_;
};

}  // namespace salesradar::rules
