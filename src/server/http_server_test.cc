// The HTTP server over real connections on 127.0.0.1 with an ephemeral port.
#include "server/http_server.h"

#include <atomic>
#include <regex>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <gtest/gtest.h>

#include "server/test_client.h"

namespace salesradar::server {
namespace {

using testing::HttpResult;
using testing::TestClient;

ServerConfig SmallConfig() {
  ServerConfig config;
  config.listen = {"127.0.0.1", 0};
  config.threads = 2;
  config.max_body_bytes = 1024;
  config.max_header_bytes = 2048;
  return config;
}

nlohmann::json Json(const HttpResult& result) { return nlohmann::json::parse(result.body); }

class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(SmallConfig()); }

  void Start(ServerConfig config) {
    server_ = std::make_unique<Server>(std::move(config));
    Router& router = server_->router();
    router.Add(Method::kGet, "/api/v1/opportunities/{id}", [](const Request& request) -> Result<Response> {
      return Response::Json(200, {{"id", *request.Param("id")},
                                  {"q", request.Query("q").value_or("")},
                                  {"route", request.route}});
    });
    router.Add(Method::kPost, "/api/v1/echo", [](const Request& request) -> Result<Response> {
      return Response::Text(200, request.body);
    });
    router.Add(Method::kGet, "/api/v1/missing", [](const Request&) -> Result<Response> {
      return NotFound("找不到客户 7", "account 7 not found");
    });
    router.Add(Method::kGet, "/api/v1/throw", [](const Request&) -> Result<Response> {
      throw std::runtime_error("secret stack detail");
    });
    server_->readiness().Add("database", [this]() -> Status {
      if (database_ready_.load()) {
        return OkStatus();
      }
      return Unavailable("数据库无法连接", "database is unreachable");
    });

    Status status = server_->Start();
    ASSERT_TRUE(status.ok()) << status.error().ToLogString();
    ASSERT_NE(server_->port(), 0);
  }

  void TearDown() override { server_->Stop(); }

  std::unique_ptr<Server> server_;
  std::atomic<bool> database_ready_{true};
};

TEST_F(HttpServerTest, HealthzAnswers) {
  TestClient client(server_->port());
  Result<HttpResult> result = client.Request("GET", "/healthz");
  ASSERT_TRUE(result.ok()) << result.error().ToLogString();
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(Json(*result)["status"], "ok");
  EXPECT_EQ(result->Header("Content-Type"), "application/json; charset=utf-8");
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  TestClient client(server_->port());
  for (int i = 0; i < 5; ++i) {
    Result<HttpResult> result = client.Request("GET", "/api/v1/opportunities/" + std::to_string(i));
    ASSERT_TRUE(result.ok()) << result.error().ToLogString();
    EXPECT_EQ(result->status, 200);
    EXPECT_TRUE(result->keep_alive);
    EXPECT_EQ(Json(*result)["id"], std::to_string(i));
  }
  EXPECT_EQ(client.connection_count(), 1);
}

TEST_F(HttpServerTest, PipelinedRequestsAnswerInOrder) {
  TestClient client(server_->port());
  ASSERT_TRUE(client.SendRaw("GET /api/v1/opportunities/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                             "GET /api/v1/opportunities/2 HTTP/1.1\r\nHost: x\r\n\r\n")
                  .ok());
  Result<HttpResult> first = client.ReadResponse();
  Result<HttpResult> second = client.ReadResponse();
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(Json(*first)["id"], "1");
  EXPECT_EQ(Json(*second)["id"], "2");
}

TEST_F(HttpServerTest, PathParamsAndQuery) {
  TestClient client(server_->port());
  Result<HttpResult> result = client.Request("GET", "/api/v1/opportunities/a%20b?q=%E9%94%80%E5%94%AE&x=1");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->status, 200);
  nlohmann::json body = Json(*result);
  EXPECT_EQ(body["id"], "a b");
  EXPECT_EQ(body["q"], "销售");
  EXPECT_EQ(body["route"], "/api/v1/opportunities/{id}");
}

TEST_F(HttpServerTest, UnknownRouteIs404Json) {
  TestClient client(server_->port());
  Result<HttpResult> result = client.Request("GET", "/api/v1/nothing");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 404);
  nlohmann::json body = Json(*result);
  EXPECT_EQ(body["code"], "not_found");
  EXPECT_EQ(body["message"], "找不到路径 '/api/v1/nothing'；请检查地址，API 路径以 /api/v1/ 开头");
  EXPECT_TRUE(result->keep_alive) << "an API error does not end the connection";
}

TEST_F(HttpServerTest, WrongMethodIs405WithAllow) {
  TestClient client(server_->port());
  Result<HttpResult> result = client.Request("DELETE", "/api/v1/echo");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 405);
  EXPECT_EQ(result->Header("Allow"), "POST");
  EXPECT_EQ(Json(*result)["code"], "method_not_allowed");
}

TEST_F(HttpServerTest, UnknownMethodIs501) {
  TestClient client(server_->port());
  Result<HttpResult> result = client.Request("BREW", "/api/v1/echo");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 501);
  EXPECT_EQ(Json(*result)["code"], "not_implemented");
}

TEST_F(HttpServerTest, BodyWithinLimitIsEchoed) {
  TestClient client(server_->port());
  std::string body(1024, 'x');
  Result<HttpResult> result = client.Request("POST", "/api/v1/echo", body);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->body, body);
}

TEST_F(HttpServerTest, OversizeBodyIs413) {
  TestClient client(server_->port());
  Result<HttpResult> result = client.Request("POST", "/api/v1/echo", std::string(1025, 'x'),
                                             {{"Accept-Language", "en"}});
  ASSERT_TRUE(result.ok()) << result.error().ToLogString();
  EXPECT_EQ(result->status, 413);
  nlohmann::json body = Json(*result);
  EXPECT_EQ(body["code"], "payload_too_large");
  EXPECT_EQ(body["message"],
            "request body exceeds the limit of 1024 bytes; send it in smaller parts or ask the "
            "administrator to raise server.max_body_size");
  EXPECT_FALSE(result->keep_alive);
  EXPECT_TRUE(client.WaitForClose());
}

// A declared length over the limit is refused before the body is read.
TEST_F(HttpServerTest, OversizeContentLengthIs413BeforeBody) {
  TestClient client(server_->port());
  ASSERT_TRUE(client.SendRaw("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n").ok());
  Result<HttpResult> result = client.ReadResponse();
  ASSERT_TRUE(result.ok()) << result.error().ToLogString();
  EXPECT_EQ(result->status, 413);
}

// A chunked body has no declared length; the limit stops it while it is read.
TEST_F(HttpServerTest, OversizeChunkedBodyIs413) {
  TestClient client(server_->port());
  std::string chunk(600, 'y');
  std::ostringstream request;
  request << "POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
          << std::hex << chunk.size() << "\r\n" << chunk << "\r\n"
          << std::hex << chunk.size() << "\r\n" << chunk << "\r\n0\r\n\r\n";
  ASSERT_TRUE(client.SendRaw(request.str()).ok());
  Result<HttpResult> result = client.ReadResponse();
  ASSERT_TRUE(result.ok()) << result.error().ToLogString();
  EXPECT_EQ(result->status, 413);
}

TEST_F(HttpServerTest, ExpectContinueGetsInterimResponse) {
  TestClient client(server_->port());
  ASSERT_TRUE(client.SendRaw("POST /api/v1/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n"
                             "Expect: 100-continue\r\n\r\n")
                  .ok());
  Result<HttpResult> interim = client.ReadResponse();
  ASSERT_TRUE(interim.ok()) << interim.error().ToLogString();
  EXPECT_EQ(interim->status, 100);

  ASSERT_TRUE(client.SendRaw("hello").ok());
  Result<HttpResult> final_response = client.ReadResponse();
  ASSERT_TRUE(final_response.ok()) << final_response.error().ToLogString();
  EXPECT_EQ(final_response->status, 200);
  EXPECT_EQ(final_response->body, "hello");
}

TEST_F(HttpServerTest, OversizeHeaderIs431) {
  TestClient client(server_->port());
  Result<HttpResult> result =
      client.Request("GET", "/healthz", "", {{"X-Filler", std::string(4096, 'h')}});
  ASSERT_TRUE(result.ok()) << result.error().ToLogString();
  EXPECT_EQ(result->status, 431);
  EXPECT_EQ(Json(*result)["code"], "header_too_large");
}

TEST_F(HttpServerTest, MalformedRequestIs400) {
  TestClient client(server_->port());
  ASSERT_TRUE(client.SendRaw("NOT A REQUEST\r\n\r\n").ok());
  Result<HttpResult> result = client.ReadResponse();
  ASSERT_TRUE(result.ok()) << result.error().ToLogString();
  EXPECT_EQ(result->status, 400);
  EXPECT_EQ(Json(*result)["code"], "bad_request");
  EXPECT_TRUE(client.WaitForClose());
}

TEST_F(HttpServerTest, AcceptLanguageSwitchesMessage) {
  TestClient client(server_->port());
  struct Case {
    std::string accept_language;
    std::string message;
  };
  for (const Case& c : {Case{"", "找不到客户 7"}, Case{"en-US,en;q=0.9", "account 7 not found"},
                        Case{"zh-CN,en;q=0.5", "找不到客户 7"}, Case{"fr, en", "account 7 not found"}}) {
    testing::HeaderList headers;
    if (!c.accept_language.empty()) {
      headers.emplace_back("Accept-Language", c.accept_language);
    }
    Result<HttpResult> result = client.Request("GET", "/api/v1/missing", "", headers);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result->status, 404);
    EXPECT_EQ(Json(*result)["message"], c.message) << "Accept-Language: " << c.accept_language;
  }
}

TEST_F(HttpServerTest, RequestIdIsEchoedOrGenerated) {
  TestClient client(server_->port());

  Result<HttpResult> echoed = client.Request("GET", "/api/v1/missing", "", {{"X-Request-Id", "trace-42.a"}});
  ASSERT_TRUE(echoed.ok());
  EXPECT_EQ(echoed->Header("X-Request-Id"), "trace-42.a");
  EXPECT_EQ(Json(*echoed)["request_id"], "trace-42.a");

  Result<HttpResult> generated = client.Request("GET", "/healthz");
  ASSERT_TRUE(generated.ok());
  EXPECT_TRUE(std::regex_match(generated->Header("X-Request-Id"), std::regex("[0-9a-f]{16}")))
      << generated->Header("X-Request-Id");

  // An id that is unsafe to log is replaced, not echoed.
  Result<HttpResult> replaced = client.Request("GET", "/healthz", "", {{"X-Request-Id", "a b<script>"}});
  ASSERT_TRUE(replaced.ok());
  EXPECT_TRUE(std::regex_match(replaced->Header("X-Request-Id"), std::regex("[0-9a-f]{16}")));
}

TEST_F(HttpServerTest, HandlerExceptionIsGeneric500) {
  TestClient client(server_->port());
  Result<HttpResult> result = client.Request("GET", "/api/v1/throw", "", {{"Accept-Language", "en"}});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 500);
  EXPECT_EQ(result->body.find("secret"), std::string::npos);
  nlohmann::json body = Json(*result);
  EXPECT_EQ(body["code"], "internal");
  EXPECT_EQ(body["request_id"], result->Header("X-Request-Id"));
}

TEST_F(HttpServerTest, HeadHasLengthButNoBody) {
  TestClient client(server_->port());
  Result<HttpResult> head = client.Request("HEAD", "/healthz");
  ASSERT_TRUE(head.ok()) << head.error().ToLogString();
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->Header("Content-Length"), "15");  // {"status":"ok"}
  EXPECT_TRUE(head->body.empty());

  Result<HttpResult> get = client.Request("GET", "/healthz");
  ASSERT_TRUE(get.ok()) << "the connection stays usable after HEAD";
  EXPECT_EQ(get->body, "{\"status\":\"ok\"}");
}

TEST_F(HttpServerTest, ReadyzFailsThenPasses) {
  TestClient client(server_->port());
  database_ready_ = false;
  Result<HttpResult> failing = client.Request("GET", "/readyz", "", {{"Accept-Language", "en"}});
  ASSERT_TRUE(failing.ok());
  EXPECT_EQ(failing->status, 503);
  nlohmann::json body = Json(*failing);
  EXPECT_EQ(body["code"], "unavailable");
  EXPECT_EQ(body["message"], "not ready: database (database is unreachable)");
  EXPECT_EQ(body["details"][0]["key"], "database");

  database_ready_ = true;
  Result<HttpResult> passing = client.Request("GET", "/readyz");
  ASSERT_TRUE(passing.ok());
  EXPECT_EQ(passing->status, 200);
  EXPECT_EQ(Json(*passing)["status"], "ready");
  EXPECT_EQ(Json(*passing)["checks"][0]["name"], "database");
}

// Every line of /metrics is a comment or a sample in the Prometheus text format, and the
// request metrics use the route pattern, not the raw path.
TEST_F(HttpServerTest, MetricsInPrometheusTextFormat) {
  TestClient client(server_->port());
  ASSERT_TRUE(client.Request("GET", "/api/v1/opportunities/1").ok());
  ASSERT_TRUE(client.Request("GET", "/api/v1/opportunities/2").ok());
  ASSERT_TRUE(client.Request("GET", "/no/such/path").ok());
  server_->metrics().RecordAlert("red");

  Result<HttpResult> result = client.Request("GET", "/metrics");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->status, 200);
  EXPECT_EQ(result->Header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");

  const std::string& text = result->body;
  EXPECT_NE(text.find("# TYPE http_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("http_requests_total{route=\"/api/v1/opportunities/{id}\",method=\"GET\",status=\"200\"} 2\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("# TYPE http_request_duration_seconds histogram\n"), std::string::npos);
  EXPECT_NE(text.find("http_request_duration_seconds_bucket{route=\"/api/v1/opportunities/{id}\",le=\"+Inf\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("http_request_duration_seconds_count{route=\"/api/v1/opportunities/{id}\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("salesradar_alerts_raised_total{level=\"red\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("http_connections_open 1\n"), std::string::npos);
  EXPECT_EQ(text.find("/api/v1/opportunities/1"), std::string::npos) << "raw paths must not be labels";

  std::regex comment(R"(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
  std::regex sample(R"([a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? (-?[0-9.e+-]+|\+Inf|-Inf|NaN))");
  std::istringstream lines(text);
  std::string line;
  int samples = 0;
  while (std::getline(lines, line)) {
    bool valid = std::regex_match(line, comment) || std::regex_match(line, sample);
    EXPECT_TRUE(valid) << "not a Prometheus text line: " << line;
    samples += line[0] != '#' ? 1 : 0;
  }
  EXPECT_GT(samples, 10);
  EXPECT_EQ(text.back(), '\n');
}

TEST_F(HttpServerTest, IdleConnectionTimesOut) {
  server_->Stop();
  ServerConfig config = SmallConfig();
  config.idle_timeout = std::chrono::milliseconds(200);
  Start(config);

  TestClient client(server_->port());
  ASSERT_TRUE(client.Request("GET", "/healthz").ok());
  auto started = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.WaitForClose());
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}

TEST_F(HttpServerTest, ConnectionsOverLimitAreClosed) {
  server_->Stop();
  ServerConfig config = SmallConfig();
  config.max_connections = 1;
  Start(config);

  TestClient first(server_->port());
  ASSERT_TRUE(first.Request("GET", "/healthz").ok());

  TestClient second(server_->port());
  ASSERT_TRUE(second.Connect().ok());  // the kernel accepts; the server closes it at once
  EXPECT_TRUE(second.WaitForClose());

  Result<HttpResult> metrics = first.Request("GET", "/metrics");
  ASSERT_TRUE(metrics.ok());
  EXPECT_NE(metrics->body.find("http_connections_rejected_total 1\n"), std::string::npos)
      << metrics->body;
}

TEST(ServerStartTest, SecondStartFails) {
  Server server(SmallConfig());
  ASSERT_TRUE(server.Start().ok());
  Status again = server.Start();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), ErrorCode::kFailedPrecondition);
}

TEST(ServerStartTest, PortInUseNamesAddressAndFix) {
  Server first(SmallConfig());
  ASSERT_TRUE(first.Start().ok());

  ServerConfig config = SmallConfig();
  config.listen.port = first.port();
  Server second(config);
  Status status = second.Start();
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code(), ErrorCode::kUnavailable);
  std::string expected_start = "cannot listen on 127.0.0.1:" + std::to_string(first.port());
  EXPECT_EQ(status.error().message_en().rfind(expected_start, 0), 0u) << status.error().message_en();
  EXPECT_NE(status.error().message_en().find("--listen"), std::string::npos);
}

}  // namespace
}  // namespace salesradar::server
