// The PostgreSQL ClusterStore (store/cluster_store.h): leases, heartbeats and the partition count
// in the tables of migration 0005_cluster.sql, and LISTEN/NOTIFY on the Store's connection.
// Every time comes from the database's clock (clock_timestamp()).
#pragma once

#include <memory>

#include "store/cluster_store.h"
#include "store/postgres/pg_connection.h"

namespace salesradar::store::postgres {

class PgClusterStore final : public ClusterStore {
 public:
  // Borrows `connection`, which must outlive this object and must not be in a transaction.
  explicit PgClusterStore(PgConnection& connection) : connection_(connection) {}

  Result<int> PartitionCount(int proposed) override;
  Status Heartbeat(const ClusterNode& node) override;
  Result<std::vector<ClusterNode>> LiveNodes(Microseconds max_silence) override;
  Result<std::optional<Lease>> TryAcquire(std::string_view name, std::string_view node_id,
                                          Microseconds ttl) override;
  Result<std::vector<Lease>> RenewAll(std::string_view node_id, Microseconds ttl) override;
  Status Release(std::string_view name, std::string_view node_id, int64_t epoch) override;
  Result<std::vector<Lease>> ListLeases() override;

  Result<int64_t> PostAlertAction(const AlertActionRow& action) override;
  Result<std::vector<AlertActionRow>> PendingAlertActions(std::span<const int> partitions,
                                                          int partition_count, Microseconds max_age) override;
  Status FinishAlertAction(int64_t id, const Status& outcome) override;
  Result<std::optional<AlertActionRow>> GetAlertAction(int64_t id) override;

  Result<int64_t> LastOutboxSeq() override;
  Result<std::vector<OutboxEntry>> OutboxAfter(int64_t after_seq, int limit) override;

  Status Listen(std::string_view channel) override;
  Result<std::vector<std::string>> Wait(std::chrono::milliseconds timeout) override;
  Status Notify(std::string_view channel, std::string_view payload) override;

 private:
  // Moves the notifications libpq has read into `channels`.
  Status Collect(std::vector<std::string>* channels);

  PgConnection& connection_;
};

}  // namespace salesradar::store::postgres
