#include "rules/rule_activation.h"

namespace salesradar::rules {

const SubjectInfo* SubjectCache::Find(const SubjectRef& subject) {
  const Entry* found = Lookup(subject);
  if (found == nullptr) {
    found = &cache_.emplace_back(Entry{subject, resolver_.Resolve(subject)});
    if (!index_.empty()) {
      index_.emplace(subject, found);
    } else if (cache_.size() > kLinearSearchLimit) {
      for (const Entry& entry : cache_) index_.emplace(entry.subject, &entry);
    }
  }
  return found->info ? &*found->info : nullptr;
}

const SubjectCache::Entry* SubjectCache::Lookup(const SubjectRef& subject) const {
  if (!index_.empty()) {
    auto it = index_.find(subject);
    return it == index_.end() ? nullptr : it->second;
  }
  for (const Entry& entry : cache_) {
    if (entry.subject == subject) return &entry;
  }
  return nullptr;
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
