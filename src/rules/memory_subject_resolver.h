// A SubjectResolver over records kept in memory as JSON, for tests, scenario files and tools.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "rules/json_value.h"
#include "rules/state.h"
#include "rules/subject.h"

namespace salesradar::rules {

class MemorySubjectResolver final : public SubjectResolver {
 public:
  // `schemas` give the CEL type of each subject type's records.
  explicit MemorySubjectResolver(std::vector<SubjectSchema> schemas);

  // Adds or replaces a subject. `fields` is a JSON object read as the schema of `subject.type`
  // declares; a subject type without a schema gets no record (only its people).
  void Put(const SubjectRef& subject, nlohmann::json fields, std::string name, std::string owner_id);

  // Sets the direct manager of `user_id`, for the owner_manager recipient.
  void SetManager(const std::string& user_id, const std::string& manager_id);

  std::optional<SubjectInfo> Resolve(const SubjectRef& subject) override;

 private:
  struct Entry {
    nlohmann::json fields;
    std::string name;
    std::string owner_id;
    std::unique_ptr<JsonRecord> record;
  };

  std::map<std::string, SubjectSchema, std::less<>> schemas_;
  std::unordered_map<SubjectRef, Entry, SubjectRefHash> subjects_;
  std::map<std::string, std::string, std::less<>> managers_;
};

}  // namespace salesradar::rules
