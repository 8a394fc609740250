// Custom field definitions and their typed values in PostgreSQL.
#pragma once

#include <map>
#include <span>
#include <vector>

#include "model/custom_field.h"
#include "store/postgres/pg_connection.h"

namespace salesradar::store::postgres {

// A custom field definition with its row id.
struct StoredDefinition {
  int64_t id = 0;
  model::CustomFieldDefinition definition;
};

// Returns the definitions of `kind`, ordered by name. Returns kDataLoss when a stored
// definition cannot be read back.
Result<std::vector<StoredDefinition>> LoadDefinitions(PgConnection& connection,
                                                      model::EntityKind kind);

// Returns the stored custom values of the rows `entity_ids` of the entity that `definitions`
// belong to, by row id and then by field name. A row without custom values has no entry.
Result<std::map<int64_t, model::FieldMap>> LoadCustomValues(
    PgConnection& connection, std::span<const StoredDefinition> definitions,
    std::span<const int64_t> entity_ids);

// Appends the write of one custom value to `commands`: an upsert, or a delete for Null.
// REQUIRES: a Reference value already resolved to an id.
void AppendCustomValueWrite(std::vector<PgCommand>* commands, const StoredDefinition& stored,
                            int64_t entity_id, const model::Value& value);

// Checks that `old_definition` may become `new_definition`: a field with stored values keeps its
// type and target, and an enum keeps every allowed value that is still in use. Returns
// kFailedPrecondition naming the field (and the value) otherwise.
Status CheckDefinitionChange(PgConnection& connection, const StoredDefinition& old_definition,
                             const model::CustomFieldDefinition& new_definition);

// Inserts or replaces `definition` at `now`.
Status SaveDefinition(PgConnection& connection, const model::CustomFieldDefinition& definition,
                      Timestamp now);

}  // namespace salesradar::store::postgres
