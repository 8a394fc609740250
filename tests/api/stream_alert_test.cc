// GET /api/v1/stream over HTTP: an alert raised by a posted event arrives within 1 second, and a
// rep does not receive the alerts of another team.
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "event_test_support.h"

namespace salesradar::api::testing {
namespace {

// Waits until `count` stream clients are subscribed, so that an event posted next is not missed.
void WaitForSubscribers(ApiTestEnv& env, size_t count) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (env.app().context().stream.subscriber_count() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_GE(env.app().context().stream.subscriber_count(), count);
}

std::unique_ptr<ApiTestEnv> StartWithPack() {
  ApiTestEnvOptions options;
  options.rule_packs = {std::string(kHotLeadPack)};
  auto env = ApiTestEnv::Start(options);
  if (env == nullptr) return nullptr;
  SeedLead(*env, "L-sh", "rep_sh");
  SeedLead(*env, "L-gz", "rep_gz");
  return env;
}

TEST(StreamAlerts, AlertArrivesWithinOneSecond) {
  auto env = StartWithPack();
  ASSERT_NE(env, nullptr);
  ApiClient listener = env->SignIn("rep_sh");
  auto received = std::async(std::launch::async, [&] {
    return listener.ReadStreamUntil("\"L-sh\"", std::chrono::seconds(5));
  });
  WaitForSubscribers(*env, 1);

  ApiClient sender = env->Anonymous();
  sender.SetBearerToken(env->CreateToken("admin"));
  auto posted_at = std::chrono::steady_clock::now();
  ApiResponse posted = sender.Post("/api/v1/events", LeadScored("stream-1", "L-sh", 95));
  ASSERT_EQ(posted.status, 200) << posted.body;

  std::optional<std::string> text = received.get();
  auto elapsed = std::chrono::steady_clock::now() - posted_at;
  ASSERT_TRUE(text.has_value());
  EXPECT_NE(text->find("event: alert"), std::string::npos) << *text;
  EXPECT_NE(text->find("hot-lead"), std::string::npos) << *text;
  EXPECT_LT(elapsed, std::chrono::seconds(1));
}

TEST(StreamAlerts, RepDoesNotReceiveOtherTeamAlert) {
  auto env = StartWithPack();
  ASSERT_NE(env, nullptr);
  ApiClient listener = env->SignIn("rep_gz");
  auto received = std::async(std::launch::async, [&] {
    return listener.ReadStreamUntil("\"L-gz\"", std::chrono::seconds(5));
  });
  WaitForSubscribers(*env, 1);

  // Events are processed in the order committed, so the L-sh alert is published before the
  // L-gz alert that ends the read.
  ApiClient sender = env->SignIn("admin");
  ASSERT_EQ(sender.Post("/api/v1/events", LeadScored("other-team", "L-sh", 95)).status, 200);
  ASSERT_EQ(sender.Post("/api/v1/events", LeadScored("own-team", "L-gz", 95)).status, 200);

  std::optional<std::string> text = received.get();
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(text->find("\"L-sh\""), std::string::npos) << *text;
  EXPECT_NE(text->find("\"L-gz\""), std::string::npos) << *text;
}

TEST(StreamAlerts, StreamNeedsSignIn) {
  auto env = ApiTestEnv::Start();
  ASSERT_NE(env, nullptr);
  EXPECT_EQ(env->Anonymous().Get("/api/v1/stream").status, 401);
}

}  // namespace
}  // namespace salesradar::api::testing
