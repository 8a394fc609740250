// Subjects: the entities that rules watch (lead, opportunity, contract, visit, rep ...), their
// declared fields for the CEL checker, and the caller-side lookup of their records and people.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cel/env.h"
#include "cel/value.h"
#include "model/custom_field.h"
#include "model/entity.h"
#include "rules/event.h"

namespace salesradar::rules {

// One subject type as rules see it. `type` is the name rule packs write ("lead"); `message`
// declares the CEL object type of `subject` in that rule's expressions, custom fields included
// as plain fields, for example {"Lead", {{"name", string}, {"source", string}, {"region", string}}}.
struct SubjectSchema {
  std::string type;
  cel::MessageDecl message;
};

// Returns the CEL type of a model field type. String, enum and reference fields become strings
// (a reference is the referenced record's id as text). Date and timestamp fields become
// timestamps, a date being its midnight in UTC. Int, money and bool keep their types.
cel::Type CelTypeOfField(model::FieldType type);

// Builds the schema of the model entity `kind` under the subject type name `type`: its built-in
// fields and the custom fields defined for it (definitions of other entities are skipped). The
// CEL type name is `type` with its first letter in upper case ("lead" → "Lead").
SubjectSchema SubjectSchemaFromModel(std::string type, model::EntityKind kind,
                                     std::span<const model::CustomFieldDefinition> custom_fields);

// The engine's view of one subject: its record and the people to notify.
struct SubjectInfo {
  // The record whose fields `subject.x` reads, or nullptr when the caller has none. Then an
  // expression that reads `subject` fails and is counted as a failed evaluation.
  const cel::ObjectValue* record = nullptr;
  std::string name;              // shown as {subject.name} in messages; the id when empty
  std::string owner_id;          // the user who owns the subject, for the `owner` recipient
  std::string owner_manager_id;  // that user's direct manager, for `owner_manager`
};

// Looks subjects up for the engine. The edge implements it over the store; tests use
// MemorySubjectResolver.
//
// Thread-safety: the engine calls it from its own thread only.
class SubjectResolver {
 public:
  virtual ~SubjectResolver() = default;

  // Returns the subject's record and people, or nullopt when the subject is unknown. The engine
  // calls it at most once per subject within one call (OnEvent, FireDueTimers ...), and the
  // record must stay valid until that call returns.
  virtual std::optional<SubjectInfo> Resolve(const SubjectRef& subject) = 0;
};

}  // namespace salesradar::rules
