#include "server/router.h"

#include <gtest/gtest.h>

namespace salesradar::server {
namespace {

Handler Named(std::string name) {
  return [name](const Request&) -> Result<Response> { return Response::Text(200, name); };
}

std::string Call(const RouteMatch& match) {
  Request request;
  Result<Response> result = (*match.handler)(request);
  return result.ok() ? result->body : "error";
}

TEST(RouterTest, MatchesLiteralAndParameters) {
  Router router;
  router.Add(Method::kGet, "/api/v1/opportunities/{id}", Named("get-opportunity"));
  router.Add(Method::kGet, "/api/v1/opportunities/{id}/activities/{activity_id}", Named("get-activity"));

  RouteMatch match = router.Match(Method::kGet, "/api/v1/opportunities/42");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(Call(match), "get-opportunity");
  EXPECT_EQ(match.pattern, "/api/v1/opportunities/{id}");
  EXPECT_EQ(match.params.at("id"), "42");

  RouteMatch nested = router.Match(Method::kGet, "/api/v1/opportunities/7/activities/a-1");
  ASSERT_EQ(nested.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(nested.params.at("id"), "7");
  EXPECT_EQ(nested.params.at("activity_id"), "a-1");
}

TEST(RouterTest, DecodesParameters) {
  Router router;
  router.Add(Method::kGet, "/files/{name}", Named("file"));

  RouteMatch match = router.Match(Method::kGet, "/files/a%2Fb%20c");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(match.params.at("name"), "a/b c");
}

TEST(RouterTest, LiteralBeatsParameter) {
  Router router;
  router.Add(Method::kGet, "/alerts/{id}", Named("one"));
  router.Add(Method::kGet, "/alerts/history", Named("history"));

  EXPECT_EQ(Call(router.Match(Method::kGet, "/alerts/history")), "history");
  EXPECT_EQ(Call(router.Match(Method::kGet, "/alerts/17")), "one");
}

TEST(RouterTest, NotFoundCases) {
  Router router;
  router.Add(Method::kGet, "/a/{id}", Named("a"));

  EXPECT_EQ(router.Match(Method::kGet, "/a").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Match(Method::kGet, "/a/").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Match(Method::kGet, "/a/1/2").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Match(Method::kGet, "/b/1").outcome, RouteMatch::Outcome::kNotFound);
  EXPECT_EQ(router.Match(Method::kGet, "*").outcome, RouteMatch::Outcome::kNotFound);
}

TEST(RouterTest, MethodNotAllowedListsMethods) {
  Router router;
  router.Add(Method::kGet, "/items/{id}", Named("get"));
  router.Add(Method::kDelete, "/items/{id}", Named("delete"));

  RouteMatch match = router.Match(Method::kPost, "/items/3");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kMethodNotAllowed);
  EXPECT_EQ(match.allowed_methods,
            (std::vector<Method>{Method::kGet, Method::kHead, Method::kDelete}));
}

TEST(RouterTest, HeadFallsBackToGet) {
  Router router;
  router.Add(Method::kGet, "/healthz", Named("health"));

  RouteMatch match = router.Match(Method::kHead, "/healthz");
  ASSERT_EQ(match.outcome, RouteMatch::Outcome::kMatched);
  EXPECT_EQ(Call(match), "health");
}

TEST(RouterTest, BadPercentEscapeInPath) {
  Router router;
  router.Add(Method::kGet, "/a/{id}", Named("a"));
  EXPECT_EQ(router.Match(Method::kGet, "/a/%zz").outcome, RouteMatch::Outcome::kBadPath);
}

TEST(RouterTest, RoutesAreSorted) {
  Router router;
  router.Add(Method::kPost, "/b", Named("b"));
  router.Add(Method::kGet, "/b", Named("b"));
  router.Add(Method::kGet, "/a/{id}", Named("a"));

  std::vector<RouteInfo> routes = router.Routes();
  ASSERT_EQ(routes.size(), 3u);
  EXPECT_EQ(routes[0].pattern, "/a/{id}");
  EXPECT_EQ(routes[1].pattern, "/b");
  EXPECT_EQ(routes[1].method, Method::kGet);
  EXPECT_EQ(routes[2].method, Method::kPost);
}

using RouterDeathTest = ::testing::Test;

TEST_F(RouterDeathTest, DuplicateShapeAborts) {
  Router router;
  router.Add(Method::kGet, "/a/{id}", Named("a"));
  EXPECT_DEATH(router.Add(Method::kGet, "/a/{other}", Named("b")), "registered twice");
}

TEST_F(RouterDeathTest, MalformedPatternAborts) {
  Router router;
  EXPECT_DEATH(router.Add(Method::kGet, "a", Named("a")), "must start with '/'");
  EXPECT_DEATH(router.Add(Method::kGet, "/a/{id", Named("a")), "malformed segment");
  EXPECT_DEATH(router.Add(Method::kGet, "/a/{1x}", Named("a")), "malformed segment");
}

}  // namespace
}  // namespace salesradar::server
