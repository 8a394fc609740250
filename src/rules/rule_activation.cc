#include "rules/rule_activation.h"

namespace salesradar::rules {

const SubjectInfo* SubjectCache::Find(const SubjectRef& subject) {
  auto it = cache_.find(subject);
  if (it == cache_.end()) it = cache_.emplace(subject, resolver_.Resolve(subject)).first;
  return it->second ? &*it->second : nullptr;
}

RuleActivation::RuleActivation(const Event* event, const Event* trigger, const Event* awaited,
                               const SubjectRef* subject, SubjectCache* subjects)
    : subject_(subject), subjects_(subjects) {
  if (event != nullptr) event_.emplace(event);
  if (trigger != nullptr) trigger_.emplace(trigger);
  if (awaited != nullptr) awaited_.emplace(awaited);
}

std::optional<cel::Value> RuleActivation::FindVariable(std::string_view name, cel::Arena&) const {
  if (name == "event" && event_) return cel::Value::Object(&*event_);
  if (name == "trigger" && trigger_) return cel::Value::Object(&*trigger_);
  if (name == "awaited" && awaited_) return cel::Value::Object(&*awaited_);

  // An unknown subject, or one without a record, stays unbound: reading it fails the evaluation.
  if (name == "subject" && subject_ != nullptr && subjects_ != nullptr) {
    const SubjectInfo* info = subjects_->Find(*subject_);
    if (info != nullptr && info->record != nullptr) return cel::Value::Object(info->record);
  }
  return std::nullopt;
}

}  // namespace salesradar::rules
