#include "server/server_core.h"

#include <utility>

#include "server/operational_routes.h"

namespace salesradar::server {

uint64_t ConnectionRegistry::Add(std::weak_ptr<Connection> connection) {
  std::lock_guard<std::mutex> lock(mutex_);
  uint64_t id = next_id_++;
  connections_.emplace(id, std::move(connection));
  return id;
}

void ConnectionRegistry::Remove(uint64_t id) {
  std::lock_guard<std::mutex> lock(mutex_);
  connections_.erase(id);
  if (connections_.empty()) {
    emptied_.notify_all();
  }
}

size_t ConnectionRegistry::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return connections_.size();
}

std::vector<std::shared_ptr<Connection>> ConnectionRegistry::Snapshot() const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::shared_ptr<Connection>> alive;
  for (const auto& [id, weak] : connections_) {
    if (auto connection = weak.lock()) {
      alive.push_back(std::move(connection));
    }
  }
  return alive;
}

bool ConnectionRegistry::WaitUntilEmpty(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock<std::mutex> lock(mutex_);
  return emptied_.wait_until(lock, deadline, [this] { return connections_.empty(); });
}

ServerCore::ServerCore(ServerConfig server_config)
    : config(std::move(server_config)),
      metrics(metrics_registry),
      stream_hub(config.stream_queue_size, &metrics) {
  AddOperationalRoutes(router, readiness, metrics_registry, stopping);

  metrics_registry.AddCallbackGauge("http_connections_open", "Open client connections.",
                                    [this] { return static_cast<double>(connections.size()); });
  metrics_registry.AddCallbackGauge("salesradar_stream_clients", "Open live-stream clients.",
                                    [this] { return static_cast<double>(stream_hub.subscriber_count()); });
}

}  // namespace salesradar::server
