#include "server/http_server.h"

#include <chrono>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <fmt/format.h>

#include "common/logging.h"
#include "server/http_session.h"
#include "server/server_core.h"

namespace salesradar::server {
namespace {

namespace net = boost::asio;
using tcp = net::ip::tcp;

// After the forced close at the shutdown deadline, how long Stop() waits for the connections'
// handlers to notice before it stops the I/O threads anyway.
constexpr std::chrono::seconds kForcedCloseGrace(1);

}  // namespace

class Server::Impl {
 public:
  explicit Impl(ServerConfig config) : core(std::move(config)) {}

  Status Start();
  void Stop();

  // Declared before io_context so that it is destroyed after it: sessions destroyed with the
  // io_context's pending handlers still remove themselves from core.connections.
  ServerCore core;
  net::io_context io_context;
  std::optional<tcp::acceptor> acceptor;
  uint16_t port = 0;

  std::mutex hooks_mutex;  // guards hooks
  std::vector<std::pair<std::string, std::function<void()>>> hooks;

 private:
  enum class State { kNew, kRunning, kStopped };

  Status Bind(const net::ip::address& address);
  void Accept();
  void OnAccept(boost::system::error_code ec, tcp::socket socket);
  void RunIoThread();
  void DrainConnections();
  void RunShutdownHooks();

  std::mutex lifecycle_mutex_;  // guards state_, work_ and threads_; held through Start and Stop
  State state_ = State::kNew;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  uint64_t rejected_since_log_ = 0;  // on the acceptor's strand
};

Status Server::Impl::Start() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex_);
  if (state_ != State::kNew) {
    return Error(ErrorCode::kFailedPrecondition, "服务器只能启动一次", "the server can be started only once");
  }

  const ListenAddress& listen = core.config.listen;
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(listen.host, ec);
  if (ec) {
    return InvalidArgument(
        fmt::format("监听地址 {} 不是 IP 地址；请把 server.listen 设为例如 127.0.0.1:8080", listen.host),
        fmt::format("listen host {} is not an IP address; set server.listen to, for example, "
                    "127.0.0.1:8080",
                    listen.host));
  }
  SR_RETURN_IF_ERROR(Bind(address));

  work_.emplace(io_context.get_executor());
  Accept();
  for (int i = 0; i < core.config.threads; ++i) {
    threads_.emplace_back([this] { RunIoThread(); });
  }
  state_ = State::kRunning;
  Logger("server")->info("listening on {} with {} threads",
                         ListenAddress{listen.host, port}.ToString(), core.config.threads);
  return OkStatus();
}

Status Server::Impl::Bind(const net::ip::address& address) {
  tcp::endpoint endpoint(address, core.config.listen.port);
  std::string where = core.config.listen.ToString();
  boost::system::error_code ec;

  acceptor.emplace(net::make_strand(io_context));
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) {
    acceptor->set_option(net::socket_base::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor->bind(endpoint, ec);
  }
  if (!ec) {
    acceptor->listen(net::socket_base::max_listen_connections, ec);
  }
  if (ec) {
    acceptor.reset();
    return Unavailable(
               fmt::format("无法监听 {}（{}）；请停止占用该端口的进程，或用 --listen、SALESRADAR_LISTEN "
                           "或 server.listen 换一个地址",
                           where, ec.message()),
               fmt::format("cannot listen on {} ({}); stop the process that uses it or choose "
                           "another address with --listen, SALESRADAR_LISTEN or server.listen",
                           where, ec.message()))
        .AddDetail("listen", where);
  }

  port = acceptor->local_endpoint().port();
  return OkStatus();
}

void Server::Impl::Accept() {
  // Each connection gets its own strand, so its handlers never run concurrently.
  acceptor->async_accept(net::make_strand(io_context),
                         [this](boost::system::error_code ec, tcp::socket socket) {
                           OnAccept(ec, std::move(socket));
                         });
}

void Server::Impl::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor->is_open()) {
    return;  // the listener was closed by Stop()
  }
  if (ec) {
    // For example too many open files; the next accept may succeed once connections close.
    Logger("server")->warn("accepting a connection failed: {}", ec.message());
    Accept();
    return;
  }

  if (core.stopping.load()) {
    socket.close(ec);
    return;
  }
  if (core.connections.size() >= static_cast<size_t>(core.config.max_connections)) {
    // Counted before the close, so that a client that observed the close finds it in /metrics.
    core.metrics.RecordConnectionRejected();
    socket.close(ec);
    // Logged once per 100 rejections, because they arrive in floods.
    if (rejected_since_log_++ % 100 == 0) {
      Logger("server")->warn("connection rejected because {} connections are open "
                             "(server.max_connections); {} rejected so far",
                             core.config.max_connections, rejected_since_log_);
    }
  } else {
    StartHttpSession(std::move(socket), core);
  }
  Accept();
}

void Server::Impl::RunIoThread() {
  while (true) {
    try {
      io_context.run();
      return;
    } catch (const std::exception& e) {
      // Handlers catch their own exceptions; this is a failure inside Asio or Beast.
      Logger("server")->error("I/O thread caught an unexpected exception: {}; continuing", e.what());
    }
  }
}

void Server::Impl::Stop() {
  std::lock_guard<std::mutex> lock(lifecycle_mutex_);
  if (state_ == State::kStopped) {
    return;
  }
  bool was_running = state_ == State::kRunning;
  state_ = State::kStopped;
  core.stopping.store(true);

  if (was_running) {
    Logger("server")->info("stopping: {} connections open", core.connections.size());
    net::post(acceptor->get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor->close(ignored);
    });
    core.stream_hub.CloseAll();
    DrainConnections();

    work_.reset();
    io_context.stop();
    for (std::thread& thread : threads_) {
      thread.join();
    }
  }

  RunShutdownHooks();
  Logger("server")->info("stopped");
}

void Server::Impl::DrainConnections() {
  for (const auto& connection : core.connections.Snapshot()) {
    connection->BeginShutdown();
  }

  auto deadline = std::chrono::steady_clock::now() + core.config.shutdown_timeout;
  if (core.connections.WaitUntilEmpty(deadline)) {
    return;
  }

  Logger("server")->warn("{} connections still open after the shutdown timeout of {} ms; closing "
                         "them",
                         core.connections.size(), core.config.shutdown_timeout.count());
  for (const auto& connection : core.connections.Snapshot()) {
    connection->ForceClose();
  }
  core.connections.WaitUntilEmpty(std::chrono::steady_clock::now() + kForcedCloseGrace);
}

void Server::Impl::RunShutdownHooks() {
  std::vector<std::pair<std::string, std::function<void()>>> to_run;
  {
    std::lock_guard<std::mutex> lock(hooks_mutex);
    to_run.swap(hooks);
  }

  for (auto it = to_run.rbegin(); it != to_run.rend(); ++it) {
    Logger("server")->info("running shutdown hook '{}'", it->first);
    try {
      it->second();
    } catch (const std::exception& e) {
      Logger("server")->error("shutdown hook '{}' threw: {}", it->first, e.what());
    }
  }
}

Server::Server(ServerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}

Server::~Server() { Stop(); }

const ServerConfig& Server::config() const { return impl_->core.config; }
Router& Server::router() { return impl_->core.router; }
ReadinessChecks& Server::readiness() { return impl_->core.readiness; }
SseHub& Server::sse_hub() { return impl_->core.stream_hub; }
ServerMetrics& Server::metrics() { return impl_->core.metrics; }
MetricsRegistry& Server::metrics_registry() { return impl_->core.metrics_registry; }

void Server::AddShutdownHook(std::string name, std::function<void()> hook) {
  std::lock_guard<std::mutex> lock(impl_->hooks_mutex);
  impl_->hooks.emplace_back(std::move(name), std::move(hook));
}

Status Server::Start() { return impl_->Start(); }

uint16_t Server::port() const { return impl_->port; }

void Server::Stop() { impl_->Stop(); }

}  // namespace salesradar::server
