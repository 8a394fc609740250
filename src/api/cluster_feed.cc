// ClusterNode's feed thread (events, rule packs, alert actions, the live stream) and the
// EngineDelegate calls that request handlers make.
#include <algorithm>
#include <thread>

#include <fmt/format.h>

#include "api/alert_json.h"
#include "api/cluster_node.h"
#include "api/store_pool.h"
#include "common/logging.h"
#include "store/store.h"
#include "store/subject_bucket.h"

namespace salesradar::api {
namespace {

constexpr auto kPollInterval = std::chrono::seconds(1);
constexpr auto kPackPollInterval = std::chrono::seconds(30);
constexpr int kEventPage = 1000;
constexpr int kMaxEventPages = 20;  // per partition and round, so that one partition cannot starve the rest
constexpr int kOutboxPage = 500;
// An event transaction is assumed to commit within this time after it took its seq. The trail
// of a partition stays this far behind, so that an event with a lower seq that commits late is
// still read.
constexpr auto kCommitHorizon = std::chrono::seconds(30);
// The live stream re-reads this much of the outbox, for changes committed out of seq order.
constexpr auto kOutboxHorizon = std::chrono::seconds(10);
// How long a request waits for another node to apply a passed-on alert action. The owner
// ignores requests older than kActionMaxAge, so that an action the requester gave up on stays
// undone.
constexpr auto kActionWait = std::chrono::seconds(10);
constexpr auto kActionPoll = std::chrono::milliseconds(25);
constexpr Microseconds kActionMaxAge = std::chrono::seconds(9);

using SteadyTime = std::chrono::steady_clock::time_point;

// Returns the newest value recorded at least `horizon` ago and removes older ones from `seen`.
std::optional<int64_t> OldestSettled(std::deque<std::pair<SteadyTime, int64_t>>& seen, SteadyTime now,
                                     std::chrono::seconds horizon) {
  std::optional<int64_t> settled;
  while (!seen.empty() && now - seen.front().first >= horizon) {
    settled = seen.front().second;
    if (seen.size() == 1 || now - seen[1].first < horizon) break;
    seen.pop_front();
  }
  return settled;
}

std::string_view KindName(AlertActionRequest::Kind kind) {
  switch (kind) {
    case AlertActionRequest::Kind::kAcknowledge:
      return "acknowledge";
    case AlertActionRequest::Kind::kSnooze:
      return "snooze";
    case AlertActionRequest::Kind::kResolve:
      return "resolve";
  }
  return "";
}

std::optional<AlertActionRequest::Kind> ParseKind(std::string_view name) {
  for (auto kind : {AlertActionRequest::Kind::kAcknowledge, AlertActionRequest::Kind::kSnooze,
                    AlertActionRequest::Kind::kResolve}) {
    if (KindName(kind) == name) return kind;
  }
  return std::nullopt;
}

ErrorCode ParseErrorCode(std::string_view name) {
  for (int code = 0; code <= static_cast<int>(ErrorCode::kInternal); ++code) {
    if (ErrorCodeName(static_cast<ErrorCode>(code)) == name) return static_cast<ErrorCode>(code);
  }
  return ErrorCode::kInternal;
}

Result<std::vector<rules::AlertChange>> RunOn(EngineHost& host, const AlertActionRequest& action) {
  switch (action.kind) {
    case AlertActionRequest::Kind::kAcknowledge:
      return host.Acknowledge(action.alert_id, action.actor, action.note);
    case AlertActionRequest::Kind::kSnooze:
      return host.Snooze(action.alert_id, action.actor, action.until, action.note);
    case AlertActionRequest::Kind::kResolve:
      return host.Resolve(action.alert_id, action.actor, action.note);
  }
  return InvalidArgument("未知操作", "unknown action");
}

}  // namespace

std::vector<std::shared_ptr<ClusterNode::Partition>> ClusterNode::Partitions() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<Partition>> partitions;
  for (const auto& [number, partition] : partitions_) partitions.push_back(partition);
  return partitions;
}

std::shared_ptr<ClusterNode::Partition> ClusterNode::FindPartition(int number) const {
  std::lock_guard lock(mutex_);
  auto found = partitions_.find(number);
  return found == partitions_.end() ? nullptr : found->second;
}

void ClusterNode::Feed() {
  std::vector<std::string> channels;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    if (Status fed = FeedOnce(channels); !fed.ok()) {
      Logger("cluster")->error("node {}: a feed round failed, retrying: {}", options_.node_id,
                               fed.error().ToLogString());
    }

    Result<std::vector<std::string>> notified = feed_->Wait(std::chrono::duration_cast<std::chrono::milliseconds>(kPollInterval));
    if (notified.ok()) {
      channels = std::move(notified).value();
    } else {
      Logger("cluster")->error("node {}: waiting for notifications failed; polling: {}", options_.node_id,
                               notified.error().ToLogString());
      channels.clear();
      std::this_thread::sleep_for(kPollInterval);
    }
  }
}

Status ClusterNode::FeedOnce(const std::vector<std::string>& channels) {
  for (const std::shared_ptr<Partition>& partition : Partitions()) {
    if (Status fed = FeedEvents(*partition); !fed.ok()) {
      Logger("cluster")->error("node {}: reading the events of partition {} failed: {}", options_.node_id,
                               partition->number, fed.error().ToLogString());
    }
  }

  bool packs = std::find(channels.begin(), channels.end(), kPacksChannel) != channels.end();
  if (packs || std::chrono::steady_clock::now() - packs_loaded_at_ >= kPackPollInterval) ReloadPacks();

  SR_RETURN_IF_ERROR(ServeActions());
  return TailOutbox();
}

// Hands the host the partition's unprocessed events it does not have yet, then moves the trail:
// to the highest seq read kCommitHorizon ago, but below the lowest event still unprocessed.
Status ClusterNode::FeedEvents(Partition& partition) {
  auto now = std::chrono::steady_clock::now();
  std::optional<int64_t> lowest_unprocessed;
  int64_t from = partition.trail;
  for (int page_number = 0; page_number < kMaxEventPages; ++page_number) {
    SR_ASSIGN_OR_RETURN(std::vector<store::StoredEvent> page,
                        feed_store_->ListUnprocessedEventsInBuckets(from, kEventPage, partition.buckets));
    if (page.empty()) break;
    if (!lowest_unprocessed) lowest_unprocessed = page.front().seq;

    std::vector<rules::Event> events;
    std::vector<int64_t> seqs;
    for (store::StoredEvent& stored : page) {
      if (partition.handed.contains(stored.seq)) continue;
      seqs.push_back(stored.seq);
      events.push_back(std::move(stored.event));
    }
    if (!events.empty() && !partition.host->Enqueue(std::move(events))) break;  // full: the next round
    partition.handed.insert(seqs.begin(), seqs.end());
    partition.seen.emplace_back(now, page.back().seq);
    from = page.back().seq;
    if (page.size() < static_cast<size_t>(kEventPage)) break;
  }

  std::optional<int64_t> settled = OldestSettled(partition.seen, now, kCommitHorizon);
  if (!settled) return OkStatus();
  int64_t trail = lowest_unprocessed ? std::min(*settled, *lowest_unprocessed - 1) : *settled;
  partition.trail = std::max(partition.trail, trail);
  partition.handed.erase(partition.handed.begin(), partition.handed.upper_bound(partition.trail));
  return OkStatus();
}

void ClusterNode::ReloadPacks() {
  packs_loaded_at_ = std::chrono::steady_clock::now();
  if (Status loaded = front_->ReloadPacks(); !loaded.ok()) {
    Logger("cluster")->error("node {}: reloading rule names failed: {}", options_.node_id,
                             loaded.error().ToLogString());
  }
  for (const std::shared_ptr<Partition>& partition : Partitions()) {
    if (Status loaded = partition->host->ReloadPacks(); !loaded.ok()) {
      Logger("cluster")->error("node {}: reloading rule packs into partition {} failed: {}", options_.node_id,
                               partition->number, loaded.error().ToLogString());
    }
  }
}

// Sends every alert change of the outbox to this node's live stream once, whichever node made it.
Status ClusterNode::TailOutbox() {
  auto now = std::chrono::steady_clock::now();
  int64_t from = outbox_low_;
  while (true) {
    SR_ASSIGN_OR_RETURN(std::vector<store::OutboxEntry> entries, feed_->OutboxAfter(from, kOutboxPage));
    if (entries.empty()) break;

    std::set<std::string> sent;
    for (const store::OutboxEntry& entry : entries) {
      if (!outbox_published_.insert(entry.seq).second || !sent.insert(entry.alert_id).second) continue;
      Result<std::optional<store::AlertRow>> row = feed_store_->GetAlert(entry.alert_id, nullptr);
      if (!row.ok() || !row->has_value()) {
        Logger("cluster")->error("node {}: reading alert {} for the live stream failed: {}", options_.node_id,
                                 entry.alert_id, row.ok() ? "not found" : row.error().ToLogString());
        continue;
      }
      const rules::AlertKey& key = (*row)->alert.key;
      stream_.Publish(AlertStreamEvent(**row, front_->RuleName(key.pack_id, key.rule_id)));
    }
    outbox_seen_.emplace_back(now, entries.back().seq);
    from = entries.back().seq;
    if (entries.size() < static_cast<size_t>(kOutboxPage)) break;
  }

  if (std::optional<int64_t> settled = OldestSettled(outbox_seen_, now, kOutboxHorizon)) {
    outbox_low_ = std::max(outbox_low_, *settled);
    outbox_published_.erase(outbox_published_.begin(), outbox_published_.upper_bound(outbox_low_));
  }
  return OkStatus();
}

// Applies the alert actions that other nodes passed on for this node's partitions.
Status ClusterNode::ServeActions() {
  std::vector<int> held = HeldPartitions();
  if (held.empty()) return OkStatus();
  SR_ASSIGN_OR_RETURN(std::vector<store::AlertActionRow> actions, feed_->PendingAlertActions(held, partition_count_, kActionMaxAge));

  for (const store::AlertActionRow& row : actions) {
    std::shared_ptr<Partition> partition = FindPartition(store::PartitionOfBucket(row.bucket, partition_count_));
    std::optional<AlertActionRequest::Kind> kind = ParseKind(row.kind);
    Status outcome = OkStatus();
    if (partition == nullptr) continue;  // lost meanwhile; the next holder serves it
    if (!kind) {
      outcome = InvalidArgument(fmt::format("未知操作 '{}'", row.kind), fmt::format("unknown action '{}'", row.kind));
    } else {
      Result<std::vector<rules::AlertChange>> done =
          RunOn(*partition->host, {*kind, row.alert_id, row.actor, row.until, row.note});
      if (!done.ok()) outcome = std::move(done).error();
    }
    SR_RETURN_IF_ERROR(feed_->FinishAlertAction(row.id, outcome));
  }
  return OkStatus();
}

Result<std::vector<rules::AlertChange>> ClusterNode::Act(const AlertActionRequest& action) {
  int bucket = 0;
  {
    SR_ASSIGN_OR_RETURN(StoreLease store, stores_.Acquire());
    SR_ASSIGN_OR_RETURN(std::optional<store::AlertRow> row, store->GetAlert(action.alert_id, nullptr));
    if (!row) {
      return Error(ErrorCode::kNotFound, fmt::format("告警 '{}' 不存在", action.alert_id),
                   fmt::format("alert '{}' does not exist", action.alert_id));
    }
    const rules::SubjectRef& subject = row->alert.key.subject;
    bucket = store::SubjectBucket(subject.type, subject.id);
  }

  if (std::shared_ptr<Partition> partition = FindPartition(store::PartitionOfBucket(bucket, partition_count_))) {
    return RunOn(*partition->host, action);
  }
  return ForwardAction(action, bucket);
}

// Passes `action` to the node leasing the alert's partition through table alert_actions and
// waits for its outcome.
Result<std::vector<rules::AlertChange>> ClusterNode::ForwardAction(const AlertActionRequest& action, int bucket) {
  SR_ASSIGN_OR_RETURN(StoreLease store, stores_.Acquire());
  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::ClusterStore> cluster, store->OpenClusterStore());
  store::AlertActionRow row;
  row.alert_id = action.alert_id;
  row.bucket = bucket;
  row.kind = std::string(KindName(action.kind));
  row.actor = action.actor;
  row.until = action.until;
  row.note = action.note;
  SR_ASSIGN_OR_RETURN(int64_t id, cluster->PostAlertAction(row));
  SR_RETURN_IF_ERROR(cluster->Notify(kActionsChannel, std::to_string(id)));

  auto deadline = std::chrono::steady_clock::now() + kActionWait;
  while (std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kActionPoll);
    SR_ASSIGN_OR_RETURN(std::optional<store::AlertActionRow> done, cluster->GetAlertAction(id));
    if (!done || !done->done) continue;
    if (done->error_code.empty()) return std::vector<rules::AlertChange>();
    return Error(ParseErrorCode(done->error_code), done->message_zh, done->message_en);
  }

  Logger("cluster")->warn("node {}: no node applied {} of alert {} (action {}) within {} s", options_.node_id,
                          row.kind, action.alert_id, id, kActionWait.count());
  return Error(ErrorCode::kUnavailable,
               fmt::format("负责该告警的节点在 {} 秒内没有处理此操作；请稍后重试", kActionWait.count()),
               fmt::format("the node that runs this alert's partition did not apply the action within {} s; "
                           "retry later",
                           kActionWait.count()));
}

void ClusterNode::PackPublished() {
  for (const std::shared_ptr<Partition>& partition : Partitions()) {
    if (Status loaded = partition->host->ReloadPacks(); !loaded.ok()) {
      Logger("cluster")->error("node {}: loading the new rule pack into partition {} failed: {}", options_.node_id,
                               partition->number, loaded.error().ToLogString());
    }
  }

  std::lock_guard lock(signal_mutex_);
  if (Status sent = signal_->Notify(kPacksChannel, ""); !sent.ok()) {
    Logger("cluster")->warn("node {}: NOTIFY {} failed; the other nodes load the pack at their next poll: {}",
                            options_.node_id, kPacksChannel, sent.error().ToLogString());
  }
}

Status ClusterNode::Drain(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  SR_ASSIGN_OR_RETURN(StoreLease store, stores_.Acquire());
  while (true) {
    SR_ASSIGN_OR_RETURN(std::vector<store::StoredEvent> waiting, store->ListUnprocessedEvents(0, 1));
    if (waiting.empty()) return OkStatus();
    if (std::chrono::steady_clock::now() >= deadline) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return Error(ErrorCode::kUnavailable,
               fmt::format("集群在 {} 毫秒内未处理完已提交的事件", timeout.count()),
               fmt::format("the cluster did not process the committed events within {} ms", timeout.count()));
}

}  // namespace salesradar::api
