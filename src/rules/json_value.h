// CEL views over JSON: event payloads and the subject records that tests and tools keep as JSON.
//
// Values are built lazily: a JSON array or object becomes a small view allocated in the
// evaluation's Arena, and its elements are converted when the expression reads them. Every view
// points into the JSON, so the JSON must outlive the evaluation.
#pragma once

#include <nlohmann/json.hpp>

#include "cel/arena.h"
#include "cel/env.h"
#include "cel/value.h"

namespace salesradar::rules {

// Converts `json` to a CEL value: null, bool, int (integers that fit int64), uint (larger ones),
// double, string, a list or a map. A JSON object with exactly the keys "fen" (an integer) and
// "currency" (three upper-case letters) becomes a money value, so payloads can carry amounts
// without floating point: {"fen": 50000000, "currency": "CNY"} is money(50000000, 'CNY').
// Returns an error value when the Arena is out of memory.
cel::Value JsonToCel(const nlohmann::json& json, cel::Arena& arena);

// Returns a map view of the JSON object `object`, even when it looks like money.
// REQUIRES: object.is_object().
cel::Value JsonObjectToCelMap(const nlohmann::json& object, cel::Arena& arena);

// Converts `json` as the declared field type requires: a string becomes a timestamp when the field
// is a timestamp (RFC 3339, "2026-02-13T17:00:00+08:00"), and an error value when it does not
// parse. Other types convert as JsonToCel does.
cel::Value JsonToCelAs(const nlohmann::json& json, const cel::Type& type, cel::Arena& arena);

// A record of a declared object type whose fields live in a JSON object. Fields that the type
// declares but the JSON lacks read as null. The declaration and the JSON must outlive the record.
class JsonRecord final : public cel::ObjectValue {
 public:
  JsonRecord(const cel::MessageDecl* type, const nlohmann::json* fields) : type_(type), fields_(fields) {}

  std::string_view TypeName() const override;
  std::optional<cel::Value> Field(std::string_view name, cel::Arena& arena) const override;
  bool HasField(std::string_view name) const override;

 private:
  const cel::MessageDecl* type_;
  const nlohmann::json* fields_;
};

}  // namespace salesradar::rules
