#include "server/error_mapping.h"

#include <nlohmann/json.hpp>
#include <gtest/gtest.h>

namespace salesradar::server {
namespace {

TEST(ErrorMappingTest, StatusForEveryCode) {
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInvalidArgument), 400);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kNotFound), 404);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kAlreadyExists), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kConflict), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kFailedPrecondition), 409);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kPermissionDenied), 403);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnauthenticated), 401);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kResourceExhausted), 429);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kUnavailable), 503);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kDataLoss), 500);
  EXPECT_EQ(HttpStatusFor(ErrorCode::kInternal), 500);
}

TEST(ErrorMappingTest, BodyInRequestedLocale) {
  Error error = NotFound("找不到商机 42", "opportunity 42 not found");
  error.AddDetail("id", "42");
  ApiError api_error = ApiErrorFrom(error);

  Response chinese = ErrorResponse(api_error, Locale::kChinese, "req-1");
  EXPECT_EQ(chinese.status, 404);
  EXPECT_EQ(chinese.headers.Get("content-type"), "application/json; charset=utf-8");
  nlohmann::json body = nlohmann::json::parse(chinese.body);
  EXPECT_EQ(body["code"], "not_found");
  EXPECT_EQ(body["message"], "找不到商机 42");
  EXPECT_EQ(body["details"], nlohmann::json::parse(R"([{"key":"id","value":"42"}])"));
  EXPECT_EQ(body["request_id"], "req-1");

  Response english = ErrorResponse(api_error, Locale::kEnglish, "req-1");
  EXPECT_EQ(nlohmann::json::parse(english.body)["message"], "opportunity 42 not found");
}

// Internal errors may carry SQL or file names; the client must see none of it.
TEST(ErrorMappingTest, InternalErrorsAreHidden) {
  Error error = Internal("SQL 失败：SELECT * FROM users", "SQL failed: SELECT * FROM users");
  error.AddDetail("sql", "SELECT * FROM users");
  ApiError api_error = ApiErrorFrom(error);
  EXPECT_EQ(api_error.status, 500);
  EXPECT_EQ(api_error.code, "internal");
  EXPECT_TRUE(api_error.details.empty());

  Response response = ErrorResponse(api_error, Locale::kEnglish, "r");
  EXPECT_EQ(response.body.find("SELECT"), std::string::npos);

  Error data_loss(ErrorCode::kDataLoss, "表 events 损坏", "table events is corrupt");
  EXPECT_EQ(ApiErrorFrom(data_loss).message.en.find("events"), std::string::npos);
}

TEST(ErrorMappingTest, TransportErrors) {
  EXPECT_EQ(RouteNotFoundError("/x").status, 404);
  EXPECT_EQ(MethodNotAllowedError(Method::kPost, "/x").code, "method_not_allowed");
  EXPECT_EQ(MethodNotImplementedError("BREW").status, 501);
  EXPECT_EQ(PayloadTooLargeError(1024).status, 413);
  EXPECT_NE(PayloadTooLargeError(1024).message.en.find("1024 bytes"), std::string::npos);
  EXPECT_EQ(HeaderTooLargeError(1024).status, 431);
  EXPECT_EQ(BadRequestError("坏", "bad").message.en, "malformed request: bad");
  EXPECT_EQ(ShuttingDownError().status, 503);
}

}  // namespace
}  // namespace salesradar::server
