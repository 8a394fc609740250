// The audit log over HTTP, and tampering found by `salesradar audit verify`.
#include <sys/wait.h>

#include <array>
#include <cstdio>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "api_test_env.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

struct CommandResult {
  int exit_code = -1;
  std::string output;  // standard output and standard error together
};

std::string ShellQuote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return quoted + "'";
}

CommandResult RunSalesradar(const std::string& arguments) {
  std::string command = ShellQuote(SALESRADAR_BIN) + " " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    return result;
  }
  std::array<char, 4096> buffer;
  size_t read = 0;
  while ((read = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
    result.output.append(buffer.data(), read);
  }
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

int ExecuteRaw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_busy_timeout(db, 5000);
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
  }

  std::unique_ptr<ApiTestEnv> env_;
};

TEST_F(AuditTest, AdminOnly) {
  EXPECT_EQ(env_->SignIn("dir_east").Get("/api/v1/audit").status, 403);
  EXPECT_EQ(env_->Anonymous().Get("/api/v1/audit").status, 401);
  EXPECT_EQ(env_->SignIn("admin").Get("/api/v1/audit").status, 200);
}

TEST_F(AuditTest, WritesAppearWithActorAndFilters) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse created = admin.Post("/api/v1/org-units", json{{"name", "深圳一组"}, {"type", "team"}});
  ASSERT_EQ(created.status, 201);
  std::string unit_id = std::to_string(created.json["id"].get<int64_t>());
  std::string actor = "user:" + std::to_string(env_->UserId("admin"));

  ApiResponse rows = admin.Get("/api/v1/audit?entity_kind=org_unit&entity_id=" + unit_id);
  ASSERT_EQ(rows.status, 200) << rows.body;
  ASSERT_EQ(rows.json["items"].size(), 1u) << rows.body;
  const json& row = rows.json["items"][0];
  EXPECT_EQ(row["action"], "insert");
  EXPECT_EQ(row["actor"], actor);
  EXPECT_EQ(row["after"]["fields"]["name"], "深圳一组") << row.dump();
  EXPECT_FALSE(row["request_id"].get<std::string>().empty());
  EXPECT_EQ(row["hash"].get<std::string>().size(), 64u);

  ApiResponse by_actor = admin.Get("/api/v1/audit?actor=" + actor);
  ASSERT_EQ(by_actor.status, 200);
  for (const json& item : by_actor.json["items"]) {
    EXPECT_EQ(item["actor"], actor);
  }
  // The admin's sign-in made a session row and the org unit an insert row.
  EXPECT_GE(by_actor.json["items"].size(), 2u);

  ApiResponse future = admin.Get("/api/v1/audit?from=2099-01-01T00:00:00Z");
  ASSERT_EQ(future.status, 200);
  EXPECT_TRUE(future.json["items"].empty());
  EXPECT_EQ(admin.Get("/api/v1/audit?from=yesterday").status, 400);
}

TEST_F(AuditTest, FailedSignInIsAudited) {
  ApiClient anonymous = env_->Anonymous();
  ASSERT_EQ(anonymous.Post("/api/v1/auth/sign-in", json{{"login", "rep_sh"}, {"password", "wrong-one-123"}})
                .status,
            401);
  ApiResponse rows = env_->SignIn("admin").Get("/api/v1/audit?action=sign_in_failed");
  ASSERT_EQ(rows.status, 200);
  ASSERT_EQ(rows.json["items"].size(), 1u);
  EXPECT_EQ(rows.json["items"][0]["entity_id"], std::to_string(env_->UserId("rep_sh")));
  EXPECT_EQ(rows.body.find("wrong-one-123"), std::string::npos);
}

TEST_F(AuditTest, PagesByCursorAndAfterId) {
  ApiClient admin = env_->SignIn("admin");
  ApiResponse first = admin.Get("/api/v1/audit?limit=3");
  ASSERT_EQ(first.status, 200);
  ASSERT_EQ(first.json["items"].size(), 3u);
  int64_t third_id = first.json["items"][2]["id"];

  ApiResponse next = admin.Get("/api/v1/audit?limit=3&cursor=" + first.json["next_cursor"].get<std::string>());
  ASSERT_EQ(next.status, 200);
  ASSERT_FALSE(next.json["items"].empty());
  EXPECT_EQ(next.json["items"][0]["id"], third_id + 1);

  ApiResponse after = admin.Get("/api/v1/audit?limit=1&after_id=" + std::to_string(third_id));
  ASSERT_EQ(after.json["items"].size(), 1u);
  EXPECT_EQ(after.json["items"][0]["id"], third_id + 1);
}

TEST_F(AuditTest, TamperedRowIsNamedByAuditVerify) {
  ApiClient admin = env_->SignIn("admin");
  ASSERT_EQ(admin.Post("/api/v1/org-units", json{{"name", "成都一组"}, {"type", "team"}}).status, 201);

  CommandResult intact = RunSalesradar("--lang en --database " + ShellQuote(env_->database()) +
                                       " audit verify");
  ASSERT_EQ(intact.exit_code, 0) << intact.output;

  ApiResponse rows = admin.Get("/api/v1/audit?entity_kind=org_unit&action=insert");
  ASSERT_EQ(rows.status, 200);
  ASSERT_FALSE(rows.json["items"].empty());
  int64_t target = rows.json["items"].back()["id"];

  // The append-only trigger guards against mistakes, not against someone with the file: drop it.
  ASSERT_EQ(ExecuteRaw(env_->database(), "DROP TRIGGER audit_log_reject_update; "
                                         "UPDATE audit_log SET actor = 'user:999' WHERE id = " +
                                             std::to_string(target)),
            SQLITE_OK);

  CommandResult broken = RunSalesradar("--lang en --database " + ShellQuote(env_->database()) +
                                       " audit verify");
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("row " + std::to_string(target)), std::string::npos)
      << broken.output;
}

}  // namespace
}  // namespace salesradar::api::testing
