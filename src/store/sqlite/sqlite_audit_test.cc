// The security contract run against SQLite, and the audit log's defences that only SQLite can
// show: the triggers that reject UPDATE and DELETE, and a row changed behind the store's back.
#include <sqlite3.h>

#include "store/store_query_contract_test.h"
#include "store/store_security_contract_test.h"

namespace salesradar::store::testing {

struct SqliteSecurityBackend {
  static constexpr const char* kName = "sqlite";

  static std::string CreateDatabase(const std::filesystem::path& scratch) {
    return (scratch / "salesradar.db").string();
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreSecurityContractTest, SqliteSecurityBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreQueryContractTest, SqliteSecurityBackend);

namespace {

// The database file opened with the plain SQLite C API, bypassing the Store.
class RawFile {
 public:
  explicit RawFile(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawFile() { sqlite3_close(db_); }

  // Runs `sql` and returns SQLite's result code; `*message` gets SQLite's error text.
  int Execute(const std::string& sql, std::string* message = nullptr) {
    char* text = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &text);
    if (message != nullptr) {
      *message = text != nullptr ? text : "";
    }
    sqlite3_free(text);
    return rc;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = std::filesystem::temp_directory_path() /
               ("salesradar-audit-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    path_ = (scratch_ / "salesradar.db").string();

    OpenOptions options;
    options.clock = &clock_;
    Result<std::unique_ptr<Store>> opened = Open(path_, options);
    ASSERT_TRUE(opened.ok());
    store_ = std::move(opened).value();

    // Three audit rows: two inserts and an update.
    Result<std::vector<UpsertResult>> written = store_->Upsert(
        std::vector<Record>{AccountRecord("A1", "甲公司"), AccountRecord("A2", "乙公司")});
    ASSERT_TRUE(written.ok());
    written = store_->Upsert(std::vector<Record>{AccountRecord("A2", "乙集团")});
    ASSERT_TRUE(written.ok());
  }

  void TearDown() override {
    store_.reset();
    std::error_code ignored;
    std::filesystem::remove_all(scratch_, ignored);
  }

  AuditChainReport Verify() {
    Result<AuditChainReport> report = store_->VerifyAuditChain();
    EXPECT_TRUE(report.ok());
    return report.ok() ? *report : AuditChainReport{};
  }

  std::filesystem::path scratch_;
  std::string path_;
  ManualClock clock_{kStart};
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteAuditTest, TriggersRejectUpdateAndDelete) {
  RawFile raw(path_);
  std::string message;
  EXPECT_NE(raw.Execute("UPDATE audit_log SET actor = 'someone' WHERE id = 2", &message),
            SQLITE_OK);
  EXPECT_NE(message.find("append-only"), std::string::npos) << message;
  EXPECT_NE(raw.Execute("DELETE FROM audit_log WHERE id = 2", &message), SQLITE_OK);
  EXPECT_NE(message.find("append-only"), std::string::npos) << message;
  EXPECT_TRUE(Verify().ok());
}

TEST_F(SqliteAuditTest, ChangedRowIsFoundWithItsId) {
  RawFile raw(path_);
  ASSERT_EQ(raw.Execute("DROP TRIGGER audit_log_reject_update"), SQLITE_OK);
  ASSERT_EQ(raw.Execute("UPDATE audit_log SET after_json = '{\"fields\":{\"name\":\"x\"}}'"
                        " WHERE id = 2"),
            SQLITE_OK);

  AuditChainReport report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.broken_id, std::optional<int64_t>(2));
  EXPECT_EQ(report.rows_checked, 2);
  EXPECT_NE(report.problem.en.find("audit row 2"), std::string::npos) << report.problem.en;
  EXPECT_NE(report.problem.en.find("does not match its hash"), std::string::npos);
  EXPECT_NE(report.problem.zh.find("审计行 2"), std::string::npos);
}

// Recomputing the changed row's own hash does not help: the next row's prev_hash still differs.
TEST_F(SqliteAuditTest, RehashedRowBreaksNextRow) {
  Result<std::vector<AuditEntry>> rows = store_->ListAudit(0, 10);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 3u);
  AuditEntry forged = (*rows)[1];
  forged.actor = "user:99";
  forged.hash = ComputeAuditHash(forged);

  RawFile raw(path_);
  ASSERT_EQ(raw.Execute("DROP TRIGGER audit_log_reject_update"), SQLITE_OK);
  ASSERT_EQ(raw.Execute("UPDATE audit_log SET actor = 'user:99', hash = '" + forged.hash +
                        "' WHERE id = 2"),
            SQLITE_OK);

  AuditChainReport report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.broken_id, std::optional<int64_t>(3));
  EXPECT_NE(report.problem.en.find("prev_hash"), std::string::npos) << report.problem.en;
}

TEST_F(SqliteAuditTest, DeletedRowIsFound) {
  RawFile raw(path_);
  ASSERT_EQ(raw.Execute("DROP TRIGGER audit_log_reject_delete"), SQLITE_OK);
  ASSERT_EQ(raw.Execute("DELETE FROM audit_log WHERE id = 2"), SQLITE_OK);

  AuditChainReport report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.broken_id, std::optional<int64_t>(3));
  EXPECT_NE(report.problem.en.find("row 2 before it is missing"), std::string::npos)
      << report.problem.en;
}

TEST_F(SqliteAuditTest, AuditOffWritesNoRecordRows) {
  OpenOptions options;
  options.clock = &clock_;
  options.audit_record_writes = false;
  Result<std::unique_ptr<Store>> quiet = Open(path_, options);
  ASSERT_TRUE(quiet.ok());
  ASSERT_TRUE((*quiet)->Upsert(std::vector<Record>{AccountRecord("A3", "丙公司")}).ok());
  EXPECT_EQ((*quiet)->ListAudit(0, 100)->size(), 3u);
}

}  // namespace
}  // namespace salesradar::store::testing
