#include "store/record_query_sql.h"

#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "model/name_key.h"
#include "store/sqlite/columns.h"

namespace salesradar::store {
namespace {

using model::EntityKind;

enum class KeyType { kInt, kText, kDate };

struct SortColumn {
  std::string_view column;
  KeyType type;
  bool nullable;
};

// The column behind each sort field of record_query.cc's lists.
SortColumn SortColumnOf(EntityKind kind, std::string_view field) {
  if (field == "id") return {"id", KeyType::kInt, false};
  if (field == "created_at" || field == "updated_at" || field == "occurred_at") {
    return {field, KeyType::kInt, false};
  }
  if (field == "name") return {"name", KeyType::kText, kind == EntityKind::kOpportunity};
  if (field == "stage" || field == "type") return {field, KeyType::kText, false};
  if (field == "employees") return {"employees", KeyType::kInt, true};
  if (field == "revenue") return {"revenue_fen", KeyType::kInt, true};
  if (field == "amount") return {"amount_fen", KeyType::kInt, true};
  if (field == "close_date" || field == "engage_date" || field == "created_on") {
    return {field, KeyType::kDate, true};
  }
  return {field, KeyType::kText, true};  // industry, region, title, company, status, source
}

// Collects parameters and writes their placeholders in the dialect's syntax.
class ParamWriter {
 public:
  explicit ParamWriter(SqlDialect dialect) : dialect_(dialect) {}

  std::string Int(int64_t value) {
    params_.emplace_back(value);
    return Placeholder("bigint");
  }
  std::string Text(std::string value) {
    params_.emplace_back(std::move(value));
    return Placeholder("text");
  }
  std::string Date(model::CivilDate date) {
    params_.emplace_back(model::FormatIsoDate(date));
    return Placeholder("date");
  }
  std::string Bool(bool value) {
    if (dialect_ == SqlDialect::kSqlite) {
      return Int(value ? 1 : 0);
    }
    params_.emplace_back(std::string(value ? "t" : "f"));
    return Placeholder("boolean");
  }

  // Returns "<column> IN <the ids>" with one array parameter.
  std::string InIds(std::string_view column, std::span<const int64_t> ids) {
    if (dialect_ == SqlDialect::kSqlite) {
      params_.emplace_back(nlohmann::json(std::vector<int64_t>(ids.begin(), ids.end())).dump());
      return fmt::format("{} IN (SELECT value FROM json_each({}))", column, Placeholder(""));
    }
    params_.emplace_back(fmt::format("{{{}}}", fmt::join(ids, ",")));
    return fmt::format("{} = ANY({})", column, Placeholder("bigint[]"));
  }

  // Returns "<column> IN <the texts>" with one array parameter.
  std::string InTexts(std::string_view column, std::span<const std::string> values) {
    if (dialect_ == SqlDialect::kSqlite) {
      params_.emplace_back(nlohmann::json(std::vector<std::string>(values.begin(), values.end()))
                               .dump());
      return fmt::format("{} IN (SELECT value FROM json_each({}))", column, Placeholder(""));
    }
    std::vector<std::string> quoted;
    for (const std::string& value : values) {
      std::string escaped;
      for (char c : value) {
        if (c == '"' || c == '\\') escaped += '\\';
        escaped += c;
      }
      quoted.push_back("\"" + escaped + "\"");
    }
    params_.emplace_back(fmt::format("{{{}}}", fmt::join(quoted, ",")));
    return fmt::format("{} = ANY({})", column, Placeholder("text[]"));
  }

  // Returns a condition that `haystack` contains the text `needle`.
  std::string Contains(std::string_view haystack, std::string needle) {
    std::string param = Text(std::move(needle));
    if (dialect_ == SqlDialect::kSqlite) {
      return fmt::format("instr({}, {}) > 0", haystack, param);
    }
    return fmt::format("strpos({}, {}) > 0", haystack, param);
  }

  SqlDialect dialect() const { return dialect_; }
  std::vector<SqlParam> Take() { return std::move(params_); }

 private:
  std::string Placeholder(std::string_view pg_type) const {
    size_t number = params_.size();
    if (dialect_ == SqlDialect::kSqlite) {
      return fmt::format("?{}", number);
    }
    return pg_type.empty() ? fmt::format("${}", number) : fmt::format("${}::{}", number, pg_type);
  }

  SqlDialect dialect_;
  std::vector<SqlParam> params_;
};

// The expression of a sort field, NULL folded into the smallest value.
std::string SortExpression(const SortColumn& sort, SqlDialect dialect) {
  std::string column = fmt::format("t.{}", sort.column);
  bool pg = dialect == SqlDialect::kPostgres;
  std::string expression = column;
  if (sort.nullable) {
    switch (sort.type) {
      case KeyType::kInt: expression = fmt::format("COALESCE({}, -1)", column); break;
      case KeyType::kText: expression = fmt::format("COALESCE({}, '')", column); break;
      case KeyType::kDate:
        expression = pg ? fmt::format("COALESCE({}, DATE '0001-01-01')", column)
                        : fmt::format("COALESCE({}, '0001-01-01')", column);
        break;
    }
  }
  if (pg && sort.type == KeyType::kText) {
    // Byte order, as SQLite compares texts, so that both backends page the same way.
    expression += " COLLATE \"C\"";
  }
  return expression;
}

// Returns "IN (ids of the users in the subtree of `unit`)" as a subquery.
std::string UsersInSubtree(ParamWriter& params, int64_t unit) {
  return fmt::format(
      "(SELECT su.id FROM users su WHERE su.org_unit_id IN (WITH RECURSIVE sub(id) AS"
      " (SELECT {} UNION SELECT so.id FROM org_units so JOIN sub ON so.parent_id = sub.id)"
      " SELECT id FROM sub))",
      params.Int(unit));
}

// Conditions on the owners of the rows: the owner column itself, or for accounts and contacts
// the owners of the account's opportunities.
void AddOwnerConditions(EntityKind kind, const RecordFilter& filter, ParamWriter& params,
                        std::vector<std::string>* conditions) {
  std::vector<std::string> owner_matches;
  auto column = [&](std::string_view owner_column) {
    owner_matches.clear();
    if (filter.owner_id) {
      owner_matches.push_back(fmt::format("{} = {}", owner_column, params.Int(*filter.owner_id)));
    }
    if (filter.org_unit_id) {
      owner_matches.push_back(
          fmt::format("{} IN {}", owner_column, UsersInSubtree(params, *filter.org_unit_id)));
    }
    return fmt::format("{}", fmt::join(owner_matches, " AND "));
  };
  if (!filter.owner_id && !filter.org_unit_id) {
    return;
  }

  switch (kind) {
    case EntityKind::kLead:
    case EntityKind::kOpportunity:
      conditions->push_back(column("t.owner_id"));
      return;
    case EntityKind::kActivity:
      conditions->push_back(column("t.actor_id"));
      return;
    case EntityKind::kAccount:
      conditions->push_back(fmt::format(
          "EXISTS (SELECT 1 FROM opportunities fo WHERE fo.account_id = t.id AND {})",
          column("fo.owner_id")));
      return;
    case EntityKind::kContact:
      conditions->push_back(fmt::format(
          "t.account_id IN (SELECT fo.account_id FROM opportunities fo WHERE {})",
          column("fo.owner_id")));
      return;
    default:
      return;
  }
}

void AddTimeRange(std::string_view column, const TimeRange& range, ParamWriter& params,
                  std::vector<std::string>* conditions) {
  if (range.from) {
    conditions->push_back(fmt::format("t.{} >= {}", column, params.Int(ToUnixMicros(*range.from))));
  }
  if (range.before) {
    conditions->push_back(
        fmt::format("t.{} < {}", column, params.Int(ToUnixMicros(*range.before))));
  }
}

// Returns the condition that the row's custom field `filter.name` equals `filter.value`.
std::string CustomFieldCondition(EntityKind kind, const CustomFieldFilter& filter, int index,
                                 ParamWriter& params) {
  std::string value_ref = fmt::format("cf{}", index);
  std::string match;
  const model::Value& value = filter.value;
  if (const auto* text = std::get_if<std::string>(&value)) {
    match = fmt::format("{}.string_value = {}", value_ref, params.Text(*text));
  } else if (const auto* number = std::get_if<int64_t>(&value)) {
    match = fmt::format("{}.int_value = {}", value_ref, params.Int(*number));
  } else if (const auto* money = std::get_if<model::Money>(&value)) {
    match = fmt::format("{0}.money_fen = {1} AND {0}.money_currency = {2}", value_ref,
                        params.Int(money->fen), params.Text(money->currency));
  } else if (const auto* date = std::get_if<model::CivilDate>(&value)) {
    match = fmt::format("{}.date_value = {}", value_ref, params.Date(*date));
  } else if (const auto* time = std::get_if<Timestamp>(&value)) {
    match = fmt::format("{}.timestamp_value = {}", value_ref, params.Int(ToUnixMicros(*time)));
  } else if (const auto* flag = std::get_if<bool>(&value)) {
    match = fmt::format("{}.bool_value = {}", value_ref, params.Bool(*flag));
  } else if (const auto* reference = std::get_if<model::Reference>(&value)) {
    match = fmt::format("{}.reference_id = {}", value_ref, params.Int(reference->id));
  } else {
    return "1 = 0";  // Null matches no stored value
  }

  std::string definition = fmt::format(
      "(SELECT cd.id FROM custom_field_definitions cd WHERE cd.entity = {} AND cd.name = {})",
      params.Text(std::string(model::EntityKindName(kind))), params.Text(filter.name));
  return fmt::format(
      "EXISTS (SELECT 1 FROM custom_field_values {0} WHERE {0}.entity_id = t.id"
      " AND {0}.field_id = {1} AND {2})",
      value_ref, definition, match);
}

std::vector<std::string> FilterConditions(const RecordQuery& query, ParamWriter& params) {
  const RecordFilter& filter = query.filter;
  EntityKind kind = query.kind;
  std::vector<std::string> conditions;

  if (!filter.ids.empty()) {
    conditions.push_back(params.InIds("t.id", filter.ids));
  }
  AddOwnerConditions(kind, filter, params, &conditions);
  if (!filter.stages.empty()) {
    conditions.push_back(params.InTexts("t.stage", filter.stages));
  }
  if (!filter.statuses.empty()) {
    conditions.push_back(params.InTexts("t.status", filter.statuses));
  }
  if (!filter.types.empty()) {
    conditions.push_back(params.InTexts("t.type", filter.types));
  }
  if (filter.account_id) {
    conditions.push_back(fmt::format("t.account_id = {}", params.Int(*filter.account_id)));
  }
  if (filter.product_id) {
    conditions.push_back(fmt::format("t.product_id = {}", params.Int(*filter.product_id)));
  }
  if (filter.subject) {
    conditions.push_back(fmt::format(
        "t.subject_type = {} AND t.subject_id = {}",
        params.Text(std::string(model::EntityKindName(filter.subject->kind))),
        params.Int(filter.subject->id)));
  }

  if (!filter.name_contains.empty()) {
    if (kind == EntityKind::kActivity) {
      // lower() folds ASCII only in SQLite; the needle is folded the same way.
      std::string needle = filter.name_contains;
      for (char& c : needle) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      conditions.push_back(params.Contains("lower(t.subject_text)", needle));
    } else {
      conditions.push_back(params.Contains("t.name_key", model::NameKey(filter.name_contains)));
    }
  }

  AddTimeRange("created_at", filter.created, params, &conditions);
  AddTimeRange("updated_at", filter.updated, params, &conditions);
  AddTimeRange("occurred_at", filter.occurred, params, &conditions);
  if (filter.close_date.from) {
    conditions.push_back(fmt::format("t.close_date >= {}", params.Date(*filter.close_date.from)));
  }
  if (filter.close_date.to) {
    conditions.push_back(fmt::format("t.close_date <= {}", params.Date(*filter.close_date.to)));
  }

  int index = 0;
  for (const CustomFieldFilter& custom : filter.custom_fields) {
    conditions.push_back(CustomFieldCondition(kind, custom, index++, params));
  }
  return conditions;
}

// Returns the keyset condition "(key, id) > (last key, last id)" (< when descending).
std::string KeysetCondition(const SortColumn& sort, const std::string& expression,
                            const RecordQuery& query, ParamWriter& params) {
  const RecordPosition& after = *query.after;
  std::string key;
  if (const auto* number = std::get_if<int64_t>(&after.key)) {
    key = params.Int(*number);
  } else {
    const std::string& text = std::get<std::string>(after.key);
    if (sort.type == KeyType::kDate && params.dialect() == SqlDialect::kPostgres) {
      auto date = model::ParseIsoDate(text);
      key = params.Date(date.ok() ? *date : model::CivilDate{});
    } else {
      key = params.Text(text);
    }
  }
  std::string id = params.Int(after.id);
  char comparison = query.sort.direction == SortDirection::kAscending ? '>' : '<';
  return fmt::format("({}, t.id) {} ({}, {})", expression, comparison, key, id);
}

}  // namespace

RecordQuerySql BuildRecordQuerySql(const RecordQuery& query, SqlDialect dialect) {
  ParamWriter params(dialect);
  SortColumn sort = SortColumnOf(query.kind, query.sort.field);
  std::string expression = SortExpression(sort, dialect);

  std::vector<std::string> conditions = FilterConditions(query, params);
  if (query.after) {
    conditions.push_back(KeysetCondition(sort, expression, query, params));
  }

  RecordQuerySql sql;
  std::string select = sqlite::SelectRowSql(query.kind);
  size_t from = select.rfind(" FROM ");
  sql.select = fmt::format("{}, {}{} t", select.substr(0, from), expression, select.substr(from));
  sql.select += conditions.empty() ? " WHERE TRUE"
                                   : fmt::format(" WHERE ({})", fmt::join(conditions, ") AND ("));

  std::string_view direction =
      query.sort.direction == SortDirection::kAscending ? "ASC" : "DESC";
  sql.order_by = fmt::format(" ORDER BY {} {}, t.id {}", expression, direction, direction);
  sql.sort_key_is_text = sort.type != KeyType::kInt;
  sql.sort_key_column = 4;
  for (const model::FieldSpec& spec : model::BuiltInFields(query.kind)) {
    sql.sort_key_column += static_cast<int>(sqlite::ColumnsOf(spec).size());
  }
  sql.params = params.Take();
  return sql;
}

std::string NamesSql(EntityKind kind, std::span<const int64_t> ids, SqlDialect dialect,
                     SqlParam* param) {
  ParamWriter params(dialect);
  std::string condition = params.InIds("id", ids);
  *param = params.Take().front();
  return fmt::format("SELECT id, name FROM {} WHERE {}", sqlite::TableName(kind), condition);
}

std::vector<NameSlot> NameSlotsOf(const RecordRow& row) {
  std::vector<NameSlot> slots;
  for (const auto& [name, value] : row.record.fields) {
    const auto* reference = std::get_if<model::Reference>(&value);
    if (reference == nullptr || reference->id <= 0) {
      continue;
    }
    if (name == "owner" || name == "actor") {
      slots.push_back({name, EntityKind::kUser, reference->id});
    } else if (name == "account" && row.record.kind != EntityKind::kAccount) {
      slots.push_back({name, EntityKind::kAccount, reference->id});
    } else if (name == "product") {
      slots.push_back({name, EntityKind::kProduct, reference->id});
    }
  }

  if (row.record.kind == EntityKind::kActivity) {
    auto type = row.record.fields.find("subject_type");
    auto id = row.record.fields.find("subject_id");
    if (type != row.record.fields.end() && id != row.record.fields.end()) {
      const auto* type_name = std::get_if<std::string>(&type->second);
      const auto* subject_id = std::get_if<int64_t>(&id->second);
      if (type_name != nullptr && subject_id != nullptr) {
        Result<EntityKind> kind = model::ParseEntityKind(*type_name);
        if (kind.ok() && model::HasNameField(*kind)) {
          slots.push_back({"subject", *kind, *subject_id});
        }
      }
    }
  }
  return slots;
}

Status FillReferenceNames(std::vector<RecordRow>* rows, const NameFetcher& fetch) {
  std::map<EntityKind, std::set<int64_t>> wanted;
  for (const RecordRow& row : *rows) {
    for (const NameSlot& slot : NameSlotsOf(row)) {
      wanted[slot.target].insert(slot.id);
    }
  }

  std::map<EntityKind, std::map<int64_t, std::string>> names;
  for (const auto& [kind, id_set] : wanted) {
    std::vector<int64_t> ids(id_set.begin(), id_set.end());
    SR_ASSIGN_OR_RETURN(names[kind], fetch(kind, ids));
  }

  for (RecordRow& row : *rows) {
    for (const NameSlot& slot : NameSlotsOf(row)) {
      const std::map<int64_t, std::string>& by_id = names[slot.target];
      if (auto found = by_id.find(slot.id); found != by_id.end()) {
        row.reference_names[slot.field] = found->second;
      }
    }
  }
  return OkStatus();
}

RecordRow ToRecordRow(EntityKind kind, sqlite::StoredRow stored) {
  RecordRow row;
  row.id = stored.id;
  row.created_at = stored.created_at;
  row.updated_at = stored.updated_at;
  row.record = model::Record{kind, std::move(stored.external_id), std::move(stored.fields), {}};
  return row;
}

SortKey ReadSortKey(bool is_text, std::string text, int64_t integer) {
  if (is_text) {
    return SortKey(std::move(text));
  }
  return SortKey(integer);
}

}  // namespace salesradar::store
