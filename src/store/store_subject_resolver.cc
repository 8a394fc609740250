#include "store/store_subject_resolver.h"

#include <variant>

#include "common/logging.h"

namespace salesradar::store {
namespace {

// Converts a stored value to the JSON that rules::JsonToCelAs reads for its declared type.
nlohmann::json ValueToJson(const model::Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<int64_t>(&value)) return *number;
  if (const auto* flag = std::get_if<bool>(&value)) return *flag;
  if (const auto* money = std::get_if<model::Money>(&value)) {
    return nlohmann::json{{"fen", money->fen}, {"currency", money->currency}};
  }
  if (const auto* reference = std::get_if<model::Reference>(&value)) return reference->external_id;
  if (std::holds_alternative<model::CivilDate>(value)) return model::DescribeValue(value) + "T00:00:00Z";
  if (std::holds_alternative<Timestamp>(value)) return model::DescribeValue(value);
  return nullptr;
}

std::string TextField(const model::FieldMap& fields, std::string_view name) {
  auto it = fields.find(name);
  if (it == fields.end()) return "";
  if (const auto* text = std::get_if<std::string>(&it->second)) return *text;
  if (const auto* reference = std::get_if<model::Reference>(&it->second)) return reference->external_id;
  return "";
}

}  // namespace

std::optional<model::EntityKind> EntityKindOfSubject(std::string_view subject_type) {
  if (subject_type == "lead") return model::EntityKind::kLead;
  if (subject_type == "opportunity") return model::EntityKind::kOpportunity;
  if (subject_type == "account") return model::EntityKind::kAccount;
  if (subject_type == "rep") return model::EntityKind::kUser;
  return std::nullopt;
}

Result<std::vector<rules::SubjectSchema>> LoadSubjectSchemas(Store& store) {
  std::vector<rules::SubjectSchema> schemas;
  for (std::string type : {"lead", "opportunity", "account", "rep"}) {
    model::EntityKind kind = *EntityKindOfSubject(type);
    SR_ASSIGN_OR_RETURN(std::vector<model::CustomFieldDefinition> custom, store.CustomFieldDefinitions(kind));
    schemas.push_back(rules::SubjectSchemaFromModel(type, kind, custom));
  }

  for (std::string type : {"contract", "visit"}) {
    rules::SubjectSchema schema;
    schema.type = type;
    schema.message.name = type == "contract" ? "Contract" : "Visit";
    schema.message.fields.push_back({"name", cel::Type::String()});
    schemas.push_back(std::move(schema));
  }
  return schemas;
}

StoreSubjectResolver::StoreSubjectResolver(Store& store, std::vector<rules::SubjectSchema> schemas) : store_(store) {
  for (rules::SubjectSchema& schema : schemas) {
    std::string type = schema.type;
    schemas_.emplace(std::move(type), std::move(schema));
  }
}

std::optional<rules::SubjectInfo> StoreSubjectResolver::Resolve(const rules::SubjectRef& subject) {
  auto cached = entries_.find(subject);
  if (cached == entries_.end()) {
    cached = entries_.emplace(subject, LoadEntry(subject)).first;
    AttachRecord(subject.type, cached->second);
  }
  if (!cached->second) return std::nullopt;

  const Entry& entry = *cached->second;
  rules::SubjectInfo info;
  info.record = entry.record.get();
  info.name = entry.name;
  info.owner_id = entry.owner_id;
  if (!entry.owner_id.empty() && LoadPeople().ok()) {
    auto person = people_.find(entry.owner_id);
    if (person != people_.end()) info.owner_manager_id = person->second.manager_id;
  }
  return info;
}

std::optional<StoreSubjectResolver::Entry> StoreSubjectResolver::LoadEntry(const rules::SubjectRef& subject) {
  std::optional<model::EntityKind> kind = EntityKindOfSubject(subject.type);
  if (!kind) return std::nullopt;

  Result<std::optional<model::Record>> loaded = store_.GetRecord(*kind, subject.id);
  if (!loaded.ok()) {
    Logger("store")->error("{}: subject lookup failed: {}", subject.ToString(), loaded.error().ToLogString());
    return std::nullopt;
  }
  if (!*loaded) return std::nullopt;

  const model::Record& record = **loaded;
  Entry entry;
  entry.fields = nlohmann::json::object();
  for (const auto& [name, value] : record.fields) entry.fields[name] = ValueToJson(value);
  for (const auto& [name, value] : record.custom_fields) entry.fields[name] = ValueToJson(value);
  entry.name = TextField(record.fields, "name");
  entry.owner_id = *kind == model::EntityKind::kUser ? record.external_id : TextField(record.fields, "owner");
  return entry;
}

// The record points into the entry's JSON, so it is made once the entry has its place in the map.
void StoreSubjectResolver::AttachRecord(const std::string& subject_type, std::optional<Entry>& entry) {
  auto schema = schemas_.find(subject_type);
  if (!entry || schema == schemas_.end()) return;
  entry->record = std::make_unique<rules::JsonRecord>(&schema->second.message, &entry->fields);
}

Status StoreSubjectResolver::LoadPeople() {
  if (people_loaded_) return OkStatus();

  SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store_.ListUsers());
  SR_ASSIGN_OR_RETURN(std::vector<model::OrgUnit> units, store_.ListOrgUnits());
  std::map<int64_t, std::string> unit_names;
  std::map<int64_t, std::string> user_ids;
  for (const model::OrgUnit& unit : units) unit_names[unit.id] = unit.name;
  for (const model::User& user : users) user_ids[user.id] = user.external_id;

  for (const model::User& user : users) {
    Person person;
    if (user.manager_id) person.manager_id = user_ids[*user.manager_id];
    if (user.org_unit_id) person.team = unit_names[*user.org_unit_id];
    people_[user.external_id] = std::move(person);
  }
  people_loaded_ = true;
  return OkStatus();
}

std::string StoreSubjectResolver::TeamOf(const std::string& user_id) {
  if (user_id.empty() || !LoadPeople().ok()) return "";
  auto person = people_.find(user_id);
  return person == people_.end() ? "" : person->second.team;
}

}  // namespace salesradar::store
