#include "store/postgres/pg_columns.h"

#include <cassert>

namespace salesradar::store::postgres {

using model::FieldType;
using model::Value;

void AddFieldParams(PgParams* params, FieldType type, const Value& value) {
  if (model::IsNull(value)) {
    params->AddNull();
    if (type == FieldType::kMoney) {
      params->AddNull();
    }
    return;
  }

  switch (type) {
    case FieldType::kString:
    case FieldType::kEnum:
      params->AddText(std::get<std::string>(value));
      return;
    case FieldType::kInt:
      params->AddInt(std::get<int64_t>(value));
      return;
    case FieldType::kMoney: {
      const auto& money = std::get<model::Money>(value);
      params->AddInt(money.fen);
      params->AddText(money.currency);
      return;
    }
    case FieldType::kDate:
      params->AddText(model::FormatIsoDate(std::get<model::CivilDate>(value)));
      return;
    case FieldType::kTimestamp:
      params->AddInt(ToUnixMicros(std::get<Timestamp>(value)));
      return;
    case FieldType::kBool:
      params->AddBool(std::get<bool>(value));
      return;
    case FieldType::kReference:
      assert(std::get<model::Reference>(value).id > 0);
      params->AddInt(std::get<model::Reference>(value).id);
      return;
  }
}

Value ReadFieldValue(const PgResult& result, int row, int* column, FieldType type) {
  int first = *column;
  *column += type == FieldType::kMoney ? 2 : 1;
  if (result.IsNull(row, first)) {
    return model::Null{};
  }

  switch (type) {
    case FieldType::kString:
    case FieldType::kEnum: return std::string(result.Text(row, first));
    case FieldType::kInt: return result.Int(row, first);
    case FieldType::kMoney:
      return model::Money{result.Int(row, first), std::string(result.Text(row, first + 1))};
    case FieldType::kDate: {
      // The session's DateStyle is ISO, so a DATE arrives as YYYY-MM-DD.
      auto date = model::ParseIsoDate(result.Text(row, first));
      return date.ok() ? Value(*date) : Value(model::Null{});
    }
    case FieldType::kTimestamp: return FromUnixMicros(result.Int(row, first));
    case FieldType::kBool: return result.Bool(row, first);
    case FieldType::kReference: return model::Reference{result.Int(row, first), ""};
  }
  return model::Null{};
}

StoredRow ReadStoredRow(const PgResult& result, int row, model::EntityKind kind) {
  StoredRow stored;
  stored.id = result.Int(row, 0);
  stored.external_id = std::string(result.Text(row, 1));
  stored.created_at = FromUnixMicros(result.Int(row, 2));
  stored.updated_at = FromUnixMicros(result.Int(row, 3));

  int column = 4;
  for (const model::FieldSpec& spec : model::BuiltInFields(kind)) {
    stored.fields.emplace(std::string(spec.name), ReadFieldValue(result, row, &column, spec.type));
  }
  return stored;
}

}  // namespace salesradar::store::postgres
