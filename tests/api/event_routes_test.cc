// POST /api/v1/events over HTTP: single events and batches, duplicates, invalid NDJSON lines,
// 413, 429 with Retry-After, and the sign-in checks.
#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "event_test_support.h"
#include "store/store.h"

namespace salesradar::api::testing {
namespace {

int64_t StoredEventCount(ApiTestEnv& env) {
  StoreLease store = env.Store();
  auto cursor = store->OpenEventCursor({});
  EXPECT_TRUE(cursor.ok());
  int64_t count = 0;
  rules::Event event;
  while (true) {
    auto next = (*cursor)->Next(&event);
    if (!next.ok() || !*next) break;
    ++count;
  }
  return count;
}

std::string Ndjson(const std::vector<nlohmann::json>& events) {
  std::string body;
  for (const nlohmann::json& event : events) body += event.dump() + "\n";
  return body;
}

TEST(EventRoutes, SingleEventIsCommitted) {
  auto env = ApiTestEnv::Start();
  ASSERT_NE(env, nullptr);
  ApiClient client = env->Anonymous();
  client.SetBearerToken(env->CreateToken("admin"));

  ApiResponse response = client.Post("/api/v1/events", LeadScored("e-1", "L-1", 10));
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["accepted"], 1);
  EXPECT_EQ(response.json["duplicates"], 0);
  EXPECT_EQ(StoredEventCount(*env), 1);
}

TEST(EventRoutes, RepeatedIdCountsAsDuplicate) {
  auto env = ApiTestEnv::Start();
  ASSERT_NE(env, nullptr);
  ApiClient client = env->SignIn("rep_sh");

  ApiResponse first = client.Post("/api/v1/events", {{"events", {LeadScored("d-1", "L-1", 10)}}});
  ASSERT_EQ(first.status, 200) << first.body;
  ApiResponse second =
      client.Post("/api/v1/events", {{"events", {LeadScored("d-1", "L-1", 10), LeadScored("d-2", "L-1", 10)}}});
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json["accepted"], 1);
  EXPECT_EQ(second.json["duplicates"], 1);
  EXPECT_EQ(StoredEventCount(*env), 2);
}

TEST(EventRoutes, NdjsonBadLinesCommitNothing) {
  auto env = ApiTestEnv::Start();
  ASSERT_NE(env, nullptr);
  ApiClient client = env->Anonymous();
  client.SetBearerToken(env->CreateToken("admin"));
  client.SetAcceptLanguage("en");

  nlohmann::json no_time = LeadScored("n-2", "L-1", 10);
  no_time.erase("occurred_at");
  std::string body = Ndjson({LeadScored("n-1", "L-1", 10), no_time}) + "{not json\n" +
                     Ndjson({LeadScored("n-4", "L-1", 10)});

  ApiResponse response = client.Send("POST", "/api/v1/events", body, "application/x-ndjson");
  ASSERT_EQ(response.status, 400) << response.body;
  std::string details = response.json["details"].dump();
  EXPECT_NE(details.find("line 2"), std::string::npos) << details;
  EXPECT_NE(details.find("occurred_at"), std::string::npos) << details;
  EXPECT_NE(details.find("line 3"), std::string::npos) << details;
  EXPECT_EQ(details.find("line 1"), std::string::npos) << details;
  EXPECT_EQ(StoredEventCount(*env), 0);
}

TEST(EventRoutes, NdjsonBatchIsCommitted) {
  auto env = ApiTestEnv::Start();
  ASSERT_NE(env, nullptr);
  ApiClient client = env->Anonymous();
  client.SetBearerToken(env->CreateToken("admin"));

  std::vector<nlohmann::json> events;
  for (int i = 0; i < 100; ++i) events.push_back(LeadScored(fmt::format("b-{}", i), "L-1", i));
  ApiResponse response = client.Send("POST", "/api/v1/events", Ndjson(events), "application/x-ndjson");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.json["accepted"], 100);
  EXPECT_EQ(StoredEventCount(*env), 100);
}

TEST(EventRoutes, OversizeBodyGets413) {
  ApiTestEnvOptions options;
  options.max_body_bytes = 1024;
  auto env = ApiTestEnv::Start(options);
  ASSERT_NE(env, nullptr);
  ApiClient client = env->Anonymous();
  client.SetBearerToken(env->CreateToken("admin"));

  std::vector<nlohmann::json> events;
  for (int i = 0; i < 30; ++i) events.push_back(LeadScored(fmt::format("big-{}", i), "L-1", i));
  ApiResponse response = client.Send("POST", "/api/v1/events", Ndjson(events), "application/x-ndjson");
  EXPECT_EQ(response.status, 413) << response.body;
  EXPECT_EQ(StoredEventCount(*env), 0);
}

TEST(EventRoutes, FullQueueGets429WithRetryAfter) {
  ApiTestEnvOptions options;
  options.intake_queue_size = 2;
  auto env = ApiTestEnv::Start(options);
  ASSERT_NE(env, nullptr);
  std::string token = env->CreateToken("admin");

  constexpr int kThreads = 8;
  constexpr int kRequests = 40;
  std::atomic<int> accepted{0};
  std::atomic<int> limited{0};
  std::atomic<int> limited_without_retry_after{0};
  std::atomic<int> other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ApiClient client(env->port());
      client.SetBearerToken(token);
      for (int i = 0; i < kRequests; ++i) {
        nlohmann::json batch = {{"events", {LeadScored(fmt::format("f-{}-{}-a", t, i), "L-1", 1),
                                            LeadScored(fmt::format("f-{}-{}-b", t, i), "L-1", 1)}}};
        ApiResponse response = client.Post("/api/v1/events", batch);
        if (response.status == 200) {
          accepted += response.json["accepted"].get<int>();
        } else if (response.status == 429) {
          ++limited;
          if (response.Header("Retry-After").empty()) ++limited_without_retry_after;
        } else {
          ++other;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_GT(limited.load(), 0);
  EXPECT_EQ(limited_without_retry_after.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(StoredEventCount(*env), accepted.load());
}

TEST(EventRoutes, SignInAndCsrfAreRequired) {
  auto env = ApiTestEnv::Start();
  ASSERT_NE(env, nullptr);

  ApiClient anonymous = env->Anonymous();
  EXPECT_EQ(anonymous.Post("/api/v1/events", LeadScored("s-1", "L-1", 1)).status, 401);

  ApiClient session = env->SignIn("rep_sh");
  session.DropCsrfHeader(true);
  EXPECT_EQ(session.Post("/api/v1/events", LeadScored("s-2", "L-1", 1)).status, 403);
  EXPECT_EQ(StoredEventCount(*env), 0);
}

TEST(EventRoutes, UnknownFieldAndContentTypeAreRejected) {
  auto env = ApiTestEnv::Start();
  ASSERT_NE(env, nullptr);
  ApiClient client = env->Anonymous();
  client.SetBearerToken(env->CreateToken("admin"));

  nlohmann::json misspelt = LeadScored("u-1", "L-1", 1);
  misspelt["occured_at"] = "2026-03-01T09:00:00Z";
  ApiResponse unknown = client.Post("/api/v1/events", misspelt);
  EXPECT_EQ(unknown.status, 400) << unknown.body;
  EXPECT_NE(unknown.json["details"].dump().find("occured_at"), std::string::npos);

  ApiResponse text = client.Send("POST", "/api/v1/events", LeadScored("u-2", "L-1", 1).dump(), "text/plain");
  EXPECT_EQ(text.status, 400) << text.body;
  EXPECT_EQ(StoredEventCount(*env), 0);
}

}  // namespace
}  // namespace salesradar::api::testing
