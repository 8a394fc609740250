#include "server/dispatcher.h"

#include <stdexcept>

#include <nlohmann/json.hpp>
#include <gtest/gtest.h>

namespace salesradar::server {
namespace {

Request MakeRequest(Method method, std::string path, Locale locale = Locale::kChinese) {
  Request request;
  request.method = method;
  request.path = std::move(path);
  request.target = request.path;
  request.locale = locale;
  request.request_id = "test-id";
  return request;
}

class DispatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add(Method::kGet, "/items/{id}", [](const Request& request) -> Result<Response> {
      if (*request.Param("id") == "missing") {
        return NotFound("找不到条目", "item not found");
      }
      return Response::Json(200, {{"id", *request.Param("id")}, {"route", request.route}});
    });
    router_.Add(Method::kGet, "/boom", [](const Request&) -> Result<Response> {
      throw std::runtime_error("secret detail");
    });
    router_.Add(Method::kGet, "/internal", [](const Request&) -> Result<Response> {
      return Internal("数据库错误：SELECT 1", "database error: SELECT 1");
    });
  }

  Router router_;
};

TEST_F(DispatcherTest, RunsHandlerWithParams) {
  Request request = MakeRequest(Method::kGet, "/items/42");
  DispatchResult result = Dispatch(router_, request);
  EXPECT_EQ(result.response.status, 200);
  EXPECT_EQ(result.route_label, "/items/{id}");
  nlohmann::json body = nlohmann::json::parse(result.response.body);
  EXPECT_EQ(body["id"], "42");
  EXPECT_EQ(body["route"], "/items/{id}");
}

TEST_F(DispatcherTest, ErrorResultIsMapped) {
  Request request = MakeRequest(Method::kGet, "/items/missing", Locale::kEnglish);
  DispatchResult result = Dispatch(router_, request);
  EXPECT_EQ(result.response.status, 404);
  nlohmann::json body = nlohmann::json::parse(result.response.body);
  EXPECT_EQ(body["code"], "not_found");
  EXPECT_EQ(body["message"], "item not found");
  EXPECT_EQ(body["request_id"], "test-id");
}

TEST_F(DispatcherTest, ExceptionBecomesGeneric500) {
  Request request = MakeRequest(Method::kGet, "/boom");
  DispatchResult result = Dispatch(router_, request);
  EXPECT_EQ(result.response.status, 500);
  EXPECT_EQ(result.response.body.find("secret"), std::string::npos);
  nlohmann::json body = nlohmann::json::parse(result.response.body);
  EXPECT_EQ(body["code"], "internal");
  EXPECT_EQ(body["message"], "服务器内部错误；请稍后重试，如果问题持续，请把响应中的 request_id 提供给管理员");
}

TEST_F(DispatcherTest, InternalErrorTextIsHidden) {
  Request request = MakeRequest(Method::kGet, "/internal");
  DispatchResult result = Dispatch(router_, request);
  EXPECT_EQ(result.response.status, 500);
  EXPECT_EQ(result.response.body.find("SELECT"), std::string::npos);
}

TEST_F(DispatcherTest, NotFoundAndMethodNotAllowed) {
  Request missing = MakeRequest(Method::kGet, "/nothing");
  DispatchResult not_found = Dispatch(router_, missing);
  EXPECT_EQ(not_found.response.status, 404);
  EXPECT_EQ(not_found.route_label, "unmatched");

  Request wrong_method = MakeRequest(Method::kDelete, "/items/1");
  DispatchResult not_allowed = Dispatch(router_, wrong_method);
  EXPECT_EQ(not_allowed.response.status, 405);
  EXPECT_EQ(not_allowed.response.headers.Get("Allow"), "GET, HEAD");
}

TEST_F(DispatcherTest, BadPathIs400) {
  Request request = MakeRequest(Method::kGet, "/items/%zz");
  EXPECT_EQ(Dispatch(router_, request).response.status, 400);
}

}  // namespace
}  // namespace salesradar::server
