// What every route handler of /api/v1 shares: configuration, the store pool, the clock, the live
// stream, the engine host, the event intake and the import jobs. App owns all of them and gives
// each route file a reference to one ApiContext.
#pragma once

#include <memory>
#include <string>

#include "auth/rate_limiter.h"
#include "common/clock.h"
#include "server/config.h"
#include "server/metrics.h"
#include "server/sse.h"

namespace salesradar::api {

class StorePool;
class EngineHost;
class EventIntake;
class ImportJobs;
class ClusterNode;

struct ApiContext {
  const server::ServerConfig& config;
  StorePool& stores;
  const Clock& clock;
  server::SseHub& stream;
  server::MetricsRegistry& metrics;
  EngineHost& engine;
  EventIntake& intake;
  ImportJobs& imports;
  auth::SignInRateLimiter& sign_in_limiter;
  std::string public_base_url;  // for links in messages, e.g. "http://127.0.0.1:8080"
  std::string web_root;         // the built web UI (AppOptions::web_root); empty: no UI routes
  ClusterNode* cluster = nullptr;  // cluster mode on PostgreSQL; null for SQLite
};

}  // namespace salesradar::api
