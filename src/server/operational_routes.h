// The operations endpoints: GET /healthz (the process runs), GET /readyz (every readiness check
// passes and the server is not stopping) and GET /metrics (Prometheus text format).
#pragma once

#include <atomic>

#include "server/metrics.h"
#include "server/readiness.h"
#include "server/router.h"

namespace salesradar::server {

// Registers the three routes on `router`. The other arguments must outlive the router's use.
// /readyz returns 503 while `stopping` is true, so that a load balancer stops sending traffic
// before the listener closes.
void AddOperationalRoutes(Router& router, const ReadinessChecks& readiness,
                          const MetricsRegistry& registry, const std::atomic<bool>& stopping);

}  // namespace salesradar::server
