// Binding the CEL variables of rule expressions (event, trigger, awaited, subject) for one
// evaluation, with the subject looked up only when an expression reads it.
#pragma once

#include <deque>
#include <optional>
#include <unordered_map>

#include "cel/activation.h"
#include "rules/event_object.h"
#include "rules/state.h"
#include "rules/subject.h"

namespace salesradar::rules {

// The subjects resolved during one engine call, so that each is asked for once. Clear() at the
// end of the call, because the records are only valid until then.
class SubjectCache {
 public:
  explicit SubjectCache(SubjectResolver& resolver) : resolver_(resolver) {}

  // Returns the subject's information, or nullptr when the resolver does not know it.
  const SubjectInfo* Find(const SubjectRef& subject);

  void Clear() {
    cache_.clear();
    // clear() would zero every bucket of a once-large index on each call, so the index is dropped.
    if (!index_.empty()) index_ = {};
  }

 private:
  struct Entry {
    SubjectRef subject;
    std::optional<SubjectInfo> info;
  };

  // Most calls touch a few subjects, so a linear search beats hashing. A call that fires many
  // timers at once may touch thousands, and then the index finds them.
  static constexpr size_t kLinearSearchLimit = 8;

  const Entry* Lookup(const SubjectRef& subject) const;

  SubjectResolver& resolver_;
  std::deque<Entry> cache_;  // a deque keeps the returned pointers valid while it grows
  std::unordered_map<SubjectRef, const Entry*, SubjectRefHash> index_;  // once cache_ outgrows the limit
};

class RuleActivation final : public cel::Activation {
 public:
  // Each event may be null when the expression does not declare that variable. `subject` may
  // be null for expressions that cannot read it.
  RuleActivation(const Event* event, const Event* trigger, const Event* awaited, const SubjectRef* subject,
                 SubjectCache* subjects);

  std::optional<cel::Value> FindVariable(std::string_view name, cel::Arena& arena) const override;

 private:
  std::optional<EventObject> event_;
  std::optional<EventObject> trigger_;
  std::optional<EventObject> awaited_;
  const SubjectRef* subject_;
  SubjectCache* subjects_;
};

}  // namespace salesradar::rules
