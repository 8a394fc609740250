// Server-Sent Events over real connections: delivery, filters, heartbeats, disconnects, slow
// clients and the stop.
#include "server/http_server.h"

#include <thread>

#include <gtest/gtest.h>

#include "server/sse.h"
#include "server/test_client.h"

namespace salesradar::server {
namespace {

using std::chrono::milliseconds;
using testing::HttpResult;
using testing::TestClient;

// Polls `condition` every 10 ms for up to 5 s.
template <typename Condition>
bool Eventually(Condition condition) {
  for (int i = 0; i < 500; ++i) {
    if (condition()) {
      return true;
    }
    std::this_thread::sleep_for(milliseconds(10));
  }
  return condition();
}

SseEvent Alert(std::string id, std::string level, std::string data) {
  SseEvent event;
  event.event = "alert.created";
  event.id = std::move(id);
  event.data = std::move(data);
  event.attributes["level"] = std::move(level);
  return event;
}

class SseStreamTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(Config()); }

  static ServerConfig Config() {
    ServerConfig config;
    config.listen = {"127.0.0.1", 0};
    config.stream_heartbeat_interval = std::chrono::seconds(60);
    return config;
  }

  void Start(ServerConfig config) {
    server_ = std::make_unique<Server>(std::move(config));
    SseHub& hub = server_->sse_hub();
    // ?level=red shows only red alerts; the real route will filter by the user's visibility.
    server_->router().Add(Method::kGet, "/api/v1/stream", [&hub](const Request& request) -> Result<Response> {
      std::string level(request.Query("level").value_or(""));
      SseFilter filter;
      if (!level.empty()) {
        filter = [level](const SseEvent& event) { return event.attributes.at("level") == level; };
      }
      return Response::EventStream(hub.Subscribe(filter, request.request_id));
    });
    Status status = server_->Start();
    ASSERT_TRUE(status.ok()) << status.error().ToLogString();
  }

  void TearDown() override { server_->Stop(); }

  std::unique_ptr<Server> server_;
};

TEST_F(SseStreamTest, ClientReceivesPublishedEvent) {
  TestClient client(server_->port());
  Result<HttpResult> header = client.OpenStream("/api/v1/stream", {{"X-Request-Id", "stream-1"}});
  ASSERT_TRUE(header.ok()) << header.error().ToLogString();
  EXPECT_EQ(header->status, 200);
  EXPECT_EQ(header->Header("Content-Type"), "text/event-stream; charset=utf-8");
  EXPECT_EQ(header->Header("Cache-Control"), "no-cache");
  EXPECT_EQ(header->Header("X-Request-Id"), "stream-1");
  ASSERT_TRUE(Eventually([&] { return server_->sse_hub().subscriber_count() == 1; }));

  EXPECT_EQ(server_->sse_hub().Publish(Alert("1", "red", "{\"n\":1}")), 1u);
  EXPECT_EQ(server_->sse_hub().Publish(Alert("2", "red", "{\"n\":2}")), 1u);

  Result<std::string> text = client.ReadStreamUntil("data: {\"n\":2}\n\n");
  ASSERT_TRUE(text.ok()) << text.error().ToLogString();
  EXPECT_EQ(*text,
            "event: alert.created\nid: 1\ndata: {\"n\":1}\n\n"
            "event: alert.created\nid: 2\ndata: {\"n\":2}\n\n");
}

TEST_F(SseStreamTest, FilterHidesOtherEvents) {
  TestClient client(server_->port());
  ASSERT_TRUE(client.OpenStream("/api/v1/stream?level=red").ok());
  ASSERT_TRUE(Eventually([&] { return server_->sse_hub().subscriber_count() == 1; }));

  server_->sse_hub().Publish(Alert("1", "yellow", "hidden"));
  server_->sse_hub().Publish(Alert("2", "red", "shown"));

  Result<std::string> text = client.ReadStreamUntil("data: shown\n\n");
  ASSERT_TRUE(text.ok()) << text.error().ToLogString();
  EXPECT_EQ(text->find("hidden"), std::string::npos);
}

TEST_F(SseStreamTest, HeartbeatsKeepQuietStreamAlive) {
  server_->Stop();
  ServerConfig config = Config();
  config.stream_heartbeat_interval = milliseconds(100);
  Start(config);

  TestClient client(server_->port());
  ASSERT_TRUE(client.OpenStream("/api/v1/stream").ok());
  Result<std::string> text = client.ReadStreamUntil(": heartbeat\n\n: heartbeat\n\n");
  ASSERT_TRUE(text.ok()) << text.error().ToLogString();
}

TEST_F(SseStreamTest, DisconnectReleasesSubscription) {
  {
    TestClient client(server_->port());
    ASSERT_TRUE(client.OpenStream("/api/v1/stream").ok());
    ASSERT_TRUE(Eventually([&] { return server_->sse_hub().subscriber_count() == 1; }));
  }  // the client closes its socket here

  EXPECT_TRUE(Eventually([&] { return server_->sse_hub().subscriber_count() == 0; }));
  TestClient probe(server_->port());
  EXPECT_TRUE(Eventually([&] {
    Result<HttpResult> metrics = probe.Request("GET", "/metrics");
    return metrics.ok() && metrics->body.find("http_connections_open 1\n") != std::string::npos;
  })) << "only the probe's own connection is left";
}

// A client that stops reading fills its socket buffers, then its queue, and is dropped; the
// server's memory for it stays bounded by the queue.
TEST_F(SseStreamTest, SlowClientIsDropped) {
  server_->Stop();
  ServerConfig config = Config();
  config.stream_queue_size = 4;
  Start(config);

  TestClient client(server_->port(), std::chrono::seconds(10));
  ASSERT_TRUE(client.OpenStream("/api/v1/stream").ok());
  ASSERT_TRUE(Eventually([&] { return server_->sse_hub().subscriber_count() == 1; }));

  // Paced, so that the server's writes keep up until the socket buffers are full; from then on
  // only the client's reading could make room.
  std::string payload(64 * 1024, 'p');
  int published = 0;
  while (server_->sse_hub().subscriber_count() == 1 && published < 2000) {
    server_->sse_hub().Publish(Alert(std::to_string(published), "red", payload));
    ++published;
    std::this_thread::sleep_for(milliseconds(2));
  }
  EXPECT_EQ(server_->sse_hub().subscriber_count(), 0u) << "published " << published << " events";
  EXPECT_GT(published, 4) << "the client must have been dropped for not reading, not for a burst";
  EXPECT_NE(server_->metrics_registry().RenderText().find("salesradar_stream_clients_dropped_total 1\n"),
            std::string::npos);
  EXPECT_TRUE(client.WaitForClose());
}

// The same paced load as above is no problem for a client that reads.
TEST_F(SseStreamTest, ReadingClientKeepsUp) {
  server_->Stop();
  ServerConfig config = Config();
  config.stream_queue_size = 4;
  Start(config);

  TestClient client(server_->port());
  ASSERT_TRUE(client.OpenStream("/api/v1/stream").ok());
  ASSERT_TRUE(Eventually([&] { return server_->sse_hub().subscriber_count() == 1; }));

  std::string payload(1024, 'p');
  for (int i = 0; i < 50; ++i) {
    server_->sse_hub().Publish(Alert(std::to_string(i), "red", payload));
    std::this_thread::sleep_for(milliseconds(2));
    ASSERT_TRUE(client.ReadStreamUntil("id: " + std::to_string(i) + "\n").ok()) << i;
  }
  EXPECT_EQ(server_->sse_hub().subscriber_count(), 1u);
}

TEST_F(SseStreamTest, StopEndsStreamWithFinalChunk) {
  TestClient client(server_->port());
  ASSERT_TRUE(client.OpenStream("/api/v1/stream").ok());
  ASSERT_TRUE(Eventually([&] { return server_->sse_hub().subscriber_count() == 1; }));
  server_->sse_hub().Publish(Alert("1", "red", "before-stop"));
  ASSERT_TRUE(client.ReadStreamUntil("before-stop").ok());

  auto started = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(1500));

  EXPECT_TRUE(client.WaitForClose());
  EXPECT_TRUE(client.StreamFinished()) << "the stream ends with the last chunk, not a reset";
}

}  // namespace
}  // namespace salesradar::server
