// The web UI's static files over real HTTP on 127.0.0.1: content types, cache headers, ETags,
// HEAD, the index.html fallback for client-side routes, and paths that try to leave the web root.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "api/static_files.h"
#include "server/http_server.h"
#include "server/test_client.h"

namespace salesradar::api {
namespace {

namespace fs = std::filesystem;
using server::testing::HttpResult;
using server::testing::TestClient;

constexpr const char* kIndexHtml = "<!doctype html><title>SalesRadar</title><div id=app></div>";
constexpr const char* kAppScript = "console.log('app');";
constexpr const char* kSecret = "not for the web";
// The server sends a .gz sibling as it is; these bytes stand for what the web build compressed.
constexpr const char* kGzippedScript = "gzip bytes of the app script";

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

class StaticRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() /
            ("salesradar-static-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
             "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(base_);
    fs::path root = base_ / "dist";
    WriteFile(root / "index.html", kIndexHtml);
    WriteFile(root / "assets" / "index-3f2a9c1b.js", kAppScript);
    WriteFile(root / "assets" / "index-77aa01.css", "body{}");
    WriteFile(root / "assets" / "index-3f2a9c1b.js.gz", kGzippedScript);
    WriteFile(root / "favicon.svg", "<svg/>");
    WriteFile(root / ".env", "hidden");
    WriteFile(base_ / "secret.txt", kSecret);

    server::ServerConfig config;
    config.listen = {"127.0.0.1", 0};
    config.threads = 1;
    server_ = std::make_unique<server::Server>(config);
    server_->router().Add(server::Method::kGet, "/api/v1/ping",
                          [](const server::Request&) -> Result<server::Response> {
                            return server::Response::Text(200, "pong");
                          });
    RegisterStaticFiles(server_->router(), root.string());
    Status status = server_->Start();
    ASSERT_TRUE(status.ok()) << status.error().ToLogString();
    client_ = std::make_unique<TestClient>(server_->port());
  }

  void TearDown() override {
    client_.reset();
    server_.reset();
    fs::remove_all(base_);
  }

  HttpResult Get(const std::string& target, server::testing::HeaderList headers = {}) {
    Result<HttpResult> result = client_->Request("GET", target, "", std::move(headers));
    EXPECT_TRUE(result.ok()) << target;
    return result.ok() ? result.value() : HttpResult{};
  }

  fs::path base_;
  std::unique_ptr<server::Server> server_;
  std::unique_ptr<TestClient> client_;
};

TEST_F(StaticRoutesTest, RootServesIndexWithNoCache) {
  HttpResult result = Get("/");
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.body, kIndexHtml);
  EXPECT_EQ(result.Header("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(result.Header("Cache-Control"), "no-cache");
  EXPECT_FALSE(result.Header("ETag").empty());
}

TEST_F(StaticRoutesTest, HashedAssetIsImmutable) {
  HttpResult script = Get("/assets/index-3f2a9c1b.js");
  EXPECT_EQ(script.status, 200);
  EXPECT_EQ(script.body, kAppScript);
  EXPECT_EQ(script.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(script.Header("Cache-Control"), "public, max-age=31536000, immutable");

  HttpResult style = Get("/assets/index-77aa01.css");
  EXPECT_EQ(style.Header("Content-Type"), "text/css; charset=utf-8");
}

TEST_F(StaticRoutesTest, FileOutsideAssetsIsRevalidated) {
  HttpResult icon = Get("/favicon.svg");
  EXPECT_EQ(icon.status, 200);
  EXPECT_EQ(icon.Header("Content-Type"), "image/svg+xml");
  EXPECT_EQ(icon.Header("Cache-Control"), "no-cache");
}

TEST_F(StaticRoutesTest, ClientRouteFallsBackToIndex) {
  for (const char* target : {"/alerts", "/alerts/42", "/rules/packs/b2b-default/versions/3",
                             "/settings/?tab=users"}) {
    HttpResult result = Get(target);
    EXPECT_EQ(result.status, 200) << target;
    EXPECT_EQ(result.body, kIndexHtml) << target;
    EXPECT_EQ(result.Header("Cache-Control"), "no-cache") << target;
  }
}

TEST_F(StaticRoutesTest, ClientRouteWithDotFallsBackToIndex) {
  for (const char* target : {"/opportunities/OPP.1001", "/accounts/acme.cn", "/leads/v1.2.3"}) {
    HttpResult result = Get(target);
    EXPECT_EQ(result.status, 200) << target;
    EXPECT_EQ(result.body, kIndexHtml) << target;
  }
}

TEST_F(StaticRoutesTest, GzippedSiblingGoesToClientsThatAcceptIt) {
  HttpResult gzipped = Get("/assets/index-3f2a9c1b.js", {{"Accept-Encoding", "br, gzip, deflate"}});
  EXPECT_EQ(gzipped.status, 200);
  EXPECT_EQ(gzipped.body, kGzippedScript);
  EXPECT_EQ(gzipped.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(gzipped.Header("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(gzipped.Header("Vary"), "Accept-Encoding");
}

TEST_F(StaticRoutesTest, PlainFileWithoutGzipInAcceptEncoding) {
  for (const char* accepted : {"", "br", "gzip;q=0", "deflate, gzip; q=0.0"}) {
    HttpResult plain = Get("/assets/index-3f2a9c1b.js", {{"Accept-Encoding", accepted}});
    EXPECT_EQ(plain.body, kAppScript) << accepted;
    EXPECT_EQ(plain.Header("Content-Encoding"), "") << accepted;
    EXPECT_EQ(plain.Header("Vary"), "Accept-Encoding") << accepted;
  }
}

TEST_F(StaticRoutesTest, MissingFileWithExtensionIs404) {
  for (const char* target : {"/assets/index-00000000.js", "/assets/missing", "/logo.png"}) {
    HttpResult result = Get(target);
    EXPECT_EQ(result.status, 404) << target;
    EXPECT_EQ(result.Header("Content-Type"), "application/json; charset=utf-8") << target;
  }
}

TEST_F(StaticRoutesTest, ServerPathsNeverGetIndex) {
  for (const char* target : {"/api", "/api/v1/no-such-route", "/api/v1/alerts/x/y/z", "/metrics/x",
                             "/healthz/deep"}) {
    HttpResult result = Get(target);
    EXPECT_EQ(result.status, 404) << target;
    EXPECT_NE(result.body, kIndexHtml) << target;
  }
  EXPECT_EQ(Get("/api/v1/ping").body, "pong");
}

TEST_F(StaticRoutesTest, WritesAreNotServed) {
  Result<HttpResult> result = client_->Request("POST", "/alerts", "x");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().status, 404);
}

TEST_F(StaticRoutesTest, HeadHasHeadersWithoutBody) {
  Result<HttpResult> result = client_->Request("HEAD", "/assets/index-3f2a9c1b.js");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().status, 200);
  EXPECT_EQ(result.value().body, "");
  EXPECT_EQ(result.value().Header("Content-Length"), std::to_string(std::string(kAppScript).size()));
  EXPECT_EQ(result.value().Header("Cache-Control"), "public, max-age=31536000, immutable");
}

TEST_F(StaticRoutesTest, MatchingEtagGets304) {
  HttpResult first = Get("/index.html");
  std::string etag = first.Header("ETag");
  ASSERT_FALSE(etag.empty());

  HttpResult again = Get("/index.html", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_EQ(again.body, "");
  EXPECT_EQ(again.Header("ETag"), etag);

  HttpResult listed = Get("/index.html", {{"If-None-Match", "\"other\", " + etag}});
  EXPECT_EQ(listed.status, 304);

  HttpResult stale = Get("/index.html", {{"If-None-Match", "W/\"0-0\""}});
  EXPECT_EQ(stale.status, 200);
  EXPECT_EQ(stale.body, kIndexHtml);
}

TEST_F(StaticRoutesTest, TraversalIsRejected) {
  for (const char* target : {
           "/../secret.txt",
           "/assets/../../secret.txt",
           "/%2e%2e/secret.txt",
           "/%2E%2E/secret.txt",
           "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
           "/..%2fsecret.txt",
           "/..%5csecret.txt",
           "/assets/..%5c..%5csecret.txt",
           "/%2e%2e%5csecret.txt",
           "/./index.html",
           "/.env",
           "/%2eenv",
           "/index.html%00.png",
           "/%252e%252e/secret.txt",
       }) {
    Result<HttpResult> result = client_->Request("GET", target);
    ASSERT_TRUE(result.ok()) << target;
    EXPECT_NE(result.value().status, 200) << target;
    EXPECT_EQ(result.value().body.find(kSecret), std::string::npos) << target;
    EXPECT_EQ(result.value().body.find("hidden"), std::string::npos) << target;
  }
}

TEST_F(StaticRoutesTest, EncodedParentWithoutExtensionIs404) {
  Result<HttpResult> result = client_->Request("GET", "/%2e%2e/%2e%2e/etc/passwd");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().status, 404);
}

}  // namespace
}  // namespace salesradar::api
