// Runs `salesradar admin create` and `salesradar audit verify` as a user would, then changes an
// audit row behind the binary's back and checks that `audit verify` names it.
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace {

namespace fs = std::filesystem;

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

// Runs the binary with `arguments` (already quoted) and `input` on standard input.
CommandResult RunSalesradar(const std::string& arguments, const std::string& input = "") {
  std::string command = "printf '%s' " + ShellQuote(input) + " | " +
                        ShellQuote(SALESRADAR_BIN) + " " + arguments + " 2>&1";
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

// Runs `sql` on the database file with the SQLite C API, outside SalesRadar.
int ExecuteRaw(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return rc;
}

class AuditCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ = fs::temp_directory_path() /
                 ("salesradar-auth-cli-" + std::to_string(::getpid()) + "-" +
                  ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    database_ = (directory_ / "salesradar.db").string();
  }

  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  CommandResult Run(const std::string& arguments, const std::string& input = "") {
    return RunSalesradar("--database " + ShellQuote(database_) + " " + arguments, input);
  }

  fs::path directory_;
  std::string database_;
};

TEST_F(AuditCliTest, AdminCreatePrintsGeneratedPasswordOnce) {
  CommandResult created = Run("--lang en admin create --login root --name 管理员");
  ASSERT_EQ(created.exit_code, 0) << created.output;
  EXPECT_NE(created.output.find("created administrator 'root'"), std::string::npos)
      << created.output;
  EXPECT_NE(created.output.find("initial password, shown only this once: "), std::string::npos);

  CommandResult again = Run("--lang en admin create --login ROOT --name 另一个");
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("taken"), std::string::npos) << again.output;
}

TEST_F(AuditCliTest, AdminCreateChecksPasswordFromStdin) {
  CommandResult weak = Run("admin create --login ops --name 运维 --password-stdin", "short\n");
  EXPECT_EQ(weak.exit_code, 2) << weak.output;
  EXPECT_NE(weak.output.find("至少需要 12"), std::string::npos) << weak.output;
  EXPECT_EQ(weak.output.find("short"), std::string::npos) << "the password is never echoed";

  CommandResult good = Run("admin create --login ops --name 运维 --password-stdin",
                           "a long enough passphrase\n");
  EXPECT_EQ(good.exit_code, 0) << good.output;
  EXPECT_EQ(good.output.find("初始密码"), std::string::npos) << "no password to show";
}

TEST_F(AuditCliTest, VerifyFindsChangedRow) {
  ASSERT_EQ(Run("admin create --login root --name 管理员").exit_code, 0);

  CommandResult intact = Run("audit verify");
  EXPECT_EQ(intact.exit_code, 0) << intact.output;
  EXPECT_NE(intact.output.find("审计链完整：已检查 2 行"), std::string::npos) << intact.output;

  ASSERT_NE(ExecuteRaw(database_, "UPDATE audit_log SET actor = 'user:7' WHERE id = 2"),
            SQLITE_OK)
      << "the trigger rejects the update";
  ASSERT_EQ(Run("audit verify").exit_code, 0);

  ASSERT_EQ(ExecuteRaw(database_, "DROP TRIGGER audit_log_reject_update;"
                                  " UPDATE audit_log SET actor = 'user:7' WHERE id = 2"),
            SQLITE_OK);
  CommandResult broken = Run("--lang en audit verify");
  EXPECT_EQ(broken.exit_code, 1) << broken.output;
  EXPECT_NE(broken.output.find("BROKEN at row 2"), std::string::npos) << broken.output;

  CommandResult broken_zh = Run("audit verify");
  EXPECT_EQ(broken_zh.exit_code, 1);
  EXPECT_NE(broken_zh.output.find("第一处在行 2"), std::string::npos) << broken_zh.output;
}

}  // namespace
