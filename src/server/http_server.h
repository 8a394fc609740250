// The HTTP server: Boost.Beast over Asio, HTTP/1.1 with keep-alive, a pool of I/O threads, a
// router, the operations endpoints (/healthz, /readyz, /metrics), Server-Sent Events, and a
// graceful stop. Boost stays out of this header; the implementation is behind a pointer.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "server/config.h"
#include "server/readiness.h"
#include "server/router.h"
#include "server/server_metrics.h"
#include "server/sse.h"

namespace salesradar::server {

// Lifecycle: construct, register routes, readiness checks and shutdown hooks, Start(), later
// Stop() (or destroy, which stops). A server starts at most once.
//
// Every request is handled on one of `config.threads` I/O threads: it is read, routed, its
// handler runs to completion, and the response is written. Every response carries X-Request-Id
// (the client's when acceptable, else a generated one), and every server log line about a request
// starts with "request <id>:".
//
// Thread safety: router() must be filled before Start(). readiness(), sse_hub(), metrics() and
// AddShutdownHook() may be used from any thread at any time. Start() and Stop() may be called
// from any thread but not from a handler.
class Server {
 public:
  // Registers GET /healthz, /readyz and /metrics on the router.
  explicit Server(ServerConfig config);

  // Stops the server when it is running.
  ~Server();

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  const ServerConfig& config() const;
  Router& router();
  ReadinessChecks& readiness();
  SseHub& sse_hub();
  ServerMetrics& metrics();
  MetricsRegistry& metrics_registry();

  // Registers `hook` to run once when the server stops, after the last request finished. Hooks
  // run in reverse order of registration, as destructors do; an exception from a hook is logged
  // and the next hook runs.
  void AddShutdownHook(std::string name, std::function<void()> hook);

  // Binds the listen address and starts the I/O threads. Returns kInvalidArgument for an address
  // that is not an IP address, kUnavailable when the address cannot be bound (in use, no
  // permission), kFailedPrecondition when called a second time.
  Status Start();

  // Returns the bound TCP port, which differs from the configured one when that was 0.
  // REQUIRES: Start() succeeded.
  uint16_t port() const;

  // Stops gracefully: /readyz returns 503, the listener closes, idle connections close, requests
  // in flight finish (their responses say Connection: close), live streams end, and connections
  // still open after `shutdown_timeout` are closed. Then the I/O threads end and the shutdown
  // hooks run. Idempotent; blocks until done. A handler that never returns blocks Stop().
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesradar::server
