// `salesradar import` as a user runs it: exit codes, messages, and a SIGKILL in the middle of
// a large import.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

extern char** environ;

namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = SALESRADAR_SOURCE_DIR;
const fs::path kBinary = SALESRADAR_BINARY;
const fs::path kTestData = kSourceDir / "tests/data/ingest";

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadFile(const fs::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

class ImportCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::path(::testing::TempDir()) / "import_command" / info->name();
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    database_ = directory_ / "salesradar.db";
  }

  // Starts `salesradar --database DB ARGS...` with stdout and stderr in files, and `extra_env`
  // ("NAME=value") added to the environment. Returns the process id.
  pid_t Start(const std::vector<std::string>& args,
              const std::vector<std::string>& extra_env = {}) {
    std::vector<std::string> argv_strings = {kBinary.string(), "--database", database_.string()};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& arg : argv_strings) {
      argv.push_back(arg.data());
    }
    argv.push_back(nullptr);

    // The environment without the locale variables, so the default (Chinese) applies.
    std::vector<std::string> env_strings;
    for (char** entry = environ; *entry != nullptr; ++entry) {
      std::string text = *entry;
      if (!text.starts_with("SALESRADAR_") && !text.starts_with("LC_") &&
          !text.starts_with("LANG=")) {
        env_strings.push_back(text);
      }
    }
    env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
    std::vector<char*> env;
    for (std::string& entry : env_strings) {
      env.push_back(entry.data());
    }
    env.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, (directory_ / "out.txt").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, (directory_ / "err.txt").c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = 0;
    int status = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), env.data());
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(status, 0) << "cannot start " << kBinary;
    return pid;
  }

  ProcessResult Wait(pid_t pid) {
    int status = 0;
    waitpid(pid, &status, 0);
    ProcessResult result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    result.out = ReadFile(directory_ / "out.txt");
    result.err = ReadFile(directory_ / "err.txt");
    return result;
  }

  ProcessResult Run(const std::vector<std::string>& args,
                    const std::vector<std::string>& extra_env = {}) {
    return Wait(Start(args, extra_env));
  }

  // Returns SELECT count(*) and count(DISTINCT external_id) of the opportunities table, read
  // with a separate read-only connection; -1 when the table is not there yet.
  std::pair<int64_t, int64_t> CountOpportunities() {
    sqlite3* db = nullptr;
    std::pair<int64_t, int64_t> counts{-1, -1};
    if (sqlite3_open_v2(database_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
      sqlite3_busy_timeout(db, 5000);
      sqlite3_stmt* statement = nullptr;
      const char* sql = "SELECT count(*), count(DISTINCT external_id) FROM opportunities";
      if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK &&
          sqlite3_step(statement) == SQLITE_ROW) {
        counts = {sqlite3_column_int64(statement, 0), sqlite3_column_int64(statement, 1)};
      }
      sqlite3_finalize(statement);
    }
    sqlite3_close(db);
    return counts;
  }

  std::string Path(const char* name) { return (kTestData / name).string(); }

  fs::path directory_;
  fs::path database_;
};

TEST_F(ImportCommandTest, AllRowsImportedExitsZero) {
  ProcessResult result =
      Run({"import", "-m", Path("mappings/cn_teams.yaml"), Path("cn_teams.gbk.csv")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("cn_teams.gbk.csv → 用户（user，销售）：读取 4 行：新增 4"),
            std::string::npos)
      << result.out;
  EXPECT_EQ(result.err, "");
}

TEST_F(ImportCommandTest, RejectedRowsExitOneWithFileLines) {
  ProcessResult result = Run({"import", "--mapping", Path("mappings/broken_opportunities.yaml"),
                              Path("broken_opportunities.csv")});
  EXPECT_EQ(result.exit_code, 1);
  std::string file = Path("broken_opportunities.csv");
  EXPECT_NE(result.err.find(file + ":5: column 'amount': 金额为负数；金额必须大于或等于 0 "
                                   "(value '-5')"),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.out.find("新增 3，更新 0，未变 0，拒绝 6"), std::string::npos) << result.out;
}

TEST_F(ImportCommandTest, EnglishFromLangOptionAndEnvironment) {
  std::vector<std::string> args = {"import", "--mapping",
                                   Path("mappings/broken_opportunities.yaml"),
                                   Path("broken_opportunities.csv")};
  ProcessResult from_env = Run(args, {"SALESRADAR_LANG=en"});
  EXPECT_NE(from_env.err.find(":5: column 'amount': amount is negative; amounts must be 0 or "
                              "more (value '-5')"),
            std::string::npos)
      << from_env.err;

  std::vector<std::string> with_flag = {"--lang", "en"};
  with_flag.insert(with_flag.end(), args.begin(), args.end());
  ProcessResult from_flag = Run(with_flag);
  EXPECT_NE(from_flag.out.find("0 inserted, 0 updated, 3 unchanged, 6 rejected"), std::string::npos)
      << from_flag.out;
}

TEST_F(ImportCommandTest, MappingErrorExitsTwoWithMappingLine) {
  fs::path mapping = directory_ / "bad.yaml";
  std::ofstream(mapping) << "entity: opportunity\nexternal_id: id\nfields:\n  stage: stage\n"
                            "  ammount: amount\n";
  ProcessResult result =
      Run({"--lang", "en", "import", "-m", mapping.string(), Path("broken_opportunities.csv")});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find(mapping.string() + ":5: unknown field 'ammount' of opportunity; did "
                                               "you mean 'amount'?"),
            std::string::npos)
      << result.err;
}

TEST_F(ImportCommandTest, MissingColumnAndMissingFileExitTwo) {
  ProcessResult column = Run(
      {"--lang", "en", "import", "-m", Path("mappings/cn_accounts.yaml"), Path("cn_teams.csv")});
  EXPECT_EQ(column.exit_code, 2);
  EXPECT_NE(column.err.find("column '客户编号' is not in the header of"), std::string::npos)
      << column.err;
  EXPECT_NE(column.err.find("(header: 销售, 经理, 大区)"), std::string::npos) << column.err;

  ProcessResult file = Run({"--lang", "en", "import", "-m", Path("mappings/cn_teams.yaml"),
                            (directory_ / "missing.csv").string()});
  EXPECT_EQ(file.exit_code, 2);
  EXPECT_NE(file.err.find("cannot open file"), std::string::npos) << file.err;
}

TEST_F(ImportCommandTest, UndetectableEncodingNamesFileAndFix) {
  fs::path latin1 = directory_ / "latin1.csv";
  std::ofstream(latin1, std::ios::binary) << "销售,经理,大区\n"                // UTF-8 header...
                                          << "Ren\xE9,M\xFCller,Z\xFCrich\n";  // ...Latin-1 rows
  ProcessResult result =
      Run({"--lang", "en", "import", "-m", Path("mappings/cn_teams.yaml"), latin1.string()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("cannot detect the encoding of file '" + latin1.string()),
            std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("--encoding gbk"), std::string::npos) << result.err;
}

TEST_F(ImportCommandTest, EncodingOptionOverridesDetection) {
  ProcessResult wrong = Run({"--lang", "en", "import", "--encoding", "utf-8", "-m",
                             Path("mappings/cn_teams.yaml"), Path("cn_teams.gbk.csv")});
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("line 1 contains bytes that are not valid UTF-8"), std::string::npos)
      << wrong.err;
  EXPECT_NE(wrong.err.find("pass --encoding gbk"), std::string::npos) << wrong.err;

  ProcessResult gbk = Run({"import", "--encoding", "gbk", "-m", Path("mappings/cn_teams.yaml"),
                           Path("cn_teams.gbk.csv")});
  EXPECT_EQ(gbk.exit_code, 0) << gbk.err;
}

TEST_F(ImportCommandTest, SeveralMappingsPairWithFilesInOrder) {
  ProcessResult result =
      Run({"import", "-m", Path("mappings/cn_teams.yaml"), Path("cn_teams.csv"), "-m",
           Path("mappings/cn_accounts.yaml"), Path("cn_accounts.csv"), "-m",
           Path("mappings/cn_opportunities.yaml"), Path("cn_opportunities.bom.csv")});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("合计：读取 24 行：新增 20"), std::string::npos) << result.out;

  ProcessResult mismatch = Run({"import", "-m", Path("mappings/cn_teams.yaml"), "-m",
                                Path("mappings/cn_accounts.yaml"), Path("cn_teams.csv")});
  EXPECT_EQ(mismatch.exit_code, 2);
}

// A SIGKILL leaves only whole batches, and running the same import again completes it with
// every row stored exactly once.
TEST_F(ImportCommandTest, KilledImportKeepsWholeBatches) {
  constexpr int64_t kRows = 200'000;
  constexpr int64_t kBatch = 500;
  fs::path csv = directory_ / "large.csv";
  {
    std::ofstream out(csv, std::ios::binary);
    out << "id,name,stage,amount,engage_date\r\n";
    for (int64_t i = 0; i < kRows; ++i) {
      out << "K" << i << ",Deal " << i << ",Won," << (i % 9000) << ".50,2024-01-05\r\n";
    }
  }
  std::vector<std::string> args = {"import",
                                   "--batch-size",
                                   std::to_string(kBatch),
                                   "--mapping",
                                   Path("mappings/broken_opportunities.yaml"),
                                   csv.string()};

  pid_t pid = Start(args);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int64_t seen = 0;
  while (seen < 20 * kBatch && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    seen = CountOpportunities().first;
  }
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  ProcessResult killed = Wait(pid);
  ASSERT_EQ(killed.exit_code, -SIGKILL) << "the import ended before it was killed; " << killed.out;

  auto [after_kill, distinct_after_kill] = CountOpportunities();
  EXPECT_GE(after_kill, 20 * kBatch);
  EXPECT_LT(after_kill, kRows);
  EXPECT_EQ(after_kill % kBatch, 0) << after_kill << " rows is not a whole number of batches";
  EXPECT_EQ(distinct_after_kill, after_kill);

  ProcessResult rerun = Run(args, {"SALESRADAR_LANG=en"});
  EXPECT_EQ(rerun.exit_code, 0) << rerun.err;
  auto [final_rows, final_distinct] = CountOpportunities();
  EXPECT_EQ(final_rows, kRows);
  EXPECT_EQ(final_distinct, kRows);
  std::string expected = std::to_string(kRows) +
                         " rows read: " + std::to_string(kRows - after_kill) +
                         " inserted, 0 updated, " + std::to_string(after_kill) + " unchanged";
  EXPECT_NE(rerun.out.find(expected), std::string::npos) << rerun.out;
}

}  // namespace
