#include "store/postgres/pg_cluster.h"

#include <poll.h>

#include <algorithm>
#include <string>

#include <fmt/format.h>

#include "store/postgres/pg_errors.h"
#include "store/postgres/pg_store.h"

namespace salesradar::store::postgres {
namespace {

// The database clock in microseconds since the epoch. clock_timestamp() moves within a
// transaction, unlike now().
constexpr const char* kNowMicros = "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)";

Lease LeaseAt(const PgResult& rows, int row) {
  Lease lease;
  lease.name = std::string(rows.Text(row, 0));
  lease.node_id = std::string(rows.Text(row, 1));
  lease.epoch = rows.Int(row, 2);
  lease.expires_at = FromUnixMicros(rows.Int(row, 3));
  return lease;
}

std::vector<Lease> Leases(const PgResult& rows) {
  std::vector<Lease> leases;
  for (int row = 0; row < rows.rows(); ++row) leases.push_back(LeaseAt(rows, row));
  std::sort(leases.begin(), leases.end(), [](const Lease& a, const Lease& b) { return a.name < b.name; });
  return leases;
}

// Keeps only whether a command succeeded.
Status Done(Result<PgResult> result) {
  if (!result.ok()) return std::move(result).error();
  return OkStatus();
}

}  // namespace

Result<int> PgClusterStore::PartitionCount(int proposed) {
  PgParams insert;
  insert.AddText(std::to_string(proposed));
  SR_RETURN_IF_ERROR(Done(connection_.Query(
      "INSERT INTO cluster_settings (name, value) VALUES ('partitions', $1) ON CONFLICT (name) DO NOTHING", insert,
      "store the partition count")));

  SR_ASSIGN_OR_RETURN(PgResult rows, connection_.Query("SELECT value FROM cluster_settings WHERE name = 'partitions'",
                                                       PgParams(), "read the partition count"));
  int count = rows.rows() == 1 ? static_cast<int>(rows.Int(0, 0)) : 0;
  if (count < 1) {
    return Error(ErrorCode::kDataLoss, fmt::format("cluster_settings 中的分区数 {} 无效", count),
                 fmt::format("the partition count {} in cluster_settings is not valid", count));
  }
  return count;
}

Status PgClusterStore::Heartbeat(const ClusterNode& node) {
  PgParams params;
  params.AddText(node.node_id);
  params.AddText(node.listen);
  params.AddText(node.version);
  std::string sql = fmt::format(
      "INSERT INTO cluster_nodes (node_id, started_at, heartbeat_at, listen, version) "
      "VALUES ($1, {0}, {0}, $2, $3) ON CONFLICT (node_id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at, "
      "listen = EXCLUDED.listen, version = EXCLUDED.version",
      kNowMicros);
  return Done(connection_.Query(sql, params, "record a node heartbeat"));
}

Result<std::vector<ClusterNode>> PgClusterStore::LiveNodes(Microseconds max_silence) {
  PgParams params;
  params.AddInt(max_silence.count());
  std::string sql = fmt::format(
      "SELECT node_id, started_at, heartbeat_at, listen, version FROM cluster_nodes "
      "WHERE heartbeat_at >= {} - $1 ORDER BY node_id",
      kNowMicros);
  SR_ASSIGN_OR_RETURN(PgResult rows, connection_.Query(sql, params, "list live nodes"));

  std::vector<ClusterNode> nodes;
  for (int row = 0; row < rows.rows(); ++row) {
    ClusterNode node;
    node.node_id = std::string(rows.Text(row, 0));
    node.started_at = FromUnixMicros(rows.Int(row, 1));
    node.heartbeat_at = FromUnixMicros(rows.Int(row, 2));
    node.listen = std::string(rows.Text(row, 3));
    node.version = std::string(rows.Text(row, 4));
    nodes.push_back(std::move(node));
  }
  return nodes;
}

// The epoch stays when the holder renews an unexpired lease and grows by one otherwise: a new
// holder, or a holder that let its lease expire (its engine for the old epoch has stopped).
Result<std::optional<Lease>> PgClusterStore::TryAcquire(std::string_view name, std::string_view node_id,
                                                        Microseconds ttl) {
  PgParams params;
  params.AddText(name);
  params.AddText(node_id);
  params.AddInt(ttl.count());
  std::string sql = fmt::format(
      "INSERT INTO leases AS l (name, node_id, epoch, expires_at, renewed_at) VALUES ($1, $2, 1, {0} + $3, {0}) "
      "ON CONFLICT (name) DO UPDATE SET "
      "epoch = CASE WHEN l.node_id = EXCLUDED.node_id AND l.expires_at > EXCLUDED.renewed_at "
      "THEN l.epoch ELSE l.epoch + 1 END, "
      "node_id = EXCLUDED.node_id, expires_at = EXCLUDED.expires_at, renewed_at = EXCLUDED.renewed_at "
      "WHERE l.node_id = EXCLUDED.node_id OR l.expires_at <= EXCLUDED.renewed_at "
      "RETURNING name, node_id, epoch, expires_at",
      kNowMicros);
  SR_ASSIGN_OR_RETURN(PgResult rows, connection_.Query(sql, params, "acquire a lease"));
  if (rows.rows() == 0) return std::optional<Lease>();
  return std::optional<Lease>(LeaseAt(rows, 0));
}

Result<std::vector<Lease>> PgClusterStore::RenewAll(std::string_view node_id, Microseconds ttl) {
  PgParams params;
  params.AddText(node_id);
  params.AddInt(ttl.count());
  std::string sql = fmt::format(
      "UPDATE leases SET expires_at = {0} + $2, renewed_at = {0} WHERE node_id = $1 AND expires_at > {0} "
      "RETURNING name, node_id, epoch, expires_at",
      kNowMicros);
  SR_ASSIGN_OR_RETURN(PgResult rows, connection_.Query(sql, params, "renew leases"));
  return Leases(rows);
}

Status PgClusterStore::Release(std::string_view name, std::string_view node_id, int64_t epoch) {
  PgParams params;
  params.AddText(name);
  params.AddText(node_id);
  params.AddInt(epoch);
  return Done(connection_.Query(
      "UPDATE leases SET node_id = '', expires_at = 0 WHERE name = $1 AND node_id = $2 AND epoch = $3", params,
      "release a lease"));
}

Result<std::vector<Lease>> PgClusterStore::ListLeases() {
  SR_ASSIGN_OR_RETURN(PgResult rows, connection_.Query("SELECT name, node_id, epoch, expires_at FROM leases",
                                                       PgParams(), "list leases"));
  return Leases(rows);
}

Status PgClusterStore::Listen(std::string_view channel) {
  char* quoted = PQescapeIdentifier(connection_.native(), channel.data(), channel.size());
  if (quoted == nullptr) return PgError(connection_.native(), nullptr, "quote a channel name");
  std::string sql = fmt::format("LISTEN {}", quoted);
  PQfreemem(quoted);
  return connection_.Execute(sql, "listen for notifications");
}

Status PgClusterStore::Collect(std::vector<std::string>* channels) {
  PGconn* native = connection_.native();
  if (PQconsumeInput(native) == 0) return PgError(native, nullptr, "read notifications");
  while (PGnotify* notification = PQnotifies(native)) {
    std::string channel = notification->relname;
    PQfreemem(notification);
    if (std::find(channels->begin(), channels->end(), channel) == channels->end()) channels->push_back(channel);
  }
  return OkStatus();
}

Result<std::vector<std::string>> PgClusterStore::Wait(std::chrono::milliseconds timeout) {
  std::vector<std::string> channels;
  SR_RETURN_IF_ERROR(Collect(&channels));
  if (!channels.empty()) return channels;

  pollfd descriptor{};
  descriptor.fd = PQsocket(connection_.native());
  descriptor.events = POLLIN;
  if (descriptor.fd < 0) return PgError(connection_.native(), nullptr, "wait for notifications");
  int ready = ::poll(&descriptor, 1, static_cast<int>(timeout.count()));
  if (ready > 0) SR_RETURN_IF_ERROR(Collect(&channels));
  return channels;
}

Status PgClusterStore::Notify(std::string_view channel, std::string_view payload) {
  PgParams params;
  params.AddText(channel);
  params.AddText(payload);
  return Done(connection_.Query("SELECT pg_notify($1, $2)", params, "send a notification"));
}

}  // namespace salesradar::store::postgres

namespace salesradar::store::postgres {

Result<std::unique_ptr<ClusterStore>> PgStore::OpenClusterStore() {
  if (in_transaction_) {
    return Error(ErrorCode::kFailedPrecondition, "不能在事务中打开集群存储",
                 "the cluster store cannot be opened inside a transaction");
  }
  return std::unique_ptr<ClusterStore>(std::make_unique<PgClusterStore>(*connection_));
}

}  // namespace salesradar::store::postgres
