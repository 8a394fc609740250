// Measures event intake: POST /api/v1/events on an App at 127.0.0.1 with keep-alive connections
// from several threads, one event per request and NDJSON batches of 100 and 1000, next to
// Store::AppendEvents called in process with the same batch sizes on a fresh database.
//
//   intake_bench [--threads 4] [--events 20000]
//
// Prints events/s and the p50 and p99 latency of one request (or one AppendEvents call).
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "api/app.h"
#include "bench/api/intake_load.h"
#include "server/config.h"
#include "store/store.h"

namespace salesradar::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void Print(const Figures& figures) {
  std::cout << fmt::format("| {:<32} | {:>9} | {:>11.0f} | {:>8.2f} | {:>8.2f} |\n", figures.name, figures.events,
                           static_cast<double>(figures.events) / figures.seconds,
                           Percentile(figures.latencies_ms, 0.50), Percentile(figures.latencies_ms, 0.99));
  if (figures.failures > 0) std::cerr << fmt::format("{}: {} requests failed\n", figures.name, figures.failures);
}

rules::Event StoreEvent(const std::string& id, size_t n) {
  rules::Event event;
  event.id = id;
  event.type = "visit_checked_in";
  event.subject = {"lead", fmt::format("L-{}", n % 1000)};
  event.occurred_at = FromUnixMicros(1'772'326'800'000'000);
  event.received_at = event.occurred_at;
  event.payload = {{"duration_minutes", static_cast<int>(n % 90)}};
  return event;
}

Figures RunAppendEvents(store::Store& store, size_t batch, size_t total) {
  Figures figures;
  figures.name = fmt::format("Store::AppendEvents, {} per call", batch);
  size_t calls = total / batch;

  auto started = Clock::now();
  for (size_t call = 0; call < calls; ++call) {
    std::vector<rules::Event> events;
    for (size_t i = 0; i < batch; ++i) {
      size_t n = call * batch + i;
      events.push_back(StoreEvent(fmt::format("base-{}-{}", batch, n), n));
    }
    auto sent = Clock::now();
    Result<store::AppendEventsResult> appended = store.AppendEvents(events);
    figures.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
    if (!appended.ok()) std::cerr << appended.error().ToLogString() << "\n";
  }
  figures.events = calls * batch;
  figures.seconds = std::chrono::duration<double>(Clock::now() - started).count();
  return figures;
}

int Main(int argc, char** argv) {
  int threads = 4;
  size_t single_events = 20'000;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--threads") threads = std::atoi(argv[i + 1]);
    if (flag == "--events") single_events = static_cast<size_t>(std::atoll(argv[i + 1]));
  }
  size_t batch_events = single_events * 10;

  fs::path dir = fs::temp_directory_path() / fmt::format("salesradar-intake-bench-{}", ::getpid());
  fs::create_directories(dir);
  std::string database = (dir / "bench.db").string();

  Result<std::unique_ptr<store::Store>> seed = store::Open(database);
  if (!seed.ok()) {
    std::cerr << seed.error().ToLogString() << "\n";
    return 1;
  }
  Result<std::string> token = SeedBenchToken(**seed);
  seed->reset();
  if (!token.ok()) {
    std::cerr << token.error().ToLogString() << "\n";
    return 1;
  }

  server::ServerConfig config;
  config.listen = {"127.0.0.1", 0};
  config.threads = 2;
  config.data_dir = dir.string();
  config.database = database;
  config.log_level = "warn";
  config.intake_queue_size = 100'000;
  config.max_body_bytes = 64 << 20;
  Result<std::unique_ptr<api::App>> app = api::App::Start(config);
  if (!app.ok()) {
    std::cerr << app.error().ToLogString() << "\n";
    return 1;
  }

  std::cout << fmt::format("{} client threads, {} single events, {} events per batch size\n\n", threads,
                           single_events, batch_events);
  std::cout << "| Mode                             |    Events |    Events/s | p50 (ms) | p99 (ms) |\n";
  std::cout << "|---|---:|---:|---:|---:|\n";
  std::string run_id = fmt::format("r{}", ::getpid());
  Print(PostEvents({(*app)->port()}, *token, 1, single_events, threads, run_id, "HTTP"));
  Print(PostEvents({(*app)->port()}, *token, 100, batch_events, threads, run_id, "HTTP"));
  Print(PostEvents({(*app)->port()}, *token, 1000, batch_events, threads, run_id, "HTTP"));
  (*app)->Stop();

  Result<std::unique_ptr<store::Store>> baseline = store::Open((dir / "baseline.db").string());
  if (!baseline.ok()) {
    std::cerr << baseline.error().ToLogString() << "\n";
    return 1;
  }
  Print(RunAppendEvents(**baseline, 1, single_events));
  Print(RunAppendEvents(**baseline, 100, batch_events));
  Print(RunAppendEvents(**baseline, 1000, batch_events));
  baseline->reset();

  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}

}  // namespace
}  // namespace salesradar::bench

int main(int argc, char** argv) { return salesradar::bench::Main(argc, argv); }
