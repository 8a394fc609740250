// rules::EngineStateStore over the PostgreSQL backend's connection: the tables of migration
// 0003_rules_engine.sql with the bucket columns of 0005_cluster.sql, one JSON body per row in
// the forms of rules/state_json.h.
#pragma once

#include "rules/state_store.h"
#include "store/postgres/pg_connection.h"
#include "store/rules_store.h"

namespace salesradar::store::postgres {

// Borrows `connection` and the Store's transaction flag, which must outlive it. Not thread-safe,
// like the connection.
class PgEngineState final : public rules::EngineStateStore {
 public:
  PgEngineState(PgConnection& connection, const bool& store_in_transaction, EngineStateScope scope)
      : connection_(connection), store_in_transaction_(store_in_transaction), scope_(std::move(scope)) {}

  // Applies the batch in one transaction, in pipeline mode. Alerts are upserted by id and history
  // rows inserted once, so two nodes that write the same alert leave one copy. With a lease in
  // the scope, writes nothing and returns kFailedPrecondition unless the node holds the lease
  // at its epoch. Also returns kFailedPrecondition when the Store has a transaction open, and
  // kUnavailable when a row stays locked past the lock timeout. A failed batch keeps nothing.
  Status Apply(const rules::StateBatch& batch) override;

  // Returns the rows of the scope's buckets (all when it names none).
  Result<rules::EngineSnapshot> LoadSnapshot() override;

  // Processed ids are kept without a retention limit.
  Result<bool> IsProcessed(std::string_view event_id) override;

 private:
  Status CheckLease();
  std::vector<PgCommand> WriteCommands(const rules::StateBatch& batch) const;

  PgConnection& connection_;
  const bool& store_in_transaction_;
  EngineStateScope scope_;
};

}  // namespace salesradar::store::postgres
