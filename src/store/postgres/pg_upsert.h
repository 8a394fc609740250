// One Upsert call on PostgreSQL, in a fixed number of round trips whatever the batch size:
//   1. read the custom field definitions of every kind in the batch;
//   2. read and lock (FOR UPDATE) the stored rows of the batch's external ids, with their
//      custom values;
//   3. resolve every reference of the batch, by external id and by id, per target table;
//   4. reserve ids from the identity sequences for the rows that may be inserted;
//   5. validate and diff each record in memory, in order, exactly as the SQLite backend does,
//      so that each record is compared with the rows that earlier records of the batch wrote;
//   6. the caller sends the writes (inserts with the reserved ids, updates of the changed
//      columns only, custom values, stage history, then its audit rows) in pipeline mode.
// Unchanged records write nothing. A reserved id that is not used (its record was rejected)
// stays a gap in the sequence.
#pragma once

#include <map>
#include <span>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_custom_fields.h"
#include "store/store.h"

namespace salesradar::store::postgres {

class UpsertBatch {
 public:
  // `now` becomes created_at, updated_at and the time of stage changes.
  UpsertBatch(PgConnection& connection, Timestamp now) : connection_(connection), now_(now) {}

  // Runs steps 1 to 5 for `records` as Store::Upsert documents and returns one result per
  // record. The writes wait in commands(). Appends the audit event of every inserted or updated
  // record to `*audit_events` unless it is nullptr.
  // REQUIRES: an open transaction, which the caller rolls back on an Error.
  Result<std::vector<UpsertResult>> Plan(std::span<const model::Record> records,
                                         std::vector<AuditEvent>* audit_events);

  // The writes of the planned records, in order, for PgConnection::RunPipeline.
  std::vector<PgCommand>& commands() { return commands_; }

  // Sends commands() (with whatever the caller appended, such as audit rows). When the batch
  // inserts at least `copy_threshold` rows and all of them into one table, those rows go first
  // in one COPY FROM STDIN and the other writes follow in pipeline mode. Otherwise everything
  // goes in pipeline mode. Defined in pg_upsert_copy.cc.
  // REQUIRES: Plan ran in the open transaction, which the caller rolls back on an Error.
  Status Send(int64_t copy_threshold);

 private:
  // A row as stored, or as this batch has written it so far.
  struct RowState {
    int64_t id = 0;
    model::FieldMap fields;  // built-in fields; an absent field is Null
    model::FieldMap custom;  // custom fields that have a value
  };

  // The rows, ids and definitions of one entity table that the batch has read or written.
  struct KindState {
    std::vector<StoredDefinition> definitions;
    std::unordered_map<std::string, RowState> rows;  // by external id; the batch's own kinds
    std::unordered_map<std::string, int64_t> ids_by_external_id;  // resolvable references
    std::unordered_set<int64_t> known_ids;                        // ids that exist
    std::vector<int64_t> reserved_ids;
    size_t next_reserved = 0;
  };

  // Steps 1 to 4.
  Status Prefetch(std::span<const model::Record> records);
  Status LoadRows(model::EntityKind kind, const std::vector<std::string>& external_ids);
  Status LoadReferences(model::EntityKind target, const std::vector<std::string>& external_ids,
                        const std::vector<int64_t>& ids);
  Status ReserveIds(model::EntityKind kind, int64_t count);

  // Step 5 for one record: returns its result and appends its writes to `commands_` and its
  // audit event to `*audit_events` (unless nullptr).
  UpsertResult Apply(const model::Record& record, std::vector<AuditEvent>* audit_events);

  // Resolve every Reference in `*fields` to a checked id. Return the rejection of the record
  // when a reference does not resolve or a custom value is invalid.
  std::optional<Error> ResolveBuiltInReferences(const model::Record& record,
                                                model::FieldMap* fields);
  std::optional<Error> ResolveCustomFields(const model::Record& record, bool is_insert,
                                           model::FieldMap* values);
  std::optional<int64_t> Resolve(model::EntityKind target, const model::Reference& reference);

  void AppendInsert(const model::Record& record, int64_t id, const model::FieldMap& fields);
  void AppendUpdate(const model::Record& record, int64_t id, const model::FieldMap& changed);
  void AppendStageChange(int64_t opportunity_id, const model::Value& from,
                         const model::Value& to);

  // A queued INSERT of a new row, which Send may move into a COPY.
  struct PlannedInsert {
    size_t command_index = 0;
    std::string table;
    std::vector<std::string> columns;  // in the order of the command's parameters
  };

  // Returns true when Send should use COPY (see Send).
  bool CanCopyInserts(int64_t copy_threshold) const;
  Status SendWithCopy();

  PgConnection& connection_;
  Timestamp now_;
  std::map<model::EntityKind, KindState> kinds_;
  std::vector<PgCommand> commands_;
  std::vector<PlannedInsert> inserts_;
};

}  // namespace salesradar::store::postgres
