// The built-in fields of every entity kind. The SQLite migrations create one column per field
// (two for money), and a store test checks that they match this table.
#include <array>

#include "model/entity.h"

namespace salesradar::model {
namespace {

using enum FieldType;

constexpr std::array<std::string_view, 3> kOrgUnitTypes = {"company", "region", "team"};
constexpr std::array<std::string_view, 5> kRoles = {"rep", "manager", "director", "cs", "admin"};
constexpr std::array<std::string_view, 4> kStages = {"prospecting", "engaging", "won", "lost"};

constexpr std::optional<EntityKind> kNoTarget = std::nullopt;
constexpr std::span<const std::string_view> kNoValues;

constexpr FieldSpec Text(std::string_view name, bool required = false) {
  return {name, kString, required, kNoTarget, kNoValues};
}
constexpr FieldSpec Enum(std::string_view name, std::span<const std::string_view> values) {
  return {name, kEnum, true, kNoTarget, values};
}
constexpr FieldSpec Ref(std::string_view name, EntityKind target) {
  return {name, kReference, false, target, kNoValues};
}
constexpr FieldSpec Typed(std::string_view name, FieldType type, bool required = false,
                          bool non_negative = false) {
  return {name, type, required, kNoTarget, kNoValues, non_negative};
}

constexpr std::array kOrgUnitFields = {
    Text("name", true),
    Enum("type", kOrgUnitTypes),
    Ref("parent", EntityKind::kOrgUnit),
};

constexpr std::array kUserFields = {
    Text("name", true),
    Enum("role", kRoles),
    Ref("org_unit", EntityKind::kOrgUnit),
    Ref("manager", EntityKind::kUser),
    Text("email"),
};

constexpr std::array kAccountFields = {
    Text("name", true),
    Text("industry"),
    Typed("employees", kInt, false, true),
    Typed("revenue", kMoney, false, true),
    Text("region"),
    Ref("parent", EntityKind::kAccount),
    Typed("year_established", kInt),
};

constexpr std::array kContactFields = {
    Text("name", true), Ref("account", EntityKind::kAccount), Text("title"), Text("phone"),
    Text("email"),
};

constexpr std::array kProductFields = {
    Text("name", true),
    Text("series"),
    Typed("list_price", kMoney, false, true),
};

constexpr std::array kLeadFields = {
    Text("name", true), Text("company"),    Ref("owner", EntityKind::kUser),
    Text("source"),     Text("status"),     Typed("created_on", kDate),
};

constexpr std::array kOpportunityFields = {
    Text("name"),
    Enum("stage", kStages),
    Typed("amount", kMoney, false, true),
    Ref("owner", EntityKind::kUser),
    Ref("account", EntityKind::kAccount),
    Ref("product", EntityKind::kProduct),
    Typed("engage_date", kDate),
    Typed("close_date", kDate),
};

constexpr std::array kActivityFields = {
    Text("type", true),
    Ref("actor", EntityKind::kUser),
    Text("subject_type"),
    Typed("subject_id", kInt),
    Typed("occurred_at", kTimestamp, true),
    Text("subject_text"),
    Text("payload"),
};

constexpr std::array<EntityKind, 8> kAllKinds = {
    EntityKind::kOrgUnit, EntityKind::kUser, EntityKind::kAccount, EntityKind::kContact,
    EntityKind::kProduct, EntityKind::kLead, EntityKind::kOpportunity, EntityKind::kActivity,
};

}  // namespace

std::span<const EntityKind> AllEntityKinds() { return kAllKinds; }

std::span<const FieldSpec> BuiltInFields(EntityKind kind) {
  switch (kind) {
    case EntityKind::kOrgUnit: return kOrgUnitFields;
    case EntityKind::kUser: return kUserFields;
    case EntityKind::kAccount: return kAccountFields;
    case EntityKind::kContact: return kContactFields;
    case EntityKind::kProduct: return kProductFields;
    case EntityKind::kLead: return kLeadFields;
    case EntityKind::kOpportunity: return kOpportunityFields;
    case EntityKind::kActivity: return kActivityFields;
  }
  return {};
}

const FieldSpec* FindBuiltInField(EntityKind kind, std::string_view name) {
  for (const FieldSpec& spec : BuiltInFields(kind)) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

bool HasNameField(EntityKind kind) { return FindBuiltInField(kind, "name") != nullptr; }

}  // namespace salesradar::model
