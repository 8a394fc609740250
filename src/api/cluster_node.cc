// ClusterNode: start-up, shutdown and the lease keeper, which heartbeats, renews the leases,
// shares the partitions out fairly and starts or stops the engine of each partition.
#include "api/cluster_node.h"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

#include "api/store_pool.h"
#include "common/logging.h"
#include "store/store.h"
#include "store/subject_bucket.h"

namespace salesradar::api {
namespace {

constexpr const char* kNotifierLease = "notifier";
constexpr const char* kVersion = "0.1.0";

std::string LeaseName(int partition) { return fmt::format("partition/{}", partition); }

std::string DefaultNodeId() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) std::snprintf(host, sizeof(host), "node");
  return fmt::format("{}-{}", host, ::getpid());
}

Microseconds ToMicros(std::chrono::milliseconds duration) {
  return std::chrono::duration_cast<Microseconds>(duration);
}

}  // namespace

ClusterNode::ClusterNode(StorePool& stores, const Clock& clock, server::SseHub& stream,
                         server::MetricsRegistry& metrics, ClusterNodeOptions options)
    : stores_(stores), clock_(clock), stream_(stream), metrics_(metrics), options_(std::move(options)) {}

Result<std::unique_ptr<ClusterNode>> ClusterNode::Create(StorePool& stores, const Clock& clock,
                                                         server::SseHub& stream, server::MetricsRegistry& metrics,
                                                         ClusterNodeOptions options) {
  if (options.node_id.empty()) options.node_id = DefaultNodeId();
  auto node = std::unique_ptr<ClusterNode>(new ClusterNode(stores, clock, stream, metrics, std::move(options)));

  SR_ASSIGN_OR_RETURN(node->keeper_store_, store::Open(stores.database()));
  SR_ASSIGN_OR_RETURN(node->keeper_, node->keeper_store_->OpenClusterStore());
  SR_ASSIGN_OR_RETURN(node->feed_store_, store::Open(stores.database()));
  SR_ASSIGN_OR_RETURN(node->feed_, node->feed_store_->OpenClusterStore());
  SR_ASSIGN_OR_RETURN(node->signal_store_, store::Open(stores.database()));
  SR_ASSIGN_OR_RETURN(node->signal_, node->signal_store_->OpenClusterStore());

  int proposed = std::clamp(node->options_.partitions, 1, store::kSubjectBuckets);
  SR_ASSIGN_OR_RETURN(node->partition_count_, node->keeper_->PartitionCount(proposed));
  if (node->partition_count_ != node->options_.partitions) {
    Logger("cluster")->warn("the cluster has {} partitions; cluster.partitions = {} applies only to a new database",
                            node->partition_count_, node->options_.partitions);
  }

  metrics.AddGauge("salesradar_cluster_node", "This node's id in the cluster (always 1).", {"node_id"})
      .WithLabels({node->options_.node_id})
      .Set(1);
  node->held_gauge_ = &metrics.AddGauge("salesradar_cluster_partition_held",
                                        "1 for each partition whose engine this node runs.", {"partition"});
  ClusterNode* raw = node.get();
  metrics.AddCallbackGauge("salesradar_cluster_partitions_held", "Partitions whose engine this node runs.",
                           [raw] { return static_cast<double>(raw->HeldPartitions().size()); });
  metrics.AddCallbackGauge("salesradar_engine_pending_timers", "Timers armed in the rules engines of this node.",
                           [raw] { return static_cast<double>(raw->pending_timers()); });
  return node;
}

ClusterNode::~ClusterNode() { Stop(); }

Status ClusterNode::Start(EngineHost& front) {
  front_ = &front;
  SR_RETURN_IF_ERROR(feed_->Listen(kEventsChannel));
  SR_RETURN_IF_ERROR(feed_->Listen(kPacksChannel));
  SR_RETURN_IF_ERROR(feed_->Listen(kAlertsChannel));
  SR_RETURN_IF_ERROR(feed_->Listen(kActionsChannel));
  SR_ASSIGN_OR_RETURN(outbox_low_, feed_->LastOutboxSeq());
  packs_loaded_at_ = std::chrono::steady_clock::now();

  SR_RETURN_IF_ERROR(Tick());  // the first partitions before the server answers
  keeper_thread_ = std::thread([this] { KeepLeases(); });
  feed_thread_ = std::thread([this] { Feed(); });
  Logger("cluster")->info("node {} joined a cluster of {} partitions with lease {} ms", options_.node_id,
                          partition_count_, options_.lease.count());
  return OkStatus();
}

void ClusterNode::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;
    stopped_ = true;
    stopping_ = true;
  }
  stop_signal_.notify_all();
  if (feed_thread_.joinable()) feed_thread_.join();
  if (keeper_thread_.joinable()) keeper_thread_.join();
  ReleaseAll();
  Logger("cluster")->info("node {} left the cluster", options_.node_id);
}

std::vector<int> ClusterNode::HeldPartitions() const {
  std::lock_guard lock(mutex_);
  std::vector<int> held;
  for (const auto& [number, partition] : partitions_) held.push_back(number);
  return held;
}

Result<ClusterView> ClusterNode::View() {
  SR_ASSIGN_OR_RETURN(StoreLease store, stores_.Acquire());
  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::ClusterStore> cluster, store->OpenClusterStore());
  ClusterView view;
  view.node_id = options_.node_id;
  view.partition_count = partition_count_;
  view.held = HeldPartitions();
  SR_ASSIGN_OR_RETURN(view.nodes, cluster->LiveNodes(ToMicros(options_.lease)));
  SR_ASSIGN_OR_RETURN(view.leases, cluster->ListLeases());
  return view;
}

size_t ClusterNode::pending_timers() const {
  size_t timers = 0;
  for (const std::shared_ptr<Partition>& partition : Partitions()) timers += partition->host->pending_timers();
  return timers;
}

void ClusterNode::KeepLeases() {
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (stop_signal_.wait_for(lock, options_.lease / 3, [this] { return stopping_; })) return;
    }
    if (Status ticked = Tick(); !ticked.ok()) {
      Logger("cluster")->error("node {}: the lease keeper's round failed, retrying: {}", options_.node_id,
                               ticked.error().ToLogString());
    }
  }
}

// One round: heartbeat, renew, drop what was lost, then move towards the fair share
// ceil(partitions / live nodes).
Status ClusterNode::Tick() {
  store::ClusterNode self;
  self.node_id = options_.node_id;
  self.listen = options_.listen;
  self.version = kVersion;
  SR_RETURN_IF_ERROR(keeper_->Heartbeat(self));
  SR_RETURN_IF_ERROR(RenewIfDue(true));

  SR_ASSIGN_OR_RETURN(std::vector<store::ClusterNode> live, keeper_->LiveNodes(ToMicros(options_.lease)));
  size_t nodes = std::max<size_t>(live.size(), 1);
  size_t share = (static_cast<size_t>(partition_count_) + nodes - 1) / nodes;
  SR_RETURN_IF_ERROR(TakeShare(share));
  return GiveSurplus(share);
}

// Renews every lease when a third of the lease time has passed since the last renewal (or
// `force`), and stops the engines of leases that were lost.
Status ClusterNode::RenewIfDue(bool force) {
  auto now = std::chrono::steady_clock::now();
  if (!force && now - renewed_at_ < options_.lease / 3) return OkStatus();
  SR_ASSIGN_OR_RETURN(std::vector<store::Lease> renewed, keeper_->RenewAll(options_.node_id, ToMicros(options_.lease)));
  renewed_at_ = now;
  DropLost(renewed);
  KeepNotifier(renewed);
  return OkStatus();
}

void ClusterNode::DropLost(const std::vector<store::Lease>& renewed) {
  for (int number : HeldPartitions()) {
    std::shared_ptr<Partition> partition = FindPartition(number);
    auto kept = std::find_if(renewed.begin(), renewed.end(), [&](const store::Lease& lease) {
      return lease.name == partition->lease.name && lease.epoch == partition->lease.epoch;
    });
    if (kept != renewed.end()) continue;
    Logger("cluster")->warn("node {} lost lease {} (epoch {}); stopping its engine", options_.node_id,
                            partition->lease.name, partition->lease.epoch);
    StopPartition(number, false);
  }
}

Status ClusterNode::TakeShare(size_t share) {
  for (int number = 0; number < partition_count_ && HeldPartitions().size() < share; ++number) {
    if (FindPartition(number) != nullptr) continue;
    SR_ASSIGN_OR_RETURN(std::optional<store::Lease> lease,
                        keeper_->TryAcquire(LeaseName(number), options_.node_id, ToMicros(options_.lease)));
    if (!lease) continue;

    if (Status started = StartPartition(number, *lease); !started.ok()) {
      Logger("cluster")->error("node {}: starting the engine of partition {} failed; releasing it: {}",
                               options_.node_id, number, started.error().ToLogString());
      SR_RETURN_IF_ERROR(keeper_->Release(lease->name, options_.node_id, lease->epoch));
      continue;
    }
    SR_RETURN_IF_ERROR(RenewIfDue(false));  // starting engines must not let the other leases lapse
  }
  return OkStatus();
}

// A node above its share (another node joined) keeps the surplus for two lease times, so that a
// node that only blinked does not make the partitions move back and forth, then releases the
// highest-numbered partitions.
Status ClusterNode::GiveSurplus(size_t share) {
  std::vector<int> held = HeldPartitions();
  if (held.size() <= share) {
    above_share_since_.reset();
    return OkStatus();
  }
  auto now = std::chrono::steady_clock::now();
  if (!above_share_since_) above_share_since_ = now;
  if (now - *above_share_since_ < 2 * options_.lease) return OkStatus();

  for (size_t i = share; i < held.size(); ++i) {
    int number = held[held.size() - 1 - (i - share)];
    Logger("cluster")->info("node {} holds {} partitions, above its share of {}; releasing partition {}",
                            options_.node_id, held.size(), share, number);
    StopPartition(number, true);
  }
  above_share_since_.reset();
  return OkStatus();
}

// NOTE: this runs on the keeper thread, so a partition whose restore takes longer than the lease
// time makes the node's other leases lapse; RenewIfDue between starts covers shorter restores.
Status ClusterNode::StartPartition(int number, const store::Lease& lease) {
  auto partition = std::make_shared<Partition>();
  partition->number = number;
  partition->lease = lease;
  partition->buckets = store::PartitionBuckets(number, partition_count_);
  partition->metrics = std::make_unique<server::MetricsRegistry>();

  EngineHostOptions options = options_.engine;
  store::EngineStateScope scope;
  scope.buckets = partition->buckets;
  scope.lease_name = lease.name;
  scope.node_id = options_.node_id;
  scope.lease_epoch = lease.epoch;
  options.scope = scope;
  options.on_flushed = [this] { SignalAlerts(); };
  SR_ASSIGN_OR_RETURN(partition->host,
                      EngineHost::Start(stores_, clock_, stream_, *partition->metrics, std::move(options)));

  {
    std::lock_guard lock(mutex_);
    partitions_[number] = partition;
  }
  held_gauge_->WithLabels({std::to_string(number)}).Set(1);
  Logger("cluster")->info("node {} took partition {} (epoch {})", options_.node_id, number, lease.epoch);
  return OkStatus();
}

// Stops the engine of a partition, which flushes its last batch (a lost lease makes that write
// fail, and the next holder processes those events again), and releases the lease when asked.
void ClusterNode::StopPartition(int number, bool release) {
  std::shared_ptr<Partition> partition;
  {
    std::lock_guard lock(mutex_);
    auto found = partitions_.find(number);
    if (found == partitions_.end()) return;
    partition = std::move(found->second);
    partitions_.erase(found);
  }
  held_gauge_->WithLabels({std::to_string(number)}).Set(0);
  store::Lease lease = partition->lease;
  partition.reset();  // the feed may still hold it; the last owner destroys the host

  if (!release) return;
  if (Status released = keeper_->Release(lease.name, options_.node_id, lease.epoch); !released.ok()) {
    Logger("cluster")->error("node {}: releasing lease {} failed; it expires by itself: {}", options_.node_id,
                             lease.name, released.error().ToLogString());
  }
}

void ClusterNode::KeepNotifier(const std::vector<store::Lease>& renewed) {
  if (notifier_) {
    bool kept = std::any_of(renewed.begin(), renewed.end(), [&](const store::Lease& lease) {
      return lease.name == kNotifierLease && lease.epoch == notifier_->epoch;
    });
    if (kept) return;
    Logger("cluster")->warn("node {} lost lease {}; stopping notifications", options_.node_id, kNotifierLease);
    notifier_.reset();
    if (options_.on_notifier_lost) options_.on_notifier_lost();
  }

  Result<std::optional<store::Lease>> lease =
      keeper_->TryAcquire(kNotifierLease, options_.node_id, ToMicros(options_.lease));
  if (!lease.ok()) {
    Logger("cluster")->error("node {}: acquiring lease {} failed: {}", options_.node_id, kNotifierLease,
                             lease.error().ToLogString());
    return;
  }
  if (!lease->has_value()) return;
  notifier_ = **lease;
  Logger("cluster")->info("node {} took lease {}; it sends the notifications", options_.node_id, kNotifierLease);
  if (options_.on_notifier_gained) options_.on_notifier_gained();
}

void ClusterNode::ReleaseAll() {
  for (int number : HeldPartitions()) StopPartition(number, true);
  if (notifier_) {
    if (options_.on_notifier_lost) options_.on_notifier_lost();
    if (Status released = keeper_->Release(kNotifierLease, options_.node_id, notifier_->epoch); !released.ok()) {
      Logger("cluster")->error("node {}: releasing lease {} failed: {}", options_.node_id, kNotifierLease,
                               released.error().ToLogString());
    }
    notifier_.reset();
  }
}

// Runs on an engine thread after a flush that changed alerts: every node's feed wakes and sends
// the changes to its live stream.
void ClusterNode::SignalAlerts() {
  std::lock_guard lock(signal_mutex_);
  if (Status sent = signal_->Notify(kAlertsChannel, ""); !sent.ok()) {
    Logger("cluster")->warn("node {}: NOTIFY {} failed; the other nodes see the change at their next poll: {}",
                            options_.node_id, kAlertsChannel, sent.error().ToLogString());
  }
}

}  // namespace salesradar::api
