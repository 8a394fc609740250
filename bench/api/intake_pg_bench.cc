// Measures event intake over HTTP on SQLite and on PostgreSQL in one run. Several threads send
// POST /api/v1/events on keep-alive connections, one event per request and NDJSON batches of 100.
// The targets are one App on an SQLite file, one App on a fresh PostgreSQL database, and two Apps
// (two cluster nodes in this process, with different node ids) on another fresh PostgreSQL
// database, where the client threads alternate between the two nodes.
//
//   intake_pg_bench --pg-url postgresql://... [--threads 4] [--events 5000]
//
// The PostgreSQL URL names a database in which the bench may create and drop databases
// (CREATE DATABASE privilege). Prints events/s and the p50 and p99 latency of one request.
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include <libpq-fe.h>
#include <unistd.h>

#include <fmt/format.h>

#include "api/app.h"
#include "bench/api/intake_load.h"
#include "server/config.h"
#include "store/store.h"

namespace salesradar::bench {
namespace {

namespace fs = std::filesystem;

void Print(const Figures& figures) {
  std::cout << fmt::format("| {:<40} | {:>7} | {:>9.0f} | {:>8.2f} | {:>8.2f} | {:>6} |\n", figures.name,
                           figures.events, static_cast<double>(figures.events) / figures.seconds,
                           Percentile(figures.latencies_ms, 0.50), Percentile(figures.latencies_ms, 0.99),
                           figures.failures);
}

void PrintFailure(const std::string& name, const Error& error) {
  std::cout << fmt::format("| {:<40} | failed: {} |\n", name, error.message_en());
}

// Creates an admin user with a sign-in in `database` and returns a new API token of theirs.
Result<std::string> SeedToken(const std::string& database) {
  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::Open(database));
  return SeedBenchToken(*store);
}

server::ServerConfig NodeConfig(const fs::path& dir, const std::string& database, const std::string& node_id) {
  server::ServerConfig config;
  config.listen = {"127.0.0.1", 0};
  config.threads = 2;
  config.data_dir = dir.string();
  config.database = database;
  config.log_level = "warn";
  config.intake_queue_size = 100'000;
  config.max_body_bytes = 64 << 20;
  config.cluster_node_id = node_id;
  return config;
}

// Starts `nodes` Apps on `database`, sends the two workloads to them and prints a row each.
void RunSetup(const fs::path& dir, const std::string& database, int nodes, const std::string& label, int threads,
              size_t single_events, size_t batch_events) {
  fs::create_directories(dir);
  Result<std::string> token = SeedToken(database);
  if (!token.ok()) {
    PrintFailure(label, token.error());
    return;
  }

  std::vector<std::unique_ptr<api::App>> apps;
  std::vector<uint16_t> ports;
  for (int node = 0; node < nodes; ++node) {
    Result<std::unique_ptr<api::App>> app =
        api::App::Start(NodeConfig(dir, database, fmt::format("bench-node-{}", node + 1)));
    if (!app.ok()) {
      PrintFailure(label, app.error());
      return;
    }
    ports.push_back((*app)->port());
    apps.push_back(std::move(*app));
  }

  std::string run_id = fmt::format("r{}-{}", ::getpid(), nodes);
  Print(PostEvents(ports, *token, 1, single_events, threads, run_id, label));
  Print(PostEvents(ports, *token, 100, batch_events, threads, run_id, label));
  for (auto& app : apps) app->Stop();
}

bool RunSql(const std::string& url, const std::string& sql) {
  PGconn* connection = PQconnectdb(url.c_str());
  PGresult* result = PQexec(connection, sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  if (!ok) std::cerr << PQresultErrorMessage(result) << PQerrorMessage(connection);
  PQclear(result);
  PQfinish(connection);
  return ok;
}

// Returns `url` with its database name replaced by `database`.
std::string WithDatabase(const std::string& url, const std::string& database) {
  size_t slash = url.rfind('/');
  size_t query = url.find('?', slash);
  return url.substr(0, slash + 1) + database + (query == std::string::npos ? "" : url.substr(query));
}

int Main(int argc, char** argv) {
  int threads = 4;
  size_t single_events = 5'000;
  std::string pg_url;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--threads") threads = std::atoi(argv[i + 1]);
    if (flag == "--events") single_events = static_cast<size_t>(std::atoll(argv[i + 1]));
    if (flag == "--pg-url") pg_url = argv[i + 1];
  }
  if (pg_url.empty()) {
    std::cerr << "usage: intake_pg_bench --pg-url postgresql://... [--threads 4] [--events 5000]\n";
    return 2;
  }
  size_t batch_events = single_events * 10;

  fs::path dir = fs::temp_directory_path() / fmt::format("salesradar-intake-pg-bench-{}", ::getpid());
  fs::create_directories(dir);

  std::cout << fmt::format("{} client threads, {} single events, {} events in NDJSON batches per setup\n\n",
                           threads, single_events, batch_events);
  std::cout << "| Setup and mode                           |  Events |  Events/s | p50 (ms) | p99 (ms) | Failed |\n";
  std::cout << "|---|---:|---:|---:|---:|---:|\n";

  RunSetup(dir / "sqlite", (dir / "bench.db").string(), 1, "SQLite, 1 node", threads, single_events, batch_events);

  for (int nodes : {1, 2}) {
    std::string database = fmt::format("intake_bench_{}_{}", ::getpid(), nodes);
    if (!RunSql(pg_url, "CREATE DATABASE " + database)) return 1;
    RunSetup(dir / database, WithDatabase(pg_url, database), nodes, fmt::format("PostgreSQL, {} node{}", nodes, nodes == 1 ? "" : "s"),
             threads, single_events, batch_events);
    RunSql(pg_url, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
  }

  std::error_code ignored;
  fs::remove_all(dir, ignored);
  return 0;
}

}  // namespace
}  // namespace salesradar::bench

int main(int argc, char** argv) { return salesradar::bench::Main(argc, argv); }
