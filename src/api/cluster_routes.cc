// GET /api/v1/cluster: the nodes of a cluster on PostgreSQL and who holds which lease, for admins.
// A single node on SQLite returns mode "single" and empty lists.
#include <nlohmann/json.hpp>

#include "api/api_context.h"
#include "api/cluster_node.h"
#include "api/principal.h"
#include "api/request_io.h"
#include "api/routes.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

json NodeJson(const store::ClusterNode& node) {
  return {{"node_id", node.node_id},
          {"started_at", FormatTime(node.started_at)},
          {"heartbeat_at", FormatTime(node.heartbeat_at)},
          {"listen", node.listen},
          {"version", node.version}};
}

json LeaseJson(const store::Lease& lease) {
  return {{"name", lease.name},
          {"node_id", lease.node_id.empty() ? json(nullptr) : json(lease.node_id)},
          {"epoch", lease.epoch},
          {"expires_at", FormatTime(lease.expires_at)}};
}

Result<Response> GetCluster(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));

  json body = {{"mode", "single"},         {"node_id", nullptr},      {"partition_count", 0},
               {"held_partitions", json::array()}, {"nodes", json::array()}, {"leases", json::array()}};
  if (context.cluster == nullptr) return Response::Json(200, body);

  SR_ASSIGN_OR_RETURN(ClusterView view, context.cluster->View());
  body["mode"] = "cluster";
  body["node_id"] = view.node_id;
  body["partition_count"] = view.partition_count;
  body["held_partitions"] = view.held;
  for (const store::ClusterNode& node : view.nodes) body["nodes"].push_back(NodeJson(node));
  for (const store::Lease& lease : view.leases) body["leases"].push_back(LeaseJson(lease));
  return Response::Json(200, body);
}

}  // namespace

void RegisterClusterRoutes(server::Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v1/cluster", [&context](const Request& request) { return GetCluster(request, context); });
}

}  // namespace salesradar::api
