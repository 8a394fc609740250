// Mapping files: how the columns of a CSV file become fields of model records.
//
// A mapping is YAML. The short form has one target entity:
//
//   source: ../data/crm-sales-opportunities/sales_pipeline.csv   # optional default file
//   csv: {encoding: auto, delimiter: ","}                        # optional
//   entity: opportunity
//   external_id: opportunity_id            # a column, or {template: "deal:{opportunity_id}"}
//   fields:
//     stage:  {column: deal_stage}
//     amount: {column: close_value, currency: USD, unit: yuan}
//     engage_date: {column: engage_date, formats: [YYYY-MM-DD]}
//     product: {column: product, values: {GTXPro: GTX Pro}, required: true}
//     account: {column: account}           # a reference, resolved by name, optional
//   custom_fields:
//     priority: {column: prio, type: enum, allowed_values: [high, low], label: 优先级}
//
// The long form lists several targets under `targets:`, each with entity, external_id,
// fields, custom_fields and `distinct`. The importer reads the file once per target, in order.
// docs/import.md describes every key.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ingest/date_parse.h"
#include "ingest/encoding.h"
#include "ingest/normalize.h"
#include "model/custom_field.h"
#include "model/entity.h"

namespace salesradar::ingest {

// The source of a value: one column, a template over columns, or a constant.
struct ValueSource {
  enum class Kind { kColumn, kTemplate, kConstant };
  Kind kind = Kind::kColumn;
  std::string text;  // the column name, the template ("team:{manager}") or the constant
  // Column names that the value reads: the column itself, or each placeholder of a template.
  std::vector<std::string> columns;
};

// The key by which a reference field finds the row it points to.
enum class ReferenceKey {
  kName,        // by the target's name, compared with model::NameKey (case and width folded)
  kExternalId,  // by the target's external id, exactly
};

// One field of a target: its source column, its type from the model schema or the custom
// field definition, and how to normalise and parse the text.
struct FieldMapping {
  std::string field;  // built-in field or custom field name
  bool custom = false;
  model::FieldType type = model::FieldType::kString;
  std::vector<std::string> allowed_values;  // for enums: the canonical values
  std::optional<model::EntityKind> target;  // for references
  bool non_negative = false;                // for ints and money

  ValueSource source;
  NormalizeOptions normalize;
  std::vector<std::string> null_values;          // texts that mean "no value", after normalising
  std::map<std::string, std::string> value_map;  // normalised text -> replacement
  std::vector<DateFormat> date_formats;          // for dates and timestamps
  std::string time_zone = "Asia/Shanghai";       // for timestamps without a zone
  std::string currency = "CNY";                  // for money
  int fen_exponent = 2;                          // 10^fen_exponent fen per unit (yuan: 2)
  ReferenceKey reference_key = ReferenceKey::kName;
  // For a reference: a value that does not resolve rejects the row. Otherwise: an empty value
  // rejects the row.
  bool required = false;

  int line = 0;  // 1-based line of the field in the mapping file, for messages
};

// One entity that a file's rows produce.
struct TargetMapping {
  model::EntityKind entity = model::EntityKind::kAccount;
  std::string description;  // shown in the summary; optional
  ValueSource external_id;
  NormalizeOptions external_id_normalize;
  // Rows may repeat the same record (a region named on every rep's row): later rows with the
  // same external id are skipped when their values match the first, and rejected otherwise.
  bool distinct = false;
  std::vector<FieldMapping> fields;
  // Custom field definitions that the mapping declares; the importer creates missing ones.
  std::vector<model::CustomFieldDefinition> custom_fields;
  int line = 0;
};

struct Mapping {
  std::string path;         // the mapping file, as given
  std::string source_file;  // default CSV file, relative paths resolved against the mapping's
                            // folder; empty when the mapping names none
  std::optional<EncodingChoice> encoding;
  char delimiter = ',';
  std::vector<TargetMapping> targets;
};

// Reads and checks a mapping file. Returns kNotFound when the file cannot be read. Returns
// kInvalidArgument for a YAML syntax error, an unknown key, entity or field (with the nearest
// name suggested), a type or option that does not fit the field, and a required built-in
// field that is not mapped. Every message starts with "PATH:LINE: ".
Result<Mapping> LoadMapping(const std::string& path);

// Parses mapping text; `path` is used in messages and to resolve `source`.
Result<Mapping> ParseMapping(std::string_view yaml_text, const std::string& path);

}  // namespace salesradar::ingest
