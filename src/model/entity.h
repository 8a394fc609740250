// Entity kinds, the schema of their built-in fields, and the generic Record that importers fill
// and the store upserts.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/locale.h"
#include "common/result.h"
#include "model/value.h"

namespace salesradar::model {

enum class EntityKind { kOrgUnit, kUser, kAccount, kContact, kProduct, kLead, kOpportunity, kActivity };

// Every kind, in the order above.
std::span<const EntityKind> AllEntityKinds();

// Returns the snake_case name used in mapping files, the database and the API: "org_unit",
// "user", "account", "contact", "product", "lead", "opportunity", "activity".
std::string_view EntityKindName(EntityKind kind);

// Parses a name that EntityKindName returns. Returns kInvalidArgument listing the names otherwise.
Result<EntityKind> ParseEntityKind(std::string_view name);

// Returns the display name in both locales, for example {"商机", "opportunity"}.
LocalizedText EntityKindLabel(EntityKind kind);

// One built-in field of an entity.
struct FieldSpec {
  std::string_view name;                    // snake_case, unique within the entity
  FieldType type;
  bool required;                            // an inserted record must give a non-null value
  std::optional<EntityKind> target;         // for kReference: the kind it points to
  std::span<const std::string_view> allowed_values;  // for kEnum: the canonical values
  bool non_negative = false;                // for kInt and kMoney: negative values are invalid
};

// Returns the built-in fields of `kind`. Every kind with a "name" field can be looked up by name.
//
//   org_unit:    name*, type* (enum company|region|team), parent (-> org_unit)
//   user:        name*, role* (enum rep|manager|director|cs|admin), org_unit (-> org_unit),
//                manager (-> user, the reporting line), email
//   account:     name*, industry, employees (int, >= 0), revenue (money, >= 0), region,
//                parent (-> account), year_established (int)
//   contact:     name*, account (-> account), title, phone, email
//   product:     name*, series, list_price (money, >= 0)
//   lead:        name*, company, owner (-> user), source, status, created_on (date)
//   opportunity: name, stage* (enum prospecting|engaging|won|lost), amount (money, >= 0),
//                owner (-> user), account (-> account), product (-> product),
//                engage_date (date), close_date (date)
//   activity:    type*, actor (-> user), subject_type (an entity kind name), subject_id (int),
//                occurred_at* (timestamp), subject_text, payload (JSON text)
//
// subject_type/subject_id name the entity the activity concerns (a lead, opportunity, account...).
// subject_text is the activity's own text: a note, a message or an e-mail subject line.
//
// (* = required; unmarked fields are strings.)
std::span<const FieldSpec> BuiltInFields(EntityKind kind);

// Returns the built-in field `name` of `kind`, or nullptr when there is none.
const FieldSpec* FindBuiltInField(EntityKind kind, std::string_view name);

// Returns true when `kind` has a "name" field (every kind except activity).
bool HasNameField(EntityKind kind);

// Returns the canonical value of the enum field `spec` that equals `text` ignoring ASCII case
// and surrounding spaces ("Won" -> "won"). Returns kInvalidArgument naming the field, the text
// and the allowed values when none matches.
Result<std::string> CanonicalEnumValue(const FieldSpec& spec, std::string_view text);

// Field values keyed by field name. std::less<> allows lookups by string_view.
using FieldMap = std::map<std::string, Value, std::less<>>;

// One entity as an importer or the API writes it. The store upserts it by (kind, external_id).
//
// Upsert merges: a field present in `fields` or `custom_fields` is set (a Null clears it), and a
// field absent from the maps keeps its stored value. On insert, absent fields are null.
struct Record {
  EntityKind kind = EntityKind::kAccount;
  std::string external_id;  // the source system's id; unique per kind, never empty
  FieldMap fields;          // built-in fields by name
  FieldMap custom_fields;   // custom fields by definition name

  bool operator==(const Record&) const = default;
};

// Checks the built-in fields of `record` against the schema. The external id must be non-empty
// and every field name known. Every value must fit its type, enum values must be canonical,
// non_negative fields not negative, currency codes valid, and references must have an id or an
// external id. An activity's subject_type must name an entity kind and its payload must be JSON.
// When `is_insert`, every required field must be present and non-null. On update a required
// field may be absent, but not Null.
// Returns kInvalidArgument naming the entity, the external id, the field and the value.
// Custom fields are checked separately against their definitions (custom_field.h).
Status ValidateBuiltInFields(const Record& record, bool is_insert);

}  // namespace salesradar::model
