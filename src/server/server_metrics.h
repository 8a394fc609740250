// The metric families of a SalesRadar server: the HTTP families the server updates itself, and
// the hooks that other components update (events ingested, alerts raised, pending timers, outbox
// backlog, live-stream clients). Registered in one place so that names and labels match
// docs/configuration.md.
#pragma once

#include <string_view>

#include "server/metrics.h"

namespace salesradar::server {

class ServerMetrics {
 public:
  // Registers the families in `registry`, which must outlive this object.
  explicit ServerMetrics(MetricsRegistry& registry);

  // Counts one finished HTTP request. `route` is the route pattern ("unmatched" when no route
  // matched), never the raw path, so that the label set stays bounded.
  void RecordRequest(std::string_view route, std::string_view method, int status,
                     double duration_seconds);

  // Counts `count` events accepted from `source` ("api", "import", ...).
  void RecordEventsIngested(std::string_view source, double count);

  // Counts one alert raised or escalated to `level` ("yellow", "orange", "red").
  void RecordAlert(std::string_view level);

  // Sets the number of absence timers waiting in the rules engine.
  void SetPendingTimers(double count);

  // Sets the number of outgoing messages waiting in the outbox.
  void SetOutboxBacklog(double count);

  // Counts one live-stream client dropped because its queue was full.
  void RecordStreamClientDropped();

  // Counts one connection closed at once because the server had max_connections open.
  void RecordConnectionRejected();

  MetricsRegistry& registry() { return registry_; }

 private:
  MetricsRegistry& registry_;
  CounterFamily& http_requests_;
  HistogramFamily& http_request_duration_;
  Counter& connections_rejected_;
  CounterFamily& events_ingested_;
  CounterFamily& alerts_raised_;
  Gauge& pending_timers_;
  Gauge& outbox_backlog_;
  Counter& stream_clients_dropped_;
};

}  // namespace salesradar::server
