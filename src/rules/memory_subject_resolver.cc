#include "rules/memory_subject_resolver.h"

namespace salesradar::rules {

MemorySubjectResolver::MemorySubjectResolver(std::vector<SubjectSchema> schemas) {
  for (SubjectSchema& schema : schemas) {
    std::string type = schema.type;
    schemas_[type] = std::move(schema);
  }
}

void MemorySubjectResolver::Put(const SubjectRef& subject, nlohmann::json fields, std::string name,
                                std::string owner_id) {
  Entry& entry = subjects_[subject];
  entry.fields = std::move(fields);
  entry.name = std::move(name);
  entry.owner_id = std::move(owner_id);
  entry.record.reset();

  auto schema = schemas_.find(subject.type);
  if (schema != schemas_.end()) {
    entry.record = std::make_unique<JsonRecord>(&schema->second.message, &entry.fields);
  }
}

void MemorySubjectResolver::SetManager(const std::string& user_id, const std::string& manager_id) {
  managers_[user_id] = manager_id;
}

std::optional<SubjectInfo> MemorySubjectResolver::Resolve(const SubjectRef& subject) {
  auto it = subjects_.find(subject);
  if (it == subjects_.end()) return std::nullopt;

  SubjectInfo info;
  info.record = it->second.record.get();
  info.name = it->second.name;
  info.owner_id = it->second.owner_id;
  auto manager = managers_.find(info.owner_id);
  if (manager != managers_.end()) info.owner_manager_id = manager->second;
  return info;
}

}  // namespace salesradar::rules
