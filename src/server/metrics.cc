#include "server/metrics.h"

#include <cmath>
#include <cstdint>
#include <utility>

#include <fmt/format.h>

#include "server/contract.h"

namespace salesradar::server {
namespace {

bool IsMetricName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == ':';
    if (!ok) {
      return false;
    }
  }
  return true;
}

// Label names are metric names without ':'; names starting with "__" are reserved.
bool IsLabelName(const std::string& name) {
  return IsMetricName(name) && name.find(':') == std::string::npos && name.rfind("__", 0) != 0;
}

std::string EscapeHelp(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string EscapeLabelValue(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

// Formats a sample value: whole numbers without a fraction, others in the shortest form that
// reads back exactly, and the special values as Prometheus spells them.
std::string FormatValue(double value) {
  if (std::isnan(value)) {
    return "NaN";
  }
  if (std::isinf(value)) {
    return value > 0 ? "+Inf" : "-Inf";
  }
  if (value == std::trunc(value) && std::fabs(value) < 1e15) {
    return fmt::format("{}", static_cast<int64_t>(value));
  }
  return fmt::format("{}", value);
}

void AppendSample(std::string& out, const std::string& name, const std::string& labels,
                  double value) {
  out += name;
  out += labels;
  out += ' ';
  out += FormatValue(value);
  out += '\n';
}

std::string ValidatedName(const std::string& name, const std::vector<std::string>& label_names) {
  if (!IsMetricName(name)) {
    AbortOnBug("metric name '" + name + "' is not a valid Prometheus metric name");
  }
  for (const std::string& label : label_names) {
    if (!IsLabelName(label)) {
      AbortOnBug("metric " + name + ": label name '" + label + "' is not a valid label name");
    }
  }
  return name;
}

// A gauge without labels whose value comes from a callback at scrape time.
class CallbackGaugeFamily final : public MetricFamilyBase {
 public:
  CallbackGaugeFamily(std::string name, std::string help, std::function<double()> read)
      : MetricFamilyBase(std::move(name), std::move(help), "gauge", {}), read_(std::move(read)) {}

 private:
  void RenderSamples(std::string& out) const override {
    AppendSample(out, this->name(), "", read_());
  }

  std::function<double()> read_;
};

template <typename Metric>
std::unique_ptr<Metric> MakeMetric(const std::vector<double>& bucket_bounds);

template <>
std::unique_ptr<Counter> MakeMetric<Counter>(const std::vector<double>&) {
  return std::make_unique<Counter>();
}

template <>
std::unique_ptr<Gauge> MakeMetric<Gauge>(const std::vector<double>&) {
  return std::make_unique<Gauge>();
}

template <>
std::unique_ptr<Histogram> MakeMetric<Histogram>(const std::vector<double>& bucket_bounds) {
  return std::make_unique<Histogram>(bucket_bounds);
}

void AppendMetric(std::string& out, const MetricFamilyBase& family,
                  const std::vector<std::string>& values, const Counter& counter) {
  AppendSample(out, family.name(), family.FormatLabels(values, ""), counter.Value());
}

void AppendMetric(std::string& out, const MetricFamilyBase& family,
                  const std::vector<std::string>& values, const Gauge& gauge) {
  AppendSample(out, family.name(), family.FormatLabels(values, ""), gauge.Value());
}

void AppendMetric(std::string& out, const MetricFamilyBase& family,
                  const std::vector<std::string>& values, const Histogram& histogram) {
  Histogram::Snapshot snapshot = histogram.Read();
  for (size_t i = 0; i < snapshot.cumulative_counts.size(); ++i) {
    double bound = i < snapshot.upper_bounds.size() ? snapshot.upper_bounds[i] : INFINITY;
    std::string le = "le=\"" + FormatValue(bound) + "\"";
    AppendSample(out, family.name() + "_bucket", family.FormatLabels(values, le),
                 static_cast<double>(snapshot.cumulative_counts[i]));
  }
  AppendSample(out, family.name() + "_sum", family.FormatLabels(values, ""), snapshot.sum);
  AppendSample(out, family.name() + "_count", family.FormatLabels(values, ""),
               static_cast<double>(snapshot.count));
}

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      bucket_counts_(new std::atomic<uint64_t>[upper_bounds_.size() + 1]) {
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    bucket_counts_[i].store(0, std::memory_order_relaxed);
  }
}

void Histogram::Observe(double value) {
  size_t bucket = 0;
  while (bucket < upper_bounds_.size() && value > upper_bounds_[bucket]) {
    ++bucket;
  }
  bucket_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::Read() const {
  Snapshot snapshot;
  snapshot.upper_bounds = upper_bounds_;

  uint64_t running = 0;
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    running += bucket_counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative_counts.push_back(running);
  }
  snapshot.count = running;
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::vector<double> DefaultLatencyBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

MetricFamilyBase::MetricFamilyBase(std::string name, std::string help, std::string type,
                                   std::vector<std::string> label_names)
    : name_(std::move(name)),
      help_(std::move(help)),
      type_(std::move(type)),
      label_names_(std::move(label_names)) {}

void MetricFamilyBase::Render(std::string& out) const {
  out += "# HELP " + name_ + " " + EscapeHelp(help_) + "\n";
  out += "# TYPE " + name_ + " " + type_ + "\n";
  RenderSamples(out);
}

std::string MetricFamilyBase::FormatLabels(const std::vector<std::string>& values,
                                           const std::string& extra) const {
  std::string labels;
  for (size_t i = 0; i < label_names_.size(); ++i) {
    labels += labels.empty() ? "" : ",";
    labels += label_names_[i] + "=\"" + EscapeLabelValue(values[i]) + "\"";
  }
  if (!extra.empty()) {
    labels += labels.empty() ? "" : ",";
    labels += extra;
  }
  return labels.empty() ? labels : "{" + labels + "}";
}

template <typename Metric>
MetricFamily<Metric>::MetricFamily(std::string name, std::string help, std::string type,
                                   std::vector<std::string> label_names,
                                   std::vector<double> bucket_bounds)
    : MetricFamilyBase(std::move(name), std::move(help), std::move(type), std::move(label_names)),
      bucket_bounds_(std::move(bucket_bounds)) {}

template <typename Metric>
Metric& MetricFamily<Metric>::WithLabels(const std::vector<std::string>& label_values) {
  if (label_values.size() != label_names().size()) {
    AbortOnBug(fmt::format("metric {} has {} labels but was given {} values", name(),
                           label_names().size(), label_values.size()));
  }

  std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<Metric>& metric = children_[label_values];
  if (metric == nullptr) {
    metric = MakeMetric<Metric>(bucket_bounds_);
  }
  return *metric;
}

template <typename Metric>
void MetricFamily<Metric>::RenderSamples(std::string& out) const {
  std::lock_guard<std::mutex> lock(mutex_);
  for (const auto& [values, metric] : children_) {
    AppendMetric(out, *this, values, *metric);
  }
}

template class MetricFamily<Counter>;
template class MetricFamily<Gauge>;
template class MetricFamily<Histogram>;

MetricFamilyBase* MetricsRegistry::FindCompatible(const std::string& name, const std::string& type,
                                                  const std::vector<std::string>& label_names) const {
  for (const auto& family : families_) {
    if (family->name() != name) {
      continue;
    }
    if (family->type() != type || family->label_names() != label_names) {
      AbortOnBug("metric " + name + " is registered twice with different types or labels");
    }
    return family.get();
  }
  return nullptr;
}

CounterFamily& MetricsRegistry::AddCounter(const std::string& name, const std::string& help,
                                           std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto* existing = FindCompatible(name, "counter", label_names)) {
    return static_cast<CounterFamily&>(*existing);
  }

  auto family = std::make_unique<CounterFamily>(ValidatedName(name, label_names), help, "counter",
                                                std::move(label_names), std::vector<double>());
  CounterFamily& result = *family;
  families_.push_back(std::move(family));
  if (result.label_names().empty()) {
    result.Get();  // a family without labels shows 0 before its first increment
  }
  return result;
}

GaugeFamily& MetricsRegistry::AddGauge(const std::string& name, const std::string& help,
                                       std::vector<std::string> label_names) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (auto* existing = FindCompatible(name, "gauge", label_names)) {
    // A callback gauge has the same type and no labels, but it is not a GaugeFamily.
    auto* gauge_family = dynamic_cast<GaugeFamily*>(existing);
    if (gauge_family == nullptr) {
      AbortOnBug("metric " + name + " is already registered as a callback gauge");
    }
    return *gauge_family;
  }

  auto family = std::make_unique<GaugeFamily>(ValidatedName(name, label_names), help, "gauge",
                                              std::move(label_names), std::vector<double>());
  GaugeFamily& result = *family;
  families_.push_back(std::move(family));
  if (result.label_names().empty()) {
    result.Get();
  }
  return result;
}

HistogramFamily& MetricsRegistry::AddHistogram(const std::string& name, const std::string& help,
                                               std::vector<std::string> label_names,
                                               std::vector<double> upper_bounds) {
  for (size_t i = 0; i < upper_bounds.size(); ++i) {
    bool increasing = i == 0 || upper_bounds[i] > upper_bounds[i - 1];
    if (!std::isfinite(upper_bounds[i]) || !increasing) {
      AbortOnBug("histogram " + name + ": bucket bounds must be finite and strictly increasing");
    }
  }
  for (const std::string& label : label_names) {
    if (label == "le") {
      AbortOnBug("histogram " + name + ": the label name 'le' is reserved for buckets");
    }
  }

  std::lock_guard<std::mutex> lock(mutex_);
  if (auto* existing = FindCompatible(name, "histogram", label_names)) {
    return static_cast<HistogramFamily&>(*existing);
  }

  auto family = std::make_unique<HistogramFamily>(ValidatedName(name, label_names), help,
                                                  "histogram", std::move(label_names),
                                                  std::move(upper_bounds));
  HistogramFamily& result = *family;
  families_.push_back(std::move(family));
  return result;
}

void MetricsRegistry::AddCallbackGauge(const std::string& name, const std::string& help,
                                       std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (FindCompatible(name, "gauge", {}) != nullptr) {
    AbortOnBug("callback gauge " + name + " is registered twice");
  }
  families_.push_back(
      std::make_unique<CallbackGaugeFamily>(ValidatedName(name, {}), help, std::move(read)));
}

std::string MetricsRegistry::RenderText() const {
  // Families are never removed, so the pointers stay valid after the lock is released; rendering
  // outside the lock keeps slow callbacks from blocking registration.
  std::vector<const MetricFamilyBase*> families;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& family : families_) {
      families.push_back(family.get());
    }
  }

  std::string out;
  for (const MetricFamilyBase* family : families) {
    family->Render(out);
  }
  return out;
}

}  // namespace salesradar::server
