// The lease logic of a cluster against PostgreSQL (store/cluster_store.h): the partition count
// the first node stores, acquiring, renewing and releasing, a takeover after expiry with the next
// epoch, fenced engine-state writes, heartbeats and LISTEN/NOTIFY.
#include <unistd.h>

#include <chrono>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "cluster_test_pg.h"
#include "rules/state_store.h"
#include "store/cluster_store.h"
#include "store/store.h"

namespace salesradar::store {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class ClusterLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!cluster_testing::PostgresAvailable()) GTEST_SKIP() << "PostgreSQL is not available";
    url_ = cluster_testing::CreateSchemaUrl();
    first_ = Connect();
    second_ = Connect();
  }

  struct Node {
    std::unique_ptr<Store> store;
    std::unique_ptr<ClusterStore> cluster;
  };

  Node Connect() {
    Node node;
    Result<std::unique_ptr<Store>> store = Open(url_);
    EXPECT_TRUE(store.ok()) << store.error().ToLogString();
    if (!store.ok()) return node;
    node.store = std::move(store).value();
    Result<std::unique_ptr<ClusterStore>> cluster = node.store->OpenClusterStore();
    EXPECT_TRUE(cluster.ok()) << cluster.error().ToLogString();
    if (cluster.ok()) node.cluster = std::move(cluster).value();
    return node;
  }

  std::optional<Lease> Acquire(Node& node, const std::string& name, const std::string& node_id, Microseconds ttl) {
    Result<std::optional<Lease>> lease = node.cluster->TryAcquire(name, node_id, ttl);
    EXPECT_TRUE(lease.ok()) << lease.error().ToLogString();
    return lease.ok() ? *lease : std::nullopt;
  }

  std::string url_;
  Node first_;
  Node second_;
};

TEST_F(ClusterLeaseTest, FirstNodeFixesPartitionCount) {
  Result<int> first = first_.cluster->PartitionCount(8);
  ASSERT_TRUE(first.ok()) << first.error().ToLogString();
  Result<int> second = second_.cluster->PartitionCount(4);
  ASSERT_TRUE(second.ok());

  EXPECT_EQ(*first, 8);
  EXPECT_EQ(*second, 8);
}

TEST_F(ClusterLeaseTest, HolderRenewsOthersWait) {
  std::optional<Lease> taken = Acquire(first_, "partition/0", "a", seconds(30));
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(taken->node_id, "a");
  EXPECT_EQ(taken->epoch, 1);

  EXPECT_FALSE(Acquire(second_, "partition/0", "b", seconds(30)).has_value());

  std::optional<Lease> again = Acquire(first_, "partition/0", "a", seconds(30));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->epoch, 1);

  Result<std::vector<Lease>> renewed = first_.cluster->RenewAll("a", seconds(30));
  ASSERT_TRUE(renewed.ok());
  ASSERT_EQ(renewed->size(), 1u);
  EXPECT_EQ(renewed->front().name, "partition/0");
  EXPECT_GE(renewed->front().expires_at, taken->expires_at);
}

TEST_F(ClusterLeaseTest, ReleaseHandsOverWithNextEpoch) {
  std::optional<Lease> taken = Acquire(first_, "partition/1", "a", seconds(30));
  ASSERT_TRUE(taken.has_value());

  ASSERT_TRUE(first_.cluster->Release("partition/1", "a", taken->epoch).ok());
  std::optional<Lease> next = Acquire(second_, "partition/1", "b", seconds(30));

  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->node_id, "b");
  EXPECT_EQ(next->epoch, taken->epoch + 1);
}

TEST_F(ClusterLeaseTest, ReleaseWithWrongEpochIgnored) {
  std::optional<Lease> taken = Acquire(first_, "partition/2", "a", seconds(30));
  ASSERT_TRUE(taken.has_value());

  ASSERT_TRUE(first_.cluster->Release("partition/2", "a", taken->epoch + 5).ok());

  EXPECT_FALSE(Acquire(second_, "partition/2", "b", seconds(30)).has_value());
}

TEST_F(ClusterLeaseTest, ExpiredLeaseTakenOverNextEpoch) {
  std::optional<Lease> taken = Acquire(first_, "partition/3", "a", milliseconds(200));
  ASSERT_TRUE(taken.has_value());
  std::this_thread::sleep_for(milliseconds(400));  // let it expire on the database clock

  std::optional<Lease> next = Acquire(second_, "partition/3", "b", seconds(30));
  Result<std::vector<Lease>> renewed = first_.cluster->RenewAll("a", seconds(30));

  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->epoch, taken->epoch + 1);
  ASSERT_TRUE(renewed.ok());
  EXPECT_TRUE(renewed->empty()) << "the old holder must see that it lost the lease";
}

TEST_F(ClusterLeaseTest, StaleEpochWritesAreFenced) {
  std::optional<Lease> taken = Acquire(first_, "partition/4", "a", milliseconds(200));
  ASSERT_TRUE(taken.has_value());
  EngineStateScope stale_scope{{4}, "partition/4", "a", taken->epoch};
  Result<std::unique_ptr<rules::EngineStateStore>> stale = first_.store->OpenScopedEngineState(stale_scope);
  if (!stale.ok() && stale.error().code() == ErrorCode::kFailedPrecondition) {
    GTEST_SKIP() << "this PostgreSQL store has no scoped engine state yet: " << stale.error().ToLogString();
  }
  ASSERT_TRUE(stale.ok()) << stale.error().ToLogString();

  std::this_thread::sleep_for(milliseconds(400));
  std::optional<Lease> next = Acquire(second_, "partition/4", "b", seconds(30));
  ASSERT_TRUE(next.has_value());
  Result<std::unique_ptr<rules::EngineStateStore>> current =
      second_.store->OpenScopedEngineState(EngineStateScope{{4}, "partition/4", "b", next->epoch});
  ASSERT_TRUE(current.ok()) << current.error().ToLogString();

  rules::StateBatch stale_batch;
  stale_batch.processed_event_ids = {"fenced-stale"};
  Status stale_write = (*stale)->Apply(stale_batch);
  rules::StateBatch current_batch;
  current_batch.processed_event_ids = {"fenced-current"};
  Status current_write = (*current)->Apply(current_batch);

  ASSERT_FALSE(stale_write.ok());
  EXPECT_EQ(stale_write.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_TRUE(current_write.ok()) << current_write.error().ToLogString();
  EXPECT_FALSE(*(*current)->IsProcessed("fenced-stale"));
  EXPECT_TRUE(*(*current)->IsProcessed("fenced-current"));
}

TEST_F(ClusterLeaseTest, LiveNodesListsHeartbeats) {
  ClusterNode a{"a", {}, {}, "127.0.0.1:1", "test"};
  ClusterNode b{"b", {}, {}, "127.0.0.1:2", "test"};
  ASSERT_TRUE(first_.cluster->Heartbeat(a).ok());
  ASSERT_TRUE(second_.cluster->Heartbeat(b).ok());

  Result<std::vector<ClusterNode>> live = first_.cluster->LiveNodes(seconds(30));

  ASSERT_TRUE(live.ok()) << live.error().ToLogString();
  ASSERT_EQ(live->size(), 2u);
  EXPECT_EQ((*live)[0].node_id, "a");
  EXPECT_EQ((*live)[1].listen, "127.0.0.1:2");
}

TEST_F(ClusterLeaseTest, NotifyWakesListener) {
  std::string channel = fmt::format("salesradar_lease_test_{}", ::getpid());
  ASSERT_TRUE(first_.cluster->Listen(channel).ok());

  ASSERT_TRUE(second_.cluster->Notify(channel, "hello").ok());
  Result<std::vector<std::string>> woken = first_.cluster->Wait(milliseconds(5000));

  ASSERT_TRUE(woken.ok()) << woken.error().ToLogString();
  ASSERT_EQ(woken->size(), 1u);
  EXPECT_EQ(woken->front(), channel);
}

TEST_F(ClusterLeaseTest, ForwardedActionReachesOwner) {
  AlertActionRow action;
  action.alert_id = "pack/rule@1/lead/L-1/e1";
  action.bucket = 13;
  action.kind = "acknowledge";
  action.actor = "user:1";
  Result<int64_t> id = first_.cluster->PostAlertAction(action);
  ASSERT_TRUE(id.ok()) << id.error().ToLogString();

  std::vector<int> owner_partitions = {13 % 8};
  std::vector<int> other_partitions = {(13 + 1) % 8};
  Result<std::vector<AlertActionRow>> pending = second_.cluster->PendingAlertActions(owner_partitions, 8, seconds(9));
  Result<std::vector<AlertActionRow>> elsewhere = second_.cluster->PendingAlertActions(other_partitions, 8, seconds(9));
  ASSERT_TRUE(pending.ok()) << pending.error().ToLogString();
  ASSERT_TRUE(elsewhere.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_TRUE(elsewhere->empty());

  ASSERT_TRUE(second_.cluster->FinishAlertAction(*id, Error(ErrorCode::kNotFound, "无", "none")).ok());
  Result<std::optional<AlertActionRow>> done = first_.cluster->GetAlertAction(*id);
  ASSERT_TRUE(done.ok());
  ASSERT_TRUE(done->has_value());
  EXPECT_TRUE((*done)->done);
  EXPECT_EQ((*done)->error_code, "not_found");
  EXPECT_EQ((*done)->message_en, "none");
}

}  // namespace
}  // namespace salesradar::store
