#include "store/sqlite/columns.h"

#include <cassert>

namespace salesradar::store::sqlite {

using model::EntityKind;
using model::FieldType;
using model::Value;

std::string_view TableName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kOrgUnit: return "org_units";
    case EntityKind::kUser: return "users";
    case EntityKind::kAccount: return "accounts";
    case EntityKind::kContact: return "contacts";
    case EntityKind::kProduct: return "products";
    case EntityKind::kLead: return "leads";
    case EntityKind::kOpportunity: return "opportunities";
    case EntityKind::kActivity: return "activities";
  }
  return "accounts";
}

std::vector<std::string> ColumnsOf(const model::FieldSpec& spec) {
  std::string name(spec.name);
  switch (spec.type) {
    case FieldType::kReference: return {name + "_id"};
    case FieldType::kMoney: return {name + "_fen", name + "_currency"};
    default: return {name};
  }
}

std::string SelectRowSql(EntityKind kind) {
  std::string sql = "SELECT id, external_id, created_at, updated_at";
  for (const model::FieldSpec& spec : model::BuiltInFields(kind)) {
    for (const std::string& column : ColumnsOf(spec)) {
      sql += ", " + column;
    }
  }
  sql += " FROM ";
  sql += TableName(kind);
  return sql;
}

StoredRow ReadStoredRow(const Statement& statement, EntityKind kind) {
  StoredRow row;
  row.id = statement.Int(0);
  row.external_id = statement.Text(1);
  row.created_at = FromUnixMicros(statement.Int(2));
  row.updated_at = FromUnixMicros(statement.Int(3));

  int column = 4;
  for (const model::FieldSpec& spec : model::BuiltInFields(kind)) {
    row.fields.emplace(std::string(spec.name), ReadFieldValue(statement, &column, spec.type));
  }
  return row;
}

void BindFieldValue(Statement& statement, int* index, FieldType type, const Value& value) {
  if (model::IsNull(value)) {
    statement.BindNull((*index)++);
    if (type == FieldType::kMoney) {
      statement.BindNull((*index)++);
    }
    return;
  }

  switch (type) {
    case FieldType::kString:
    case FieldType::kEnum:
      statement.BindText((*index)++, std::get<std::string>(value));
      return;
    case FieldType::kInt:
      statement.BindInt((*index)++, std::get<int64_t>(value));
      return;
    case FieldType::kMoney: {
      const auto& money = std::get<model::Money>(value);
      statement.BindInt((*index)++, money.fen);
      statement.BindText((*index)++, money.currency);
      return;
    }
    case FieldType::kDate:
      statement.BindText((*index)++, model::FormatIsoDate(std::get<model::CivilDate>(value)));
      return;
    case FieldType::kTimestamp:
      statement.BindInt((*index)++, ToUnixMicros(std::get<Timestamp>(value)));
      return;
    case FieldType::kBool:
      statement.BindInt((*index)++, std::get<bool>(value) ? 1 : 0);
      return;
    case FieldType::kReference:
      assert(std::get<model::Reference>(value).id > 0);
      statement.BindInt((*index)++, std::get<model::Reference>(value).id);
      return;
  }
}

Value ReadFieldValue(const Statement& statement, int* index, FieldType type) {
  int column = *index;
  *index += type == FieldType::kMoney ? 2 : 1;
  if (statement.IsNull(column)) {
    return model::Null{};
  }

  switch (type) {
    case FieldType::kString:
    case FieldType::kEnum: return statement.Text(column);
    case FieldType::kInt: return statement.Int(column);
    case FieldType::kMoney: return model::Money{statement.Int(column), statement.Text(column + 1)};
    case FieldType::kDate: {
      // Only the store writes this column, always through FormatIsoDate.
      auto date = model::ParseIsoDate(statement.Text(column));
      return date.ok() ? Value(*date) : Value(model::Null{});
    }
    case FieldType::kTimestamp: return FromUnixMicros(statement.Int(column));
    case FieldType::kBool: return statement.Int(column) != 0;
    case FieldType::kReference: return model::Reference{statement.Int(column), ""};
  }
  return model::Null{};
}

}  // namespace salesradar::store::sqlite
