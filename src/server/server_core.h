// Internal to the server: the state that the listener and every connection share. No Boost
// types here, so that the Beast code stays in the few files that need it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "server/config.h"
#include "server/metrics.h"
#include "server/readiness.h"
#include "server/router.h"
#include "server/server_metrics.h"
#include "server/sse.h"

namespace salesradar::server {

// The interface through which a stopping server closes a connection. Both methods may be called
// from any thread, because the implementation posts the work to the connection's strand.
class Connection {
 public:
  virtual ~Connection() = default;

  // Closes the connection when it waits for a request; otherwise lets the request in progress
  // finish and closes after its response. A live stream sends its last chunk and closes.
  virtual void BeginShutdown() = 0;

  // Closes the socket now.
  virtual void ForceClose() = 0;
};

// The open connections. Thread safety: mutex_ guards connections_ and next_id_; every method may
// be called from any thread.
class ConnectionRegistry {
 public:
  // Returns an id for Remove().
  uint64_t Add(std::weak_ptr<Connection> connection);

  // Called from the connection's destructor.
  void Remove(uint64_t id);

  size_t size() const;

  // Returns the connections that are still alive.
  std::vector<std::shared_ptr<Connection>> Snapshot() const;

  // Blocks until no connection is left or `deadline` passes; returns true when none is left.
  bool WaitUntilEmpty(std::chrono::steady_clock::time_point deadline);

 private:
  mutable std::mutex mutex_;
  std::condition_variable emptied_;
  std::map<uint64_t, std::weak_ptr<Connection>> connections_;
  uint64_t next_id_ = 1;
};

struct ServerCore {
  explicit ServerCore(ServerConfig server_config);

  const ServerConfig config;
  MetricsRegistry metrics_registry;
  ServerMetrics metrics;
  Router router;
  ReadinessChecks readiness;
  SseHub stream_hub;
  ConnectionRegistry connections;
  std::atomic<bool> stopping{false};
};

}  // namespace salesradar::server
