// A small metrics registry that renders the Prometheus text exposition format (version 0.0.4):
// counters, gauges and histograms, each in a family with label names, plus gauges read from a
// callback at scrape time.
//
// Thread safety: every method may be called from any thread. Metric values are atomics, so
// Increment(), Set() and Observe() take no lock. A family's mutex guards only its map from label
// values to metrics, and WithLabels() and rendering take it. The registry's mutex guards its list
// of families. A scrape reads each value atomically but not all values at one instant, so a
// histogram's _sum can lag its buckets by the observations in flight; _count always equals the
// +Inf bucket.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace salesradar::server {

// A value that only goes up, such as requests served.
class Counter {
 public:
  // REQUIRES: amount >= 0.
  void Increment(double amount = 1.0) { value_.fetch_add(amount, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// A value that goes up and down, such as pending timers.
class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Add(double amount) { value_.fetch_add(amount, std::memory_order_relaxed); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

// Counts observations into buckets with fixed upper bounds, such as request durations.
class Histogram {
 public:
  // REQUIRES: `upper_bounds` is finite and strictly increasing. The +Inf bucket is implicit.
  explicit Histogram(std::vector<double> upper_bounds);

  // Adds `value` to the first bucket whose upper bound is >= value, and to the sum.
  void Observe(double value);

  struct Snapshot {
    std::vector<double> upper_bounds;
    std::vector<uint64_t> cumulative_counts;  // one per upper bound, then one for +Inf
    uint64_t count = 0;                       // equals the +Inf count
    double sum = 0.0;
  };
  Snapshot Read() const;

 private:
  const std::vector<double> upper_bounds_;
  // Per-bucket (not cumulative) counts: upper_bounds_.size() + 1 entries, the last for +Inf.
  std::unique_ptr<std::atomic<uint64_t>[]> bucket_counts_;
  std::atomic<double> sum_{0.0};
};

// The bucket bounds of Prometheus' client libraries, in seconds: 5 ms to 10 s.
std::vector<double> DefaultLatencyBuckets();

// Name, help text, type and label names of one metric family, and how to render it.
class MetricFamilyBase {
 public:
  MetricFamilyBase(std::string name, std::string help, std::string type,
                   std::vector<std::string> label_names);
  virtual ~MetricFamilyBase() = default;

  const std::string& name() const { return name_; }
  const std::string& type() const { return type_; }
  const std::vector<std::string>& label_names() const { return label_names_; }

  // Appends the family's # HELP and # TYPE lines and its samples to `out`.
  void Render(std::string& out) const;

  // Returns `{a="x",b="y"}` for the family's label names and `values`, plus `extra` (such as
  // le="0.5") at the end; an empty string when there are no labels at all.
  std::string FormatLabels(const std::vector<std::string>& values, const std::string& extra) const;

 protected:
  // Appends one sample line per metric of the family.
  virtual void RenderSamples(std::string& out) const = 0;

 private:
  std::string name_;
  std::string help_;
  std::string type_;
  std::vector<std::string> label_names_;
};

// The metrics of one family, one per combination of label values.
template <typename Metric>
class MetricFamily final : public MetricFamilyBase {
 public:
  MetricFamily(std::string name, std::string help, std::string type,
               std::vector<std::string> label_names, std::vector<double> bucket_bounds);

  // Returns the metric for `label_values`, created at zero on first use. The reference stays
  // valid as long as the registry. A wrong number of values is a bug and aborts.
  Metric& WithLabels(const std::vector<std::string>& label_values);

  // Returns the only metric of a family without labels.
  Metric& Get() { return WithLabels({}); }

 private:
  void RenderSamples(std::string& out) const override;

  const std::vector<double> bucket_bounds_;  // histograms only
  mutable std::mutex mutex_;                 // guards children_ (the map, not the values)
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> children_;
};

// Defined and instantiated in metrics.cc for these three metric types only.
extern template class MetricFamily<Counter>;
extern template class MetricFamily<Gauge>;
extern template class MetricFamily<Histogram>;

using CounterFamily = MetricFamily<Counter>;
using GaugeFamily = MetricFamily<Gauge>;
using HistogramFamily = MetricFamily<Histogram>;

// All metric families of a process, rendered together for /metrics.
class MetricsRegistry {
 public:
  // Each Add* registers a family, or returns the existing one when a family of the same name,
  // type and label names exists. The same name with another type or other labels, or a name or
  // label name outside the Prometheus syntax, is a bug and aborts. Families live as long as the
  // registry.
  CounterFamily& AddCounter(const std::string& name, const std::string& help,
                            std::vector<std::string> label_names = {});
  GaugeFamily& AddGauge(const std::string& name, const std::string& help,
                        std::vector<std::string> label_names = {});
  HistogramFamily& AddHistogram(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names,
                                std::vector<double> upper_bounds = DefaultLatencyBuckets());

  // Registers a gauge without labels whose value `read` returns at each scrape. `read` runs on
  // the scraping thread and must be thread-safe and quick.
  void AddCallbackGauge(const std::string& name, const std::string& help,
                        std::function<double()> read);

  // Returns every family in the Prometheus text format, in registration order.
  std::string RenderText() const;

 private:
  // Returns the family named `name` when it exists with the same type and labels, nullptr when
  // there is none; aborts on a mismatch. REQUIRES: mutex_ held.
  MetricFamilyBase* FindCompatible(const std::string& name, const std::string& type,
                                   const std::vector<std::string>& label_names) const;

  mutable std::mutex mutex_;  // guards families_
  std::vector<std::unique_ptr<MetricFamilyBase>> families_;
};

// The content type of RenderText()'s output, for the /metrics response.
inline constexpr const char* kPrometheusTextContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace salesradar::server
