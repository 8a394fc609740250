// rules::EngineStateStore over the SQLite backend's connection: the tables of migration
// 0003_rules_engine.sql, one JSON body per row in the forms of rules/state_json.h.
#pragma once

#include <string>
#include <vector>

#include "rules/state_store.h"
#include "store/sqlite/sqlite_db.h"

namespace salesradar::store::sqlite {

// Borrows `connection`, which must outlive it. Not thread-safe, like the connection.
class SqliteEngineState final : public rules::EngineStateStore {
 public:
  // LoadSnapshot returns the rows of `buckets` only, or every row when it is empty.
  explicit SqliteEngineState(Connection& connection, std::vector<int> buckets = {})
      : connection_(connection), buckets_(std::move(buckets)) {}

  // Applies the batch in one IMMEDIATE transaction. Returns kFailedPrecondition when the
  // connection is inside a transaction already, and the database's error (kUnavailable when
  // it stays locked) otherwise; nothing of the batch is kept then.
  Status Apply(const rules::StateBatch& batch) override;
  Result<rules::EngineSnapshot> LoadSnapshot() override;
  // Processed ids are kept without a retention limit.
  Result<bool> IsProcessed(std::string_view event_id) override;

 private:
  Status ApplyInTransaction(const rules::StateBatch& batch);
  Status WriteWindows(const rules::StateBatch& batch);
  Status WriteCounters(const rules::StateBatch& batch);
  Status WriteAlert(const rules::Alert& alert);
  Status WriteTickets(const rules::StateBatch& batch);
  Status WriteProcessedAndOutbox(const rules::StateBatch& batch, int64_t now_micros);

  // Returns " AND bucket IN (...)" for the scope's buckets, or "" for every bucket.
  std::string BucketCondition(std::string_view column) const;

  Connection& connection_;
  std::vector<int> buckets_;
};

}  // namespace salesradar::store::sqlite
