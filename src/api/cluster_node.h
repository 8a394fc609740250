// One node of a cluster of `salesradar serve` processes on one PostgreSQL database
// (docs/cluster-design-notes.md). Subjects hash into buckets and buckets into partitions. The node
// leases partitions through the database and runs one engine host per leased partition, fed
// with that partition's events from the event table. A lease keeper thread heartbeats, renews
// the leases, takes free or expired partitions up to a fair share and gives up the surplus; a
// feed thread, woken by LISTEN/NOTIFY or a one-second poll, hands each engine its new events,
// reloads rule packs other nodes published, applies alert actions other nodes passed on, and
// tails the alert outbox into this node's live stream. The holder of lease "notifier" runs the
// notify worker.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api/engine_host.h"
#include "common/clock.h"
#include "common/result.h"
#include "server/metrics.h"
#include "server/sse.h"
#include "store/cluster_store.h"

namespace salesradar::store {
class Store;
}

namespace salesradar::api {

class StorePool;

struct ClusterNodeOptions {
  std::string node_id;                              // cluster.node_id; empty: "<hostname>-<pid>"
  int partitions = 8;                               // cluster.partitions; the stored count wins
  std::chrono::milliseconds lease{std::chrono::seconds(15)};  // cluster.lease_seconds
  std::string listen;                               // shown to operators
  EngineHostOptions engine;                         // for every partition's engine host
  // Called on the lease keeper thread when this node gains or loses lease "notifier".
  std::function<void()> on_notifier_gained;
  std::function<void()> on_notifier_lost;
};

// The cluster as GET /api/v1/cluster shows it.
struct ClusterView {
  std::string node_id;
  int partition_count = 0;
  std::vector<int> held;  // partitions this node runs
  std::vector<store::ClusterNode> nodes;
  std::vector<store::Lease> leases;
};

// Thread safety: every public method may be called from any thread.
class ClusterNode final : public EngineDelegate {
 public:
  // Connects and agrees on the partition count; starts nothing.
  static Result<std::unique_ptr<ClusterNode>> Create(StorePool& stores, const Clock& clock, server::SseHub& stream,
                                                     server::MetricsRegistry& metrics, ClusterNodeOptions options);
  ~ClusterNode() override;  // Stop()

  // Starts the lease keeper and the feed. `front` is the engine host request handlers call; the
  // node reads rule names from it and reloads its packs.
  Status Start(EngineHost& front);
  // Stops the threads, flushes every engine and releases the leases so that other nodes take
  // the partitions over at once.
  void Stop();

  const std::string& node_id() const { return options_.node_id; }
  int partition_count() const { return partition_count_; }
  std::vector<int> HeldPartitions() const;
  Result<ClusterView> View();

  // EngineDelegate.
  Result<std::vector<rules::AlertChange>> Act(const AlertActionRequest& action) override;
  void PackPublished() override;
  Status Drain(std::chrono::milliseconds timeout) override;
  size_t pending_timers() const override;

 private:
  // The engine of one leased partition. The keeper creates and drops it; the feed fields are
  // touched by the feed thread only.
  struct Partition {
    int number = 0;
    store::Lease lease;
    std::vector<int> buckets;
    std::unique_ptr<server::MetricsRegistry> metrics;  // the host's own metrics, not exported
    std::unique_ptr<EngineHost> host;

    // Feed state: every unprocessed event of the partition has seq > trail. `handed` contains
    // the seqs above trail given to the host, and `seen` the highest seq read, by time of reading.
    int64_t trail = 0;
    std::set<int64_t> handed;
    std::deque<std::pair<std::chrono::steady_clock::time_point, int64_t>> seen;
  };

  ClusterNode(StorePool& stores, const Clock& clock, server::SseHub& stream, server::MetricsRegistry& metrics,
              ClusterNodeOptions options);

  // cluster_node.cc: the lease keeper.
  void KeepLeases();
  Status Tick();
  Status RenewIfDue(bool force);
  void DropLost(const std::vector<store::Lease>& renewed);
  Status TakeShare(size_t share);
  Status GiveSurplus(size_t share);
  Status StartPartition(int number, const store::Lease& lease);
  void StopPartition(int number, bool release);
  void KeepNotifier(const std::vector<store::Lease>& renewed);
  void ReleaseAll();
  void SignalAlerts();

  // cluster_feed.cc: the feed.
  void Feed();
  Status FeedOnce(const std::vector<std::string>& channels);
  Status FeedEvents(Partition& partition);
  void ReloadPacks();
  Status TailOutbox();
  Status ServeActions();
  std::vector<std::shared_ptr<Partition>> Partitions() const;
  std::shared_ptr<Partition> FindPartition(int number) const;
  Result<std::vector<rules::AlertChange>> ForwardAction(const AlertActionRequest& action, int bucket);

  StorePool& stores_;
  const Clock& clock_;
  server::SseHub& stream_;
  server::MetricsRegistry& metrics_;
  ClusterNodeOptions options_;
  int partition_count_ = 0;
  EngineHost* front_ = nullptr;
  server::GaugeFamily* held_gauge_ = nullptr;

  // Keeper thread only.
  std::unique_ptr<store::Store> keeper_store_;
  std::unique_ptr<store::ClusterStore> keeper_;
  std::chrono::steady_clock::time_point renewed_at_;
  std::optional<std::chrono::steady_clock::time_point> above_share_since_;
  std::optional<store::Lease> notifier_;

  // Feed thread only.
  std::unique_ptr<store::Store> feed_store_;
  std::unique_ptr<store::ClusterStore> feed_;
  std::chrono::steady_clock::time_point packs_loaded_at_;
  int64_t outbox_low_ = 0;
  std::set<int64_t> outbox_published_;
  std::deque<std::pair<std::chrono::steady_clock::time_point, int64_t>> outbox_seen_;

  // Engine threads send NOTIFY salesradar_alerts through this connection. Guarded by signal_mutex_.
  std::mutex signal_mutex_;
  std::unique_ptr<store::Store> signal_store_;
  std::unique_ptr<store::ClusterStore> signal_;

  mutable std::mutex mutex_;  // guards partitions_ and stopping_
  std::condition_variable stop_signal_;
  std::map<int, std::shared_ptr<Partition>> partitions_;
  bool stopping_ = false;
  bool stopped_ = false;

  std::thread keeper_thread_;
  std::thread feed_thread_;
};

// Channels of LISTEN/NOTIFY between the nodes.
inline constexpr const char* kEventsChannel = "salesradar_events";
inline constexpr const char* kPacksChannel = "salesradar_packs";
inline constexpr const char* kAlertsChannel = "salesradar_alerts";
inline constexpr const char* kActionsChannel = "salesradar_actions";

}  // namespace salesradar::api
