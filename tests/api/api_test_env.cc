#include "api_test_env.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <span>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "api/api_context.h"
#include "api/engine_host.h"
#include "auth/password.h"
#include "auth/secret_token.h"
#include "store/store.h"
#include "test_database.h"

namespace salesradar::api::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::chrono::seconds kRequestTimeout(10);

struct SeedUnit {
  const char* key;
  const char* name;
  const char* type;
  const char* parent;  // nullptr for the root
};

struct SeedUser {
  const char* login;
  const char* name;
  const char* role;
  const char* unit;
  const char* manager;  // nullptr when none
};

constexpr SeedUnit kUnits[] = {
    {"hq", "总部", "company", nullptr},
    {"east", "华东大区", "region", "hq"},
    {"sh", "上海一组", "team", "east"},
    {"south", "华南大区", "region", "hq"},
    {"gz", "广州一组", "team", "south"},
};

constexpr SeedUser kUsers[] = {
    {"admin", "系统管理员", "admin", "hq", nullptr},
    {"dir_east", "华东总监", "director", "east", nullptr},
    {"cs_east", "华东客户成功", "cs", "east", nullptr},
    {"mgr_sh", "上海经理", "manager", "sh", "dir_east"},
    {"rep_sh", "上海销售一", "rep", "sh", "mgr_sh"},
    {"rep_sh2", "上海销售二", "rep", "sh", "mgr_sh"},
    {"mgr_gz", "广州经理", "manager", "gz", nullptr},
    {"rep_gz", "广州销售", "rep", "gz", "mgr_gz"},
};

// One Argon2id hash of kTestPassword for every seeded user, made once per process, because
// hashing takes a noticeable fraction of a second.
const std::string& TestPasswordHash() {
  static std::once_flag once;
  static std::string hash;
  std::call_once(once, [] {
    Result<std::string> made = auth::HashPassword(kTestPassword);
    if (made.ok()) {
      hash = *made;
    }
  });
  return hash;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

fs::path MakeTempDir() {
  std::random_device random;
  for (int attempt = 0; attempt < 100; ++attempt) {
    fs::path dir = fs::temp_directory_path() / fmt::format("salesradar-api-{:08x}", random());
    std::error_code error;
    if (fs::create_directory(dir, error)) {
      return dir;
    }
  }
  return {};
}

Result<int64_t> UpsertOne(store::Store& store, const model::Record& record) {
  SR_ASSIGN_OR_RETURN(std::vector<store::UpsertResult> results,
                      store.Upsert(std::span<const model::Record>(&record, 1)));
  if (results.front().outcome == store::UpsertOutcome::kRejected) {
    return *results.front().error;
  }
  return results.front().id;
}

}  // namespace

std::string ApiResponse::Header(std::string_view name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? "" : it->second;
}

// ---- ApiClient ----

ApiClient::ApiClient(uint16_t port)
    : port_(port), http_(std::make_unique<server::testing::TestClient>(port, kRequestTimeout)) {}

ApiResponse ApiClient::Get(std::string_view target) { return Request("GET", target, "", ""); }

ApiResponse ApiClient::Post(std::string_view target, const json& body) {
  return body.is_null() ? Request("POST", target, "", "")
                        : Request("POST", target, body.dump(), "application/json");
}

ApiResponse ApiClient::Patch(std::string_view target, const json& body) {
  return Request("PATCH", target, body.dump(), "application/json");
}

ApiResponse ApiClient::Put(std::string_view target, const json& body) {
  return Request("PUT", target, body.dump(), "application/json");
}

ApiResponse ApiClient::Delete(std::string_view target) { return Request("DELETE", target, "", ""); }

ApiResponse ApiClient::Send(std::string_view method, std::string_view target, std::string body,
                            std::string_view content_type) {
  return Request(method, target, std::move(body), content_type);
}

void ApiClient::SetBearerToken(std::string token) { bearer_ = std::move(token); }

void ApiClient::SetAcceptLanguage(std::string language) {
  extra_headers_["Accept-Language"] = std::move(language);
}

void ApiClient::SetHeader(std::string name, std::string value) {
  extra_headers_[std::move(name)] = std::move(value);
}

void ApiClient::DropCsrfHeader(bool drop) { drop_csrf_ = drop; }

namespace {

std::string CookieHeader(const std::map<std::string, std::string>& cookies) {
  std::string header;
  for (const auto& [name, value] : cookies) {
    header += (header.empty() ? "" : "; ") + name + "=" + value;
  }
  return header;
}

// Applies the server's Set-Cookie values (joined with '\n' by the test client) to `cookies`.
void StoreCookies(const std::string& set_cookie, std::map<std::string, std::string>& cookies) {
  std::string_view rest = set_cookie;
  while (!rest.empty()) {
    size_t end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    std::string_view pair = line.substr(0, line.find(';'));
    size_t equals = pair.find('=');
    if (equals != std::string_view::npos) {
      std::string name(pair.substr(0, equals));
      std::string value(pair.substr(equals + 1));
      if (line.find("Max-Age=0") != std::string_view::npos || value.empty()) {
        cookies.erase(name);
      } else {
        cookies[name] = value;
      }
    }
    if (end == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(end + 1);
  }
}

}  // namespace

ApiResponse ApiClient::Request(std::string_view method, std::string_view target, std::string body,
                               std::string_view content_type) {
  server::testing::HeaderList headers;
  if (!content_type.empty()) {
    headers.emplace_back("Content-Type", std::string(content_type));
  }
  if (bearer_) {
    headers.emplace_back("Authorization", "Bearer " + *bearer_);
  }
  if (!cookies_.empty()) {
    headers.emplace_back("Cookie", CookieHeader(cookies_));
  }
  bool is_write = method != "GET" && method != "HEAD" && method != "OPTIONS";
  auto csrf = cookies_.find("sr_csrf");
  if (is_write && !drop_csrf_ && csrf != cookies_.end()) {
    headers.emplace_back("X-CSRF-Token", csrf->second);
  }
  for (const auto& [name, value] : extra_headers_) {
    headers.emplace_back(name, value);
  }

  Result<server::testing::HttpResult> result =
      http_->Request(std::string(method), std::string(target), body, headers);
  if (!result.ok()) {
    // The server may have closed a kept-alive connection; retry once on a new one.
    http_ = std::make_unique<server::testing::TestClient>(port_, kRequestTimeout);
    result = http_->Request(std::string(method), std::string(target), body, headers);
  }
  if (!result.ok()) {
    ADD_FAILURE() << method << " " << target << ": " << result.error().ToLogString();
    return {};
  }
  if (!result->keep_alive) {
    http_ = std::make_unique<server::testing::TestClient>(port_, kRequestTimeout);
  }

  ApiResponse response;
  response.status = result->status;
  response.headers = result->headers;
  response.body = result->body;
  if (response.Header("content-type").find("json") != std::string::npos) {
    response.json = json::parse(response.body, nullptr, /*allow_exceptions=*/false);
    if (response.json.is_discarded()) {
      response.json = nullptr;
    }
  }
  StoreCookies(response.Header("set-cookie"), cookies_);
  return response;
}

std::optional<std::string> ApiClient::ReadStreamUntil(std::string_view needle,
                                                      std::chrono::milliseconds timeout,
                                                      std::string_view target) {
  server::testing::HeaderList headers;
  if (bearer_) {
    headers.emplace_back("Authorization", "Bearer " + *bearer_);
  }
  if (!cookies_.empty()) {
    headers.emplace_back("Cookie", CookieHeader(cookies_));
  }
  for (const auto& [name, value] : extra_headers_) {
    headers.emplace_back(name, value);
  }

  server::testing::TestClient stream(port_, timeout);
  Result<server::testing::HttpResult> opened = stream.OpenStream(std::string(target), headers);
  if (!opened.ok()) {
    ADD_FAILURE() << "opening " << target << ": " << opened.error().ToLogString();
    return std::nullopt;
  }
  if (opened->status != 200) {
    ADD_FAILURE() << "opening " << target << ": status " << opened->status;
    return std::nullopt;
  }
  Result<std::string> text = stream.ReadStreamUntil(needle);
  if (!text.ok()) {
    ADD_FAILURE() << "reading " << target << " for '" << needle
                  << "': " << text.error().ToLogString();
    return std::nullopt;
  }
  return *text;
}

// ---- ApiTestEnv ----

namespace {

Status SeedOrgTree(store::Store& store, std::map<std::string, int64_t, std::less<>>& unit_ids,
                   std::map<std::string, int64_t, std::less<>>& user_ids) {
  for (const SeedUnit& unit : kUnits) {
    model::Record record{model::EntityKind::kOrgUnit, std::string("test:") + unit.key, {}, {}};
    record.fields["name"] = std::string(unit.name);
    record.fields["type"] = std::string(unit.type);
    if (unit.parent != nullptr) {
      record.fields["parent"] = model::Reference{unit_ids.at(unit.parent), ""};
    }
    SR_ASSIGN_OR_RETURN(unit_ids[unit.key], UpsertOne(store, record));
  }

  const std::string& hash = TestPasswordHash();
  if (hash.empty()) {
    return Internal("测试密码哈希失败", "hashing the test password failed");
  }
  for (const SeedUser& user : kUsers) {
    model::Record record{model::EntityKind::kUser, std::string("test:") + user.login, {}, {}};
    record.fields["name"] = std::string(user.name);
    record.fields["role"] = std::string(user.role);
    record.fields["org_unit"] = model::Reference{unit_ids.at(user.unit), ""};
    if (user.manager != nullptr) {
      record.fields["manager"] = model::Reference{user_ids.at(user.manager), ""};
    }
    SR_ASSIGN_OR_RETURN(int64_t id, UpsertOne(store, record));
    user_ids[user.login] = id;

    store::Credentials credentials;
    credentials.user_id = id;
    credentials.login = user.login;
    credentials.password_hash = hash;
    SR_RETURN_IF_ERROR(store.CreateCredentials(credentials, store::AuditContext::System()));
  }
  return OkStatus();
}

server::ServerConfig TestConfig(const ApiTestEnvOptions& options, const std::string& data_dir,
                                const std::string& database) {
  server::ServerConfig config;
  config.listen.host = "127.0.0.1";
  config.listen.port = 0;
  config.threads = 2;
  config.data_dir = data_dir;
  config.database = database;
  config.intake_queue_size = options.intake_queue_size;
  config.max_body_bytes = options.max_body_bytes;
  config.shutdown_timeout = std::chrono::seconds(2);
  config.log_level = "warn";
  return config;
}

}  // namespace

std::unique_ptr<ApiTestEnv> ApiTestEnv::Start(ApiTestEnvOptions options) {
  std::unique_ptr<ApiTestEnv> env(new ApiTestEnv());
  env->options_ = std::move(options);

  fs::path dir = MakeTempDir();
  if (dir.empty()) {
    ADD_FAILURE() << "cannot create a temporary directory";
    return nullptr;
  }
  env->data_dir_ = dir.string();
  env->database_ = CreateTestDatabase(dir);
  if (env->database_.empty()) return nullptr;

  {
    store::OpenOptions open_options;
    open_options.clock = env->options_.clock;
    Result<std::unique_ptr<store::Store>> store = store::Open(env->database_, open_options);
    if (!store.ok()) {
      ADD_FAILURE() << "opening " << env->database_ << ": " << store.error().ToLogString();
      return nullptr;
    }
    Status seeded = SeedOrgTree(**store, env->unit_ids_, env->user_ids_);
    if (!seeded.ok()) {
      ADD_FAILURE() << "seeding the org tree: " << seeded.error().ToLogString();
      return nullptr;
    }
  }

  AppOptions app_options;
  app_options.clock = env->options_.clock;
  app_options.web_root = env->options_.web_root;
  Result<std::unique_ptr<App>> app =
      App::Start(TestConfig(env->options_, env->data_dir_, env->database_), app_options);
  if (!app.ok()) {
    ADD_FAILURE() << "starting the app: " << app.error().ToLogString();
    return nullptr;
  }
  env->app_ = std::move(app).value();

  std::string admin = std::to_string(env->UserId("admin"));
  for (const std::string& pack : env->options_.rule_packs) {
    Result<store::RulePackVersion> published = env->app_->context().engine.PublishPack(pack, admin);
    if (!published.ok()) {
      ADD_FAILURE() << "publishing a rule pack: " << published.error().ToLogString();
      return nullptr;
    }
  }
  return env;
}

ApiTestEnv::~ApiTestEnv() {
  if (app_ != nullptr) {
    app_->Stop();
    app_.reset();
  }
  if (!data_dir_.empty() && std::getenv("SALESRADAR_KEEP_TEST_DATA") == nullptr) {
    std::error_code error;
    fs::remove_all(data_dir_, error);
  }
}

uint16_t ApiTestEnv::port() const { return app_->port(); }

App& ApiTestEnv::app() { return *app_; }

StoreLease ApiTestEnv::Store() {
  Result<StoreLease> lease = app_->context().stores.Acquire();
  if (!lease.ok()) {
    ADD_FAILURE() << "borrowing a store: " << lease.error().ToLogString();
    return StoreLease();
  }
  return std::move(lease).value();
}

int64_t ApiTestEnv::UserId(std::string_view login) const {
  auto it = user_ids_.find(login);
  if (it == user_ids_.end()) {
    ADD_FAILURE() << "no seeded user " << login;
    return 0;
  }
  return it->second;
}

int64_t ApiTestEnv::OrgUnitId(std::string_view key) const {
  auto it = unit_ids_.find(key);
  if (it == unit_ids_.end()) {
    ADD_FAILURE() << "no seeded org unit " << key;
    return 0;
  }
  return it->second;
}

ApiClient ApiTestEnv::SignIn(std::string_view login) {
  ApiClient client(port());
  ApiResponse response = client.Post(
      "/api/v1/auth/sign-in", json{{"login", std::string(login)}, {"password", kTestPassword}});
  if (response.status != 200) {
    ADD_FAILURE() << "signing in as " << login << ": status " << response.status << " "
                  << response.body;
  }
  return client;
}

ApiClient ApiTestEnv::Anonymous() { return ApiClient(port()); }

std::string ApiTestEnv::CreateToken(std::string_view login, std::vector<std::string> scopes) {
  std::string secret = auth::GenerateApiToken();
  store::NewApiToken token;
  token.token_hash = auth::HashSecret(secret);
  token.name = "test";
  token.user_id = UserId(login);
  token.scopes = std::move(scopes);

  StoreLease store = Store();
  Result<int64_t> created = store->CreateApiToken(token, store::AuditContext::System());
  if (!created.ok()) {
    ADD_FAILURE() << "creating a token for " << login << ": " << created.error().ToLogString();
  }
  return secret;
}

void ApiTestEnv::Restart() {
  app_->Stop();
  app_.reset();

  AppOptions app_options;
  app_options.clock = options_.clock;
  app_options.web_root = options_.web_root;
  Result<std::unique_ptr<App>> app =
      App::Start(TestConfig(options_, data_dir_, database_), app_options);
  if (!app.ok()) {
    ADD_FAILURE() << "restarting the app: " << app.error().ToLogString();
    return;
  }
  app_ = std::move(app).value();
}

}  // namespace salesradar::api::testing
