// The store's side of a cluster of nodes on one PostgreSQL database (docs/operations.md): the
// partition count the nodes agree on, node heartbeats, leases with expiry and fencing epochs
// (migration 0005_cluster.sql), and LISTEN/NOTIFY wake-ups. Store::OpenClusterStore returns one.
//
// Times of leases and heartbeats come from the database's clock, so that nodes whose clocks
// disagree still agree on who holds a lease.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"

namespace salesradar::store {

struct Lease {
  std::string name;  // "partition/<p>" or "notifier"
  std::string node_id;
  int64_t epoch = 0;
  Timestamp expires_at;
};

struct ClusterNode {
  std::string node_id;
  Timestamp started_at;
  Timestamp heartbeat_at;
  std::string listen;   // the address the node serves HTTP on, for operators
  std::string version;  // the SalesRadar version it runs
};

// An alert action that one node passes to the node leasing the alert's partition (table
// alert_actions).
struct AlertActionRow {
  int64_t id = 0;
  std::string alert_id;
  int bucket = 0;
  std::string kind;  // "acknowledge", "snooze" or "resolve"
  std::string actor;
  Timestamp until;  // snooze only
  std::string note;
  bool done = false;
  std::string error_code;  // ErrorCodeName of the failure; empty when it succeeded or is pending
  std::string message_zh;
  std::string message_en;
};

// One alert change in alert_outbox, for the live stream of every node.
struct OutboxEntry {
  int64_t seq = 0;
  std::string alert_id;
};

// Not thread-safe; it borrows its Store (destroy it first).
class ClusterStore {
 public:
  virtual ~ClusterStore() = default;

  // Returns the partition count of the cluster. The first node to ask stores `proposed`; later
  // nodes get the stored count whatever they propose.
  virtual Result<int> PartitionCount(int proposed) = 0;

  // Records that `node` is alive now (heartbeat_at from the database clock).
  virtual Status Heartbeat(const ClusterNode& node) = 0;

  // Returns the nodes whose last heartbeat is at most `max_silence` old, ordered by node id.
  virtual Result<std::vector<ClusterNode>> LiveNodes(Microseconds max_silence) = 0;

  // Takes lease `name` for `node_id` for `ttl` when it has no holder, its holder let it expire,
  // or `node_id` holds it already (then it is renewed and keeps its epoch). A change of holder
  // adds 1 to the epoch. Returns the lease when `node_id` holds it afterwards.
  virtual Result<std::optional<Lease>> TryAcquire(std::string_view name, std::string_view node_id,
                                                  Microseconds ttl) = 0;

  // Extends every unexpired lease `node_id` holds by `ttl` and returns them; a lease missing
  // from the result was lost.
  virtual Result<std::vector<Lease>> RenewAll(std::string_view node_id, Microseconds ttl) = 0;

  // Gives lease `name` up when `node_id` holds it at `epoch`, so that another node can take it
  // at once.
  virtual Status Release(std::string_view name, std::string_view node_id, int64_t epoch) = 0;

  virtual Result<std::vector<Lease>> ListLeases() = 0;  // ordered by name

  // ---- Alert actions passed between nodes ----

  // Stores a pending action and returns its id.
  virtual Result<int64_t> PostAlertAction(const AlertActionRow& action) = 0;
  // Returns the pending actions whose bucket falls in `partitions` of `partition_count`, oldest
  // first, leaving out those requested more than `max_age` ago (their requester gave up).
  virtual Result<std::vector<AlertActionRow>> PendingAlertActions(std::span<const int> partitions,
                                                                  int partition_count, Microseconds max_age) = 0;
  // Records the outcome of action `id`: OkStatus or the error the engine returned.
  virtual Status FinishAlertAction(int64_t id, const Status& outcome) = 0;
  virtual Result<std::optional<AlertActionRow>> GetAlertAction(int64_t id) = 0;

  // ---- The alert outbox, for the live stream ----

  // Returns the highest outbox seq, 0 when it is empty.
  virtual Result<int64_t> LastOutboxSeq() = 0;
  // Returns up to `limit` outbox entries after `after_seq`, ascending.
  virtual Result<std::vector<OutboxEntry>> OutboxAfter(int64_t after_seq, int limit) = 0;

  // LISTEN/NOTIFY. Listen subscribes this store's connection to `channel`; Wait returns the
  // channels notified since the last call, waiting up to `timeout` for the first one (empty on
  // timeout).
  virtual Status Listen(std::string_view channel) = 0;
  virtual Result<std::vector<std::string>> Wait(std::chrono::milliseconds timeout) = 0;
  virtual Status Notify(std::string_view channel, std::string_view payload) = 0;
};

}  // namespace salesradar::store
