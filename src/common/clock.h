// Time as the whole program sees it: UTC instants with microsecond precision, read from an
// injected clock so that tests and backtests can run months of business time in milliseconds.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace salesradar {

using Microseconds = std::chrono::microseconds;

// A UTC instant. Stored in databases as microseconds since the Unix epoch.
using Timestamp = std::chrono::time_point<std::chrono::system_clock, Microseconds>;

inline int64_t ToUnixMicros(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp FromUnixMicros(int64_t micros) { return Timestamp(Microseconds(micros)); }

class Clock {
 public:
  virtual ~Clock() = default;

  // Returns the current instant. Thread-safe in every implementation here.
  virtual Timestamp Now() const = 0;
};

// Reads the system's real-time clock.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::time_point_cast<Microseconds>(std::chrono::system_clock::now());
  }
};

// A clock that only moves when told to; for tests and replays.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp()) : micros_(ToUnixMicros(start)) {}

  Timestamp Now() const override { return FromUnixMicros(micros_.load()); }
  void Set(Timestamp t) { micros_.store(ToUnixMicros(t)); }
  void Advance(Microseconds delta) { micros_.fetch_add(delta.count()); }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace salesradar
