// The OpenAPI description against the router: every route under /api/ is described, and every
// described operation is registered. Fails, listing the differences, while an area's routes
// lack their YAML.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "api/openapi.h"
#include "api_test_env.h"
#include "server/http_server.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::set<std::string> RegisteredOperations(App& app) {
  std::set<std::string> operations;
  for (const server::RouteInfo& route : app.server().router().Routes()) {
    if (route.pattern.starts_with("/api/")) {
      operations.insert(Lower(server::MethodName(route.method)) + " " + route.pattern);
    }
  }
  return operations;
}

std::set<std::string> DescribedOperations(const json& document) {
  static const std::set<std::string> kMethods = {"get", "head", "post", "put",
                                                 "patch", "delete", "options"};
  std::set<std::string> operations;
  for (const auto& [path, item] : document["paths"].items()) {
    for (const auto& [method, operation] : item.items()) {
      if (kMethods.contains(method)) {
        operations.insert(method + " " + path);
      }
    }
  }
  return operations;
}

TEST(OpenApiTest, EmbeddedFilesMerge) {
  Result<json> merged = MergeOpenApi(EmbeddedOpenApiFiles());
  ASSERT_TRUE(merged.ok()) << merged.error().ToLogString();
  EXPECT_EQ((*merged)["openapi"], "3.0.3");
  EXPECT_TRUE((*merged)["components"]["schemas"].contains("Error"));
  EXPECT_TRUE((*merged)["paths"].contains("/api/v1/auth/sign-in"));
}

TEST(OpenApiTest, MergeRejectsPathDefinedTwice) {
  const OpenApiFile files[] = {
      {"a.yaml", "paths:\n  /api/v1/x:\n    get: {}\n"},
      {"b.yaml", "paths:\n  /api/v1/x:\n    post: {}\n"},
  };
  Result<json> merged = MergeOpenApi(files);
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.error().message_en().find("b.yaml"), std::string::npos);
  EXPECT_NE(merged.error().message_en().find("/api/v1/x"), std::string::npos);
}

TEST(OpenApiTest, MergeNamesFileAndLineOfBadYaml) {
  const OpenApiFile files[] = {{"bad.yaml", "paths:\n  /x: [\n"}};
  Result<json> merged = MergeOpenApi(files);
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.error().message_en().find("bad.yaml line"), std::string::npos)
      << merged.error().message_en();
}

TEST(OpenApiTest, ScalarsKeepTheirTypes) {
  const OpenApiFile files[] = {{"t.yaml", "x:\n  a: 3\n  b: true\n  c: \"3\"\n  d: ~\n  e: 1.5\n"}};
  Result<json> merged = MergeOpenApi(files);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ((*merged)["x"]["a"], 3);
  EXPECT_EQ((*merged)["x"]["b"], true);
  EXPECT_EQ((*merged)["x"]["c"], "3");
  EXPECT_TRUE((*merged)["x"]["d"].is_null());
  EXPECT_EQ((*merged)["x"]["e"], 1.5);
}

TEST(OpenApiTest, ServedWithoutSignIn) {
  std::unique_ptr<ApiTestEnv> env = ApiTestEnv::Start();
  ASSERT_NE(env, nullptr);
  ApiResponse response = env->Anonymous().Get("/api/v1/openapi.json");

  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["info"]["title"], "SalesRadar API");
  EXPECT_TRUE(response.json["paths"].contains("/api/v1/users"));
}

TEST(OpenApiTest, EveryRouteDescribedAndEveryOperationRegistered) {
  std::unique_ptr<ApiTestEnv> env = ApiTestEnv::Start();
  ASSERT_NE(env, nullptr);
  Result<json> merged = MergeOpenApi(EmbeddedOpenApiFiles());
  ASSERT_TRUE(merged.ok()) << merged.error().ToLogString();

  std::set<std::string> registered = RegisteredOperations(env->app());
  std::set<std::string> described = DescribedOperations(*merged);

  for (const std::string& operation : registered) {
    EXPECT_TRUE(described.contains(operation))
        << operation << " is registered but not described in src/api/openapi/*.yaml";
  }
  for (const std::string& operation : described) {
    EXPECT_TRUE(registered.contains(operation))
        << operation << " is described in src/api/openapi/*.yaml but not registered";
  }
}

}  // namespace
}  // namespace salesradar::api::testing
