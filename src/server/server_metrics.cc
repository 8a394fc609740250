#include "server/server_metrics.h"

#include <string>

namespace salesradar::server {

ServerMetrics::ServerMetrics(MetricsRegistry& registry)
    : registry_(registry),
      http_requests_(registry.AddCounter("http_requests_total",
                                         "HTTP requests answered, by route pattern, method and status.",
                                         {"route", "method", "status"})),
      http_request_duration_(registry.AddHistogram(
          "http_request_duration_seconds",
          "Time from a complete request header to the last byte of the response, by route pattern.",
          {"route"})),
      connections_rejected_(registry
                                .AddCounter("http_connections_rejected_total",
                                            "Connections closed at once because max_connections "
                                            "were open.")
                                .Get()),
      events_ingested_(registry.AddCounter("salesradar_events_ingested_total",
                                           "Events accepted into the event log, by source.",
                                           {"source"})),
      alerts_raised_(registry.AddCounter("salesradar_alerts_raised_total",
                                         "Alerts raised or escalated, by level.", {"level"})),
      pending_timers_(registry
                          .AddGauge("salesradar_pending_timers",
                                    "Absence timers waiting in the rules engine.")
                          .Get()),
      outbox_backlog_(registry
                          .AddGauge("salesradar_outbox_backlog",
                                    "Outgoing messages waiting in the outbox.")
                          .Get()),
      stream_clients_dropped_(registry
                                  .AddCounter("salesradar_stream_clients_dropped_total",
                                              "Live-stream clients dropped because they read too "
                                              "slowly and their queue filled up.")
                                  .Get()) {}

void ServerMetrics::RecordRequest(std::string_view route, std::string_view method, int status,
                                  double duration_seconds) {
  std::string route_label(route);
  http_requests_.WithLabels({route_label, std::string(method), std::to_string(status)}).Increment();
  http_request_duration_.WithLabels({route_label}).Observe(duration_seconds);
}

void ServerMetrics::RecordEventsIngested(std::string_view source, double count) {
  events_ingested_.WithLabels({std::string(source)}).Increment(count);
}

void ServerMetrics::RecordAlert(std::string_view level) {
  alerts_raised_.WithLabels({std::string(level)}).Increment();
}

void ServerMetrics::SetPendingTimers(double count) { pending_timers_.Set(count); }

void ServerMetrics::SetOutboxBacklog(double count) { outbox_backlog_.Set(count); }

void ServerMetrics::RecordStreamClientDropped() { stream_clients_dropped_.Increment(); }

void ServerMetrics::RecordConnectionRejected() { connections_rejected_.Increment(); }

}  // namespace salesradar::server
