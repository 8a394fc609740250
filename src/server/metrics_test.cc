#include "server/metrics.h"

#include <cmath>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "server/server_metrics.h"

namespace salesradar::server {
namespace {

bool HasLine(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(MetricsTest, CounterWithLabels) {
  MetricsRegistry registry;
  CounterFamily& requests = registry.AddCounter("requests_total", "Requests.", {"route", "status"});
  requests.WithLabels({"/a", "200"}).Increment();
  requests.WithLabels({"/a", "200"}).Increment(2);
  requests.WithLabels({"/b", "404"}).Increment();

  std::string text = registry.RenderText();
  EXPECT_TRUE(HasLine(text, "# HELP requests_total Requests."));
  EXPECT_TRUE(HasLine(text, "# TYPE requests_total counter"));
  EXPECT_TRUE(HasLine(text, "requests_total{route=\"/a\",status=\"200\"} 3"));
  EXPECT_TRUE(HasLine(text, "requests_total{route=\"/b\",status=\"404\"} 1"));
}

TEST(MetricsTest, UnlabelledFamiliesStartAtZero) {
  MetricsRegistry registry;
  registry.AddCounter("things_total", "Things.");
  registry.AddGauge("level", "Level.").Get().Set(2.5);

  std::string text = registry.RenderText();
  EXPECT_TRUE(HasLine(text, "things_total 0"));
  EXPECT_TRUE(HasLine(text, "level 2.5"));
}

TEST(MetricsTest, HistogramBucketsAreCumulative) {
  MetricsRegistry registry;
  HistogramFamily& latency = registry.AddHistogram("latency_seconds", "Latency.", {"route"}, {0.5, 1});
  Histogram& histogram = latency.WithLabels({"/a"});
  histogram.Observe(0.25);
  histogram.Observe(0.5);  // a bound is inclusive
  histogram.Observe(0.75);
  histogram.Observe(3);

  std::string text = registry.RenderText();
  EXPECT_TRUE(HasLine(text, "# TYPE latency_seconds histogram"));
  EXPECT_TRUE(HasLine(text, "latency_seconds_bucket{route=\"/a\",le=\"0.5\"} 2"));
  EXPECT_TRUE(HasLine(text, "latency_seconds_bucket{route=\"/a\",le=\"1\"} 3"));
  EXPECT_TRUE(HasLine(text, "latency_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4"));
  EXPECT_TRUE(HasLine(text, "latency_seconds_sum{route=\"/a\"} 4.5"));
  EXPECT_TRUE(HasLine(text, "latency_seconds_count{route=\"/a\"} 4"));
}

TEST(MetricsTest, EscapesLabelValuesAndHelp) {
  MetricsRegistry registry;
  registry.AddCounter("odd_total", "Line one\nback\\slash", {"value"})
      .WithLabels({"a\"b\\c\nd"})
      .Increment();

  std::string text = registry.RenderText();
  EXPECT_TRUE(HasLine(text, "# HELP odd_total Line one\\nback\\\\slash"));
  EXPECT_TRUE(HasLine(text, "odd_total{value=\"a\\\"b\\\\c\\nd\"} 1"));
}

TEST(MetricsTest, CallbackGaugeReadsAtScrape) {
  MetricsRegistry registry;
  int value = 1;
  registry.AddCallbackGauge("queue_length", "Queue length.", [&value] { return value; });
  EXPECT_TRUE(HasLine(registry.RenderText(), "queue_length 1"));
  value = 7;
  EXPECT_TRUE(HasLine(registry.RenderText(), "queue_length 7"));
}

TEST(MetricsTest, SameFamilyTwiceIsShared) {
  MetricsRegistry registry;
  CounterFamily& first = registry.AddCounter("x_total", "X.", {"a"});
  CounterFamily& second = registry.AddCounter("x_total", "X.", {"a"});
  EXPECT_EQ(&first, &second);
}

TEST(MetricsTest, SpecialValues) {
  MetricsRegistry registry;
  GaugeFamily& gauges = registry.AddGauge("g", "G.", {"k"});
  gauges.WithLabels({"inf"}).Set(INFINITY);
  gauges.WithLabels({"nan"}).Set(NAN);
  gauges.WithLabels({"small"}).Set(0.000001);
  std::string text = registry.RenderText();
  EXPECT_TRUE(HasLine(text, "g{k=\"inf\"} +Inf"));
  EXPECT_TRUE(HasLine(text, "g{k=\"nan\"} NaN"));
  EXPECT_TRUE(HasLine(text, "g{k=\"small\"} 1e-06"));
}

// Increments from several threads must all be counted.
TEST(MetricsTest, ConcurrentIncrements) {
  MetricsRegistry registry;
  CounterFamily& family = registry.AddCounter("c_total", "C.", {"t"});
  HistogramFamily& histograms = registry.AddHistogram("h", "H.", {"t"}, {1});

  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        family.WithLabels({"x"}).Increment();
        histograms.WithLabels({"x"}).Observe(0.5);
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(family.WithLabels({"x"}).Value(), 40000);
  EXPECT_EQ(histograms.WithLabels({"x"}).Read().count, 40000u);
}

TEST(MetricsTest, ServerMetricsFamilies) {
  MetricsRegistry registry;
  ServerMetrics metrics(registry);
  metrics.RecordRequest("/api/v1/opportunities/{id}", "GET", 200, 0.003);
  metrics.RecordEventsIngested("api", 5);
  metrics.RecordAlert("orange");
  metrics.SetPendingTimers(12);
  metrics.SetOutboxBacklog(3);

  std::string text = registry.RenderText();
  EXPECT_TRUE(HasLine(text, "http_requests_total{route=\"/api/v1/opportunities/{id}\",method=\"GET\",status=\"200\"} 1"));
  EXPECT_TRUE(HasLine(text, "http_request_duration_seconds_bucket{route=\"/api/v1/opportunities/{id}\",le=\"0.005\"} 1"));
  EXPECT_TRUE(HasLine(text, "salesradar_events_ingested_total{source=\"api\"} 5"));
  EXPECT_TRUE(HasLine(text, "salesradar_alerts_raised_total{level=\"orange\"} 1"));
  EXPECT_TRUE(HasLine(text, "salesradar_pending_timers 12"));
  EXPECT_TRUE(HasLine(text, "salesradar_outbox_backlog 3"));
  EXPECT_TRUE(HasLine(text, "salesradar_stream_clients_dropped_total 0"));
}

using MetricsDeathTest = ::testing::Test;

TEST_F(MetricsDeathTest, ConflictingRegistrationAborts) {
  MetricsRegistry registry;
  registry.AddCounter("x_total", "X.", {"a"});
  EXPECT_DEATH(registry.AddGauge("x_total", "X.", {"a"}), "different types or labels");
  EXPECT_DEATH(registry.AddCounter("x_total", "X.", {"b"}), "different types or labels");
}

TEST_F(MetricsDeathTest, InvalidNamesAbort) {
  MetricsRegistry registry;
  EXPECT_DEATH(registry.AddCounter("1bad", "X."), "not a valid Prometheus metric name");
  EXPECT_DEATH(registry.AddCounter("ok_total", "X.", {"bad-label"}), "not a valid label name");
  EXPECT_DEATH(registry.AddHistogram("h", "X.", {"le"}), "reserved");
}

TEST_F(MetricsDeathTest, WrongLabelCountAborts) {
  MetricsRegistry registry;
  CounterFamily& family = registry.AddCounter("x_total", "X.", {"a", "b"});
  EXPECT_DEATH(family.WithLabels({"only-one"}), "has 2 labels but was given 1 values");
}

}  // namespace
}  // namespace salesradar::server
