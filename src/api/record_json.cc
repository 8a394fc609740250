#include "api/record_json.h"

#include "api/request_io.h"

namespace salesradar::api {

using nlohmann::json;

json ValueJson(const model::Value& value) {
  if (const auto* text = std::get_if<std::string>(&value)) return *text;
  if (const auto* number = std::get_if<int64_t>(&value)) return *number;
  if (const auto* money = std::get_if<model::Money>(&value)) {
    return {{"amount_fen", money->fen}, {"currency", money->currency}};
  }
  if (const auto* date = std::get_if<model::CivilDate>(&value)) {
    return model::FormatIsoDate(*date);
  }
  if (const auto* time = std::get_if<Timestamp>(&value)) return FormatTime(*time);
  if (const auto* flag = std::get_if<bool>(&value)) return *flag;
  if (const auto* reference = std::get_if<model::Reference>(&value)) return reference->id;
  return nullptr;
}

json RecordJson(const store::RecordRow& row) {
  json out = json::object();
  out["id"] = row.id;
  out["external_id"] = row.record.external_id;

  for (const model::FieldSpec& spec : model::BuiltInFields(row.record.kind)) {
    std::string name(spec.name);
    auto field = row.record.fields.find(name);
    const model::Value value = field != row.record.fields.end() ? field->second : model::Null{};

    if (spec.type == model::FieldType::kReference) {
      out[name + "_id"] = ValueJson(value);
      if (auto display = row.reference_names.find(name); display != row.reference_names.end()) {
        out[name + "_name"] = display->second;
      }
      continue;
    }
    if (name == "payload") {
      const auto* text = std::get_if<std::string>(&value);
      json parsed = text != nullptr ? json::parse(*text, nullptr, /*allow_exceptions=*/false)
                                    : json(nullptr);
      out[name] = parsed.is_discarded() ? json(*text) : parsed;
      continue;
    }
    out[name] = ValueJson(value);
  }
  if (auto subject = row.reference_names.find("subject"); subject != row.reference_names.end()) {
    out["subject_name"] = subject->second;
  }

  json custom = json::object();
  for (const auto& [name, value] : row.record.custom_fields) {
    custom[name] = ValueJson(value);
  }
  out["custom_fields"] = std::move(custom);
  out["created_at"] = FormatTime(row.created_at);
  out["updated_at"] = FormatTime(row.updated_at);
  return out;
}

json StageChangeJson(const model::StageChange& change) {
  return {{"kind", "stage_change"},
          {"at", FormatTime(change.changed_at)},
          {"from_stage", change.from_stage.empty() ? json(nullptr) : json(change.from_stage)},
          {"to_stage", change.to_stage}};
}

}  // namespace salesradar::api
