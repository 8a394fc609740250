// Graceful stop: requests in flight finish, idle and stuck connections close, hooks run, and
// SIGTERM drives the same path.
#include "server/http_server.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "server/signals.h"
#include "server/test_client.h"

namespace salesradar::server {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;
using testing::HttpResult;
using testing::TestClient;

class GracefulStopTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerConfig config;
    config.listen = {"127.0.0.1", 0};
    config.threads = 2;
    config.shutdown_timeout = milliseconds(3000);
    Start(config);
  }

  void Start(ServerConfig config) {
    server_ = std::make_unique<Server>(std::move(config));
    server_->router().Add(Method::kGet, "/slow", [this](const Request&) -> Result<Response> {
      handler_entered_.set_value();
      std::this_thread::sleep_for(milliseconds(500));
      handler_finished_ = steady_clock::now();
      return Response::Text(200, "done");
    });
    server_->AddShutdownHook("record", [this] { hook_ran_ = steady_clock::now(); });
    Status status = server_->Start();
    ASSERT_TRUE(status.ok()) << status.error().ToLogString();
  }

  // Sends GET /slow from another thread and returns its future result.
  std::future<Result<HttpResult>> SendSlowRequest() {
    uint16_t port = server_->port();
    return std::async(std::launch::async, [port] {
      TestClient client(port);
      return client.Request("GET", "/slow");
    });
  }

  std::unique_ptr<Server> server_;
  std::promise<void> handler_entered_;
  steady_clock::time_point handler_finished_;
  steady_clock::time_point hook_ran_;
};

TEST_F(GracefulStopTest, StopFinishesRequestInFlight) {
  std::future<Result<HttpResult>> response = SendSlowRequest();
  handler_entered_.get_future().wait();

  server_->Stop();

  Result<HttpResult> result = response.get();
  ASSERT_TRUE(result.ok()) << result.error().ToLogString();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, "done");
  EXPECT_FALSE(result->keep_alive) << "a response during the stop closes the connection";
  EXPECT_GE(hook_ran_, handler_finished_) << "shutdown hooks run after requests finished";

  TestClient late(server_->port());
  EXPECT_FALSE(late.Connect().ok()) << "the listener is closed after Stop()";
}

TEST_F(GracefulStopTest, StopClosesIdleConnectionsAtOnce) {
  TestClient client(server_->port());
  ASSERT_TRUE(client.Request("GET", "/healthz").ok());

  auto started = steady_clock::now();
  server_->Stop();
  EXPECT_LT(steady_clock::now() - started, milliseconds(1500));
  EXPECT_TRUE(client.WaitForClose());
}

// A client stuck in the middle of its request header delays the stop only until the deadline.
TEST_F(GracefulStopTest, DeadlineClosesStuckConnection) {
  server_->Stop();
  ServerConfig config;
  config.listen = {"127.0.0.1", 0};
  config.shutdown_timeout = milliseconds(200);
  Start(config);

  TestClient client(server_->port());
  ASSERT_TRUE(client.SendRaw("GET /healthz HTTP/1.1\r\nHost: x\r\n").ok());  // no blank line yet
  std::this_thread::sleep_for(milliseconds(100));

  auto started = steady_clock::now();
  server_->Stop();
  auto took = steady_clock::now() - started;
  EXPECT_GE(took, milliseconds(150));
  EXPECT_LT(took, milliseconds(2000));
  EXPECT_TRUE(client.WaitForClose());
}

// A request that was already arriving when the stop began gets a response. /readyz returns 503
// then, so that a load balancer takes the node out.
TEST_F(GracefulStopTest, ReadyzAnswers503WhileStopping) {
  TestClient client(server_->port());
  ASSERT_TRUE(client.SendRaw("GET /readyz HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n").ok());
  std::this_thread::sleep_for(milliseconds(100));

  std::thread stopper([this] { server_->Stop(); });
  std::this_thread::sleep_for(milliseconds(100));
  ASSERT_TRUE(client.SendRaw("\r\n").ok());
  Result<HttpResult> ready = client.ReadResponse();
  client.Close();  // otherwise the server lingers for the client's close before it stops
  stopper.join();

  ASSERT_TRUE(ready.ok()) << ready.error().ToLogString();
  EXPECT_EQ(ready->status, 503);
  EXPECT_NE(ready->body.find("the server is shutting down"), std::string::npos);
  EXPECT_FALSE(ready->keep_alive);
}

TEST_F(GracefulStopTest, SigtermStopsGracefully) {
  std::atomic<int> received{0};
  std::thread waiter([this, &received] { received = RunUntilStopSignal(*server_); });

  // Wait until the signal handler is installed, or the signal would end the test process.
  for (int i = 0; i < 500; ++i) {
    struct sigaction action {};
    sigaction(SIGTERM, nullptr, &action);
    if (action.sa_handler != SIG_DFL) {
      break;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }

  std::future<Result<HttpResult>> response = SendSlowRequest();
  handler_entered_.get_future().wait();
  ASSERT_EQ(kill(getpid(), SIGTERM), 0);
  waiter.join();

  EXPECT_EQ(received.load(), SIGTERM);
  Result<HttpResult> result = response.get();
  ASSERT_TRUE(result.ok()) << result.error().ToLogString();
  EXPECT_EQ(result->body, "done");
  EXPECT_GE(hook_ran_, handler_finished_);
}

}  // namespace
}  // namespace salesradar::server
