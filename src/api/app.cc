#include "api/app.h"

#include <filesystem>
#include <mutex>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "api/api_context.h"
#include "api/cluster_node.h"
#include "api/engine_host.h"
#include "api/event_intake.h"
#include "api/import_jobs.h"
#include "api/routes.h"
#include "api/store_pool.h"
#include "auth/rate_limiter.h"
#include "common/error.h"
#include "common/logging.h"
#include "notify/digest_settings.h"
#include "notify/worker.h"
#include "server/http_server.h"

namespace salesradar::api {

// Members are destroyed in reverse order: the context first, the server last, because the
// engine host and the intake hold references to the server's stream hub and metrics.
struct App::Parts {
  server::ServerConfig config;
  std::unique_ptr<SystemClock> system_clock;
  const Clock* clock = nullptr;
  std::unique_ptr<server::Server> server;
  std::unique_ptr<StorePool> stores;
  std::unique_ptr<EngineHost> engine;
  std::unique_ptr<ClusterNode> cluster;  // PostgreSQL only; null for SQLite
  std::unique_ptr<EventIntake> intake;
  std::unique_ptr<ImportJobs> imports;
  std::unique_ptr<auth::SignInRateLimiter> sign_in_limiter;
  std::unique_ptr<ApiContext> context;
  std::unique_ptr<notify::Worker> notify;  // null when the database backend has no notification tables
  std::mutex notify_mutex;                 // guards notify in cluster mode (the lease keeper starts it)
  bool stopped = false;
};

namespace {

Status CreateDataDir(const std::string& data_dir) {
  std::error_code error;
  std::filesystem::create_directories(data_dir, error);
  if (error) {
    return Unavailable(
        fmt::format("无法创建数据目录 {}：{}；请检查路径和权限", data_dir, error.message()),
        fmt::format("cannot create data directory {}: {}; check the path and its permissions",
                    data_dir, error.message()));
  }
  return OkStatus();
}

// The /readyz check: a pooled connection runs a trivial query.
Status CheckDatabase(StorePool& stores) {
  SR_ASSIGN_OR_RETURN(StoreLease store, stores.Acquire(std::chrono::seconds(1)));
  SR_ASSIGN_OR_RETURN(int version, store->SchemaVersion());
  (void)version;
  return OkStatus();
}

std::string PublicBaseUrl(const server::ListenAddress& listen, uint16_t port) {
  std::string host = listen.host;
  if (host == "0.0.0.0") {
    host = "127.0.0.1";
  } else if (host == "::") {
    host = "::1";
  }
  if (host.find(':') != std::string::npos) {
    host = "[" + host + "]";
  }
  return fmt::format("http://{}:{}", host, port);
}

// Starts the notify worker over its own connection. A failure (for example a missing secret key
// file that cannot be created) turns notifications off and is logged; the server runs on.
std::unique_ptr<notify::Worker> StartNotifyWorker(const server::ServerConfig& config, const Clock* clock,
                                                  const std::string& public_base_url,
                                                  server::MetricsRegistry& metrics) {
  notify::WorkerOptions options;
  options.database = config.database;
  options.clock = clock;
  options.secret_key_path = (std::filesystem::path(config.data_dir) / "secret.key").string();
  options.public_base_url = public_base_url;
  options.metrics = &metrics;
  options.digest = notify::ConfiguredDigestSchedule(config);
  Result<std::unique_ptr<notify::Worker>> worker = notify::Worker::Open(std::move(options));
  if (!worker.ok()) {
    Logger("api")->error("notifications are off: {}", worker.error().ToLogString());
    return nullptr;
  }
  std::unique_ptr<notify::Worker> started = std::move(worker).value();
  started->Start();
  return started;
}

// A database that offers cluster leases (PostgreSQL) runs this server as a node of a cluster.
bool SupportsCluster(StorePool& stores) {
  Result<StoreLease> store = stores.Acquire();
  if (!store.ok()) return false;
  if (!(*store)->OpenClusterStore().ok()) return false;
  return (*store)->OpenScopedEngineState(store::EngineStateScope{}).ok();  // a backend with engine state
}

}  // namespace

// Cluster mode: the node's partition engines do the work, and the engine host that request
// handlers call passes alert actions and pack publishes to the node.
Status App::StartClusterNode(Parts& parts) {
  ClusterNodeOptions options;
  options.node_id = parts.config.cluster_node_id;
  options.partitions = parts.config.cluster_partitions;
  options.lease = parts.config.cluster_lease;
  options.listen = parts.config.listen.ToString();
  Parts* raw = &parts;
  options.on_notifier_gained = [raw] {
    std::lock_guard lock(raw->notify_mutex);
    if (raw->notify != nullptr || raw->context == nullptr) return;
    raw->notify = StartNotifyWorker(raw->config, raw->clock, raw->context->public_base_url,
                                    raw->server->metrics_registry());
  };
  options.on_notifier_lost = [raw] {
    std::lock_guard lock(raw->notify_mutex);
    if (raw->notify == nullptr) return;
    raw->notify->Stop();
    raw->notify.reset();
  };
  SR_ASSIGN_OR_RETURN(parts.cluster, ClusterNode::Create(*parts.stores, *parts.clock, parts.server->sse_hub(),
                                                         parts.server->metrics_registry(), std::move(options)));

  EngineHostOptions front;
  front.delegate = parts.cluster.get();
  SR_ASSIGN_OR_RETURN(parts.engine, EngineHost::Start(*parts.stores, *parts.clock, parts.server->sse_hub(),
                                                      parts.server->metrics_registry(), front));
  return OkStatus();
}

Result<std::unique_ptr<App>> App::Start(server::ServerConfig config, AppOptions options) {
  auto parts = std::make_unique<Parts>();
  if (config.database.empty()) {
    config.database = server::DefaultDatabasePath(config.data_dir);
  }
  parts->config = config;
  if (options.clock == nullptr) {
    parts->system_clock = std::make_unique<SystemClock>();
    parts->clock = parts->system_clock.get();
  } else {
    parts->clock = options.clock;
  }

  SR_RETURN_IF_ERROR(CreateDataDir(config.data_dir));

  size_t pool_size = options.store_pool_size != 0 ? options.store_pool_size
                                                  : static_cast<size_t>(config.threads) + 2;
  store::OpenOptions open_options;
  open_options.clock = parts->clock;
  SR_ASSIGN_OR_RETURN(parts->stores, StorePool::Open(config.database, pool_size, open_options));

  parts->server = std::make_unique<server::Server>(config);
  server::Server& http = *parts->server;

  if (SupportsCluster(*parts->stores)) {
    SR_RETURN_IF_ERROR(StartClusterNode(*parts));
  } else {
    SR_ASSIGN_OR_RETURN(parts->engine, EngineHost::Start(*parts->stores, *parts->clock,
                                                         http.sse_hub(), http.metrics_registry()));
  }

  EventIntakeOptions intake_options;
  intake_options.queue_capacity = config.intake_queue_size;
  SR_ASSIGN_OR_RETURN(parts->intake, EventIntake::Start(*parts->stores, *parts->engine,
                                                        http.metrics_registry(), intake_options));

  std::string upload_dir = (std::filesystem::path(config.data_dir) / "uploads").string();
  SR_ASSIGN_OR_RETURN(parts->imports, ImportJobs::Create(*parts->stores, *parts->clock, upload_dir));

  parts->sign_in_limiter = std::make_unique<auth::SignInRateLimiter>(*parts->clock);

  parts->context = std::unique_ptr<ApiContext>(new ApiContext{
      parts->config, *parts->stores, *parts->clock, http.sse_hub(), http.metrics_registry(),
      *parts->engine, *parts->intake, *parts->imports, *parts->sign_in_limiter,
      std::string(), options.web_root, parts->cluster.get()});
  RegisterAllRoutes(http.router(), *parts->context);

  StorePool* stores = parts->stores.get();
  http.readiness().Add("database", [stores] { return CheckDatabase(*stores); });

  // An App that fails here is destroyed by the caller's unique_ptr, which stops what started.
  auto app = std::unique_ptr<App>(new App(std::move(parts)));
  SR_RETURN_IF_ERROR(http.Start());
  app->parts_->context->public_base_url = PublicBaseUrl(config.listen, http.port());
  if (app->parts_->cluster != nullptr) {
    SR_RETURN_IF_ERROR(app->parts_->cluster->Start(*app->parts_->engine));
  } else {
    app->parts_->notify = StartNotifyWorker(config, app->parts_->clock, app->parts_->context->public_base_url,
                                            http.metrics_registry());
  }
  Logger("api")->info("server listening on {} with {} database connections",
                      app->parts_->context->public_base_url, pool_size);
  return app;
}

App::App(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

App::~App() { Stop(); }

void App::Stop() {
  if (parts_ == nullptr || parts_->stopped) {
    return;
  }
  parts_->stopped = true;

  {
    std::lock_guard lock(parts_->notify_mutex);
    if (parts_->notify != nullptr) {
      parts_->notify->Stop();
      parts_->notify.reset();
    }
  }
  parts_->server->Stop();
  parts_->imports.reset();
  parts_->intake.reset();
  if (parts_->cluster != nullptr) parts_->cluster->Stop();  // flushes its engines, releases its leases
  parts_->engine.reset();
  parts_->stores.reset();
  Logger("api")->info("server stopped");
}

uint16_t App::port() const { return parts_->server->port(); }

server::Server& App::server() { return *parts_->server; }

ApiContext& App::context() { return *parts_->context; }

}  // namespace salesradar::api
