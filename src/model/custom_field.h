// Custom fields: typed fields that admins add to an entity, and the validation of their values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/locale.h"
#include "common/result.h"
#include "model/entity.h"
#include "model/value.h"

namespace salesradar::model {

struct CustomFieldDefinition {
  EntityKind entity = EntityKind::kAccount;
  std::string name;   // snake_case ASCII: [a-z][a-z0-9_]*, at most 64 bytes, unique per entity
  FieldType type = FieldType::kString;
  bool required = false;                    // an inserted record must give a non-null value
  std::vector<std::string> allowed_values;  // for kEnum only: non-empty, no duplicates
  std::optional<EntityKind> target;         // for kReference only: the kind it points to
  LocalizedText label;                      // shown in forms; zh is required, en may be empty

  // Compares every member, the label in both languages included.
  bool operator==(const CustomFieldDefinition& other) const;
};

// Checks a definition: a valid name that is not a built-in field of the entity, allowed values
// given exactly when the type is kEnum, a target given exactly when the type is kReference, and
// a non-empty Chinese label. Returns kInvalidArgument naming the field and the fix.
Status ValidateDefinition(const CustomFieldDefinition& definition);

// Checks `value` against `definition`: Null only when the field is optional, the alternative
// that the type requires, and for kEnum a value from the allowed list (exact match).
// Returns kInvalidArgument naming the entity, the field and the value, for example
// "custom field 'tier' of account: value 'Platinum' is not allowed; allowed values: gold, silver".
Status ValidateCustomValue(const CustomFieldDefinition& definition, const Value& value);

}  // namespace salesradar::model
