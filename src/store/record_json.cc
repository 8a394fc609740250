#include "store/record_json.h"

#include <nlohmann/json.hpp>

namespace salesradar::store {
namespace {

using nlohmann::json;

json ValueJson(const model::Value& value) {
  struct Visitor {
    json operator()(const model::Null&) const { return nullptr; }
    json operator()(const std::string& text) const { return text; }
    json operator()(int64_t number) const { return number; }
    json operator()(const model::Money& money) const {
      return json{{"currency", money.currency}, {"fen", money.fen}};
    }
    json operator()(const model::CivilDate& date) const { return model::FormatIsoDate(date); }
    json operator()(const Timestamp& at) const { return ToUnixMicros(at); }
    json operator()(bool flag) const { return flag; }
    json operator()(const model::Reference& reference) const {
      if (reference.id > 0) {
        return reference.id;
      }
      return json{{"external_id", reference.external_id}};
    }
  };
  return std::visit(Visitor{}, value);
}

json FieldsJson(const model::FieldMap& fields) {
  json object = json::object();
  for (const auto& [name, value] : fields) {
    object[name] = ValueJson(value);
  }
  return object;
}

}  // namespace

std::string RecordStateJson(std::string_view external_id, const model::FieldMap& fields,
                            const model::FieldMap& custom_fields) {
  json state = json::object();
  if (!external_id.empty()) {
    state["external_id"] = external_id;
  }
  if (!fields.empty()) {
    state["fields"] = FieldsJson(fields);
  }
  if (!custom_fields.empty()) {
    state["custom_fields"] = FieldsJson(custom_fields);
  }
  // Invalid UTF-8 in a field is replaced rather than failing the write it records.
  return state.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace salesradar::store
