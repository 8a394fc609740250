// The harness of the API integration tests: an App on 127.0.0.1 with port 0 over a fresh SQLite
// file in a temporary directory, seeded with a small org tree and one user per role, and a client
// that signs in like the web UI does (session cookie plus X-CSRF-Token on writes) or uses a
// bearer token like an integration.
//
// The seeded org tree and users (every password is kTestPassword):
//
//   总部 (hq)                       admin      admin
//   ├── 华东大区 (east)              dir_east   director     cs_east  cs
//   │   └── 上海一组 (sh)            mgr_sh     manager      rep_sh, rep_sh2  rep
//   └── 华南大区 (south)
//       └── 广州一组 (gz)            mgr_gz     manager      rep_gz   rep
//
// Managers are the `manager_id` of their team's reps; dir_east manages mgr_sh.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/app.h"
#include "api/store_pool.h"
#include "common/clock.h"
#include "server/test_client.h"

namespace salesradar::api::testing {

inline constexpr std::string_view kTestPassword = "Passw0rd!2026";

struct ApiResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  nlohmann::json json;  // the parsed body when it is JSON, else null

  std::string Header(std::string_view name) const;
};

// Not thread-safe: one thread uses one client. Every request has a 10 s deadline.
class ApiClient {
 public:
  explicit ApiClient(uint16_t port);

  // Sends a request. `body` is sent as JSON when it is not null. Cookies set by the server are
  // kept and sent back; writes carry X-CSRF-Token from the sr_csrf cookie when there is one.
  ApiResponse Get(std::string_view target);
  ApiResponse Post(std::string_view target, const nlohmann::json& body = nullptr);
  ApiResponse Patch(std::string_view target, const nlohmann::json& body);
  ApiResponse Put(std::string_view target, const nlohmann::json& body);
  ApiResponse Delete(std::string_view target);
  // Sends `body` as it is with `content_type`, for NDJSON, CSV uploads and malformed input.
  ApiResponse Send(std::string_view method, std::string_view target, std::string body,
                   std::string_view content_type);

  // Opens GET /api/v1/stream (or `target`) on a separate connection with this client's cookies
  // or token, and returns the text received once it contains `needle`; fails the test after
  // `timeout`.
  std::optional<std::string> ReadStreamUntil(std::string_view needle,
                                             std::chrono::milliseconds timeout,
                                             std::string_view target = "/api/v1/stream");

  void SetBearerToken(std::string token);         // sends Authorization: Bearer ...
  void SetAcceptLanguage(std::string language);   // "en", "zh-CN" ...
  void SetHeader(std::string name, std::string value);
  void DropCsrfHeader(bool drop);                 // for tests of the CSRF check
  const std::map<std::string, std::string>& cookies() const { return cookies_; }

 private:
  ApiResponse Request(std::string_view method, std::string_view target, std::string body,
                      std::string_view content_type);

  uint16_t port_;
  std::unique_ptr<server::testing::TestClient> http_;
  std::map<std::string, std::string> cookies_;
  std::map<std::string, std::string> extra_headers_;
  std::optional<std::string> bearer_;
  bool drop_csrf_ = false;
};

struct ApiTestEnvOptions {
  // When set, the app runs on this clock (for timers and escalation); else the system clock.
  ManualClock* clock = nullptr;
  // Rule packs (YAML text) published before the server starts, by admin.
  std::vector<std::string> rule_packs;
  size_t intake_queue_size = 10'000;
  uint64_t max_body_bytes = 8 << 20;
  std::string web_root;  // built UI to serve; empty for none
};

class ApiTestEnv {
 public:
  // Creates the temporary directory, the database, the org tree and users, and starts the app.
  // Fails the calling test (ADD_FAILURE) and returns nullptr when any step fails.
  static std::unique_ptr<ApiTestEnv> Start(ApiTestEnvOptions options = {});
  ~ApiTestEnv();  // stops the app and deletes the directory

  uint16_t port() const;
  App& app();
  const std::string& data_dir() const { return data_dir_; }
  const std::string& database() const { return database_; }

  // A connection of the app's pool, for seeding records and checking rows behind the API.
  StoreLease Store();

  int64_t UserId(std::string_view login) const;    // of a seeded user
  int64_t OrgUnitId(std::string_view key) const;   // "hq", "east", "sh", "south", "gz"

  // A client signed in through POST /api/v1/auth/sign-in; fails the test when sign-in fails.
  ApiClient SignIn(std::string_view login);
  ApiClient Anonymous();

  // Creates an API token for `login` through the store and returns its secret (srt_...).
  std::string CreateToken(std::string_view login, std::vector<std::string> scopes = {});

  // Stops and starts the app again over the same database (a clean restart).
  void Restart();

 private:
  ApiTestEnv() = default;

  ApiTestEnvOptions options_;
  std::string data_dir_;
  std::string database_;
  std::unique_ptr<App> app_;
  std::map<std::string, int64_t, std::less<>> user_ids_;
  std::map<std::string, int64_t, std::less<>> unit_ids_;
};

}  // namespace salesradar::api::testing
