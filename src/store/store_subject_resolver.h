// rules::SubjectResolver over the Store: a subject's record (lead, opportunity, account, or a
// rep as a user), its owner, the owner's direct manager and the owner's org unit.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/entity.h"
#include "rules/json_value.h"
#include "rules/subject.h"
#include "store/store.h"

namespace salesradar::store {

// Returns the entity kind whose rows hold subjects of `subject_type`: lead, opportunity,
// account, and rep (users). Other subject types (contract, visit) have no table yet.
std::optional<model::EntityKind> EntityKindOfSubject(std::string_view subject_type);

// Builds the subject schemas for rule packs: the model entities with their custom fields from
// `store`, and a schema with only `name` for the subject types that have no table yet.
Result<std::vector<rules::SubjectSchema>> LoadSubjectSchemas(Store& store);

// Thread-safety: not thread-safe; the engine calls it from its own thread. Borrows `store`,
// which must outlive it. Records are read once per subject and cached: a backtest reads each
// subject once, and a long-running engine should make a new resolver when records change.
// NOTE: the cache is never trimmed, so its memory grows with the number of subjects seen.
class StoreSubjectResolver final : public rules::SubjectResolver {
 public:
  StoreSubjectResolver(Store& store, std::vector<rules::SubjectSchema> schemas);

  std::optional<rules::SubjectInfo> Resolve(const rules::SubjectRef& subject) override;

  // Returns the name of the org unit of `user_id` (an external id), or "" when unknown.
  std::string TeamOf(const std::string& user_id);

 private:
  struct Entry {
    nlohmann::json fields;
    std::string name;
    std::string owner_id;
    std::unique_ptr<rules::JsonRecord> record;
  };

  struct Person {
    std::string manager_id;
    std::string team;
  };

  Status LoadPeople();
  std::optional<Entry> LoadEntry(const rules::SubjectRef& subject);
  void AttachRecord(const std::string& subject_type, std::optional<Entry>& entry);

  Store& store_;
  std::map<std::string, rules::SubjectSchema, std::less<>> schemas_;
  std::map<rules::SubjectRef, std::optional<Entry>> entries_;
  std::map<std::string, Person, std::less<>> people_;  // by user external id
  bool people_loaded_ = false;
};

}  // namespace salesradar::store
