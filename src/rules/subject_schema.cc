#include <cctype>

#include "rules/subject.h"

namespace salesradar::rules {

cel::Type CelTypeOfField(model::FieldType type) {
  switch (type) {
    case model::FieldType::kString:
    case model::FieldType::kEnum:
    case model::FieldType::kReference:
      return cel::Type::String();
    case model::FieldType::kInt:
      return cel::Type::Int();
    case model::FieldType::kMoney:
      return cel::Type::Money();
    case model::FieldType::kDate:
    case model::FieldType::kTimestamp:
      return cel::Type::Timestamp();
    case model::FieldType::kBool:
      return cel::Type::Bool();
  }
  return cel::Type::Dyn();
}

SubjectSchema SubjectSchemaFromModel(std::string type, model::EntityKind kind,
                                     std::span<const model::CustomFieldDefinition> custom_fields) {
  SubjectSchema schema;
  schema.message.name = type;
  if (!schema.message.name.empty()) {
    schema.message.name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(schema.message.name[0])));
  }
  schema.type = std::move(type);

  for (const model::FieldSpec& field : model::BuiltInFields(kind)) {
    schema.message.fields.push_back({std::string(field.name), CelTypeOfField(field.type)});
  }
  for (const model::CustomFieldDefinition& field : custom_fields) {
    if (field.entity != kind) continue;
    schema.message.fields.push_back({field.name, CelTypeOfField(field.type)});
  }
  return schema;
}

}  // namespace salesradar::rules
