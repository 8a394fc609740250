// The Store contract run against SQLite, and the checks that only make sense for SQLite:
// migrations, WAL mode, the column layout, and files that are not databases.
#include <fstream>
#include <set>

#include <sqlite3.h>

#include "store/sqlite/columns.h"
#include "store/sqlite/migrations.h"
#include "store/store_alert_contract_test.h"
#include "store/store_contract_test.h"
#include "store/store_notify_contract_test.h"

namespace salesradar::store::testing {

struct SqliteFileBackend {
  static constexpr const char* kName = "sqlite";

  static std::string CreateDatabase(const std::filesystem::path& scratch) {
    return (scratch / "salesradar.db").string();
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreContractTest, SqliteFileBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreAlertContractTest, SqliteFileBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreNotifyContractTest, SqliteFileBackend);

namespace {

// Raw access to the database file, to inspect and tamper with what the Store wrote.
class RawDatabase {
 public:
  explicit RawDatabase(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDatabase() { sqlite3_close(db_); }

  void Execute(const std::string& sql) {
    char* message = nullptr;
    int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    EXPECT_EQ(rc, SQLITE_OK) << sql << ": " << (message ? message : "");
    sqlite3_free(message);
  }

  // Returns the first column of every row of `sql`, as text.
  std::vector<std::string> Column(const std::string& sql) {
    std::vector<std::string> values;
    sqlite3_stmt* stmt = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
    while (stmt != nullptr && sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      values.emplace_back(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    sqlite3_finalize(stmt);
    return values;
  }

 private:
  sqlite3* db_ = nullptr;
};

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    scratch_ = std::filesystem::temp_directory_path() /
               ("salesradar-sqlite-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(scratch_);
    std::filesystem::create_directories(scratch_);
    path_ = (scratch_ / "salesradar.db").string();
  }

  void TearDown() override {
    std::error_code ignored;
    std::filesystem::remove_all(scratch_, ignored);
  }

  Result<std::unique_ptr<Store>> OpenStore() {
    OpenOptions options;
    options.clock = &clock_;
    return Open(path_, options);
  }

  std::filesystem::path scratch_;
  std::string path_;
  ManualClock clock_{kStart};
};

TEST_F(SqliteStoreTest, MigratesEmptyDatabase) {
  ASSERT_TRUE(OpenStore().ok());

  RawDatabase raw(path_);
  std::vector<std::string> versions = raw.Column("SELECT version FROM schema_migrations");
  ASSERT_EQ(versions.size(), sqlite::EmbeddedMigrations().size());
  EXPECT_EQ(versions.front(), "1");
  EXPECT_EQ(raw.Column("SELECT name FROM schema_migrations WHERE version = 1").at(0),
            "0001_initial.sql");
  EXPECT_EQ(raw.Column("SELECT applied_at FROM schema_migrations").at(0),
            std::to_string(ToUnixMicros(kStart)));
}

TEST_F(SqliteStoreTest, ReopenAppliesNothing) {
  ASSERT_TRUE(OpenStore().ok());
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(OpenStore().ok());

  RawDatabase raw(path_);
  EXPECT_EQ(raw.Column("SELECT COUNT(*) FROM schema_migrations").at(0),
            std::to_string(sqlite::EmbeddedMigrations().size()));
  EXPECT_EQ(raw.Column("SELECT MAX(applied_at) FROM schema_migrations").at(0),
            std::to_string(ToUnixMicros(kStart)));
}

TEST_F(SqliteStoreTest, RejectsNewerSchema) {
  ASSERT_TRUE(OpenStore().ok());
  int future = LatestSchemaVersion() + 1;
  {
    RawDatabase raw(path_);
    raw.Execute("INSERT INTO schema_migrations VALUES (" + std::to_string(future) +
                ", '9999_future.sql', 0)");
  }

  Result<std::unique_ptr<Store>> opened = OpenStore();
  ASSERT_FALSE(opened.ok());
  const Error& error = opened.error();
  EXPECT_EQ(error.code(), ErrorCode::kDataLoss);
  EXPECT_NE(error.message_en().find("schema version " + std::to_string(future)), std::string::npos)
      << error.message_en();
  EXPECT_NE(error.message_en().find("version " + std::to_string(LatestSchemaVersion())),
            std::string::npos);
  EXPECT_NE(error.message_en().find("upgrade SalesRadar"), std::string::npos);
  EXPECT_NE(error.message_zh().find("请升级 SalesRadar"), std::string::npos);
  EXPECT_NE(error.message_zh().find(std::to_string(future)), std::string::npos);

  RawDatabase raw(path_);
  EXPECT_EQ(raw.Column("SELECT MAX(version) FROM schema_migrations").at(0),
            std::to_string(future));
}

TEST_F(SqliteStoreTest, UsesWalJournal) {
  ASSERT_TRUE(OpenStore().ok());
  RawDatabase raw(path_);
  EXPECT_EQ(raw.Column("PRAGMA journal_mode").at(0), "wal");
}

// Every built-in field of the model has its columns in the migrated schema.
TEST_F(SqliteStoreTest, ColumnsMatchModel) {
  ASSERT_TRUE(OpenStore().ok());
  RawDatabase raw(path_);
  for (model::EntityKind kind : model::AllEntityKinds()) {
    std::string table(sqlite::TableName(kind));
    std::vector<std::string> names =
        raw.Column("SELECT name FROM pragma_table_info('" + table + "')");
    std::set<std::string> columns(names.begin(), names.end());
    for (const char* common : {"id", "external_id", "created_at", "updated_at"}) {
      EXPECT_TRUE(columns.contains(common)) << table << "." << common;
    }
    EXPECT_EQ(columns.contains("name_key"), model::HasNameField(kind)) << table;
    for (const model::FieldSpec& spec : model::BuiltInFields(kind)) {
      for (const std::string& column : sqlite::ColumnsOf(spec)) {
        EXPECT_TRUE(columns.contains(column)) << table << "." << column;
      }
    }
  }
}

// SQLite has one writer at a time: Begin takes the write lock, so a second Store's Begin waits
// for the busy timeout and then fails with kUnavailable.
TEST_F(SqliteStoreTest, SecondWriterTimesOut) {
  auto first = OpenStore();
  ASSERT_TRUE(first.ok());
  OpenOptions options;
  options.busy_timeout_ms = 50;
  auto second = Open(path_, options);
  ASSERT_TRUE(second.ok());

  ASSERT_TRUE((*first)->Begin().ok());
  Status begin = (*second)->Begin();
  ASSERT_FALSE(begin.ok());
  EXPECT_EQ(begin.error().code(), ErrorCode::kUnavailable);
  EXPECT_NE(begin.error().message_en().find("retry later"), std::string::npos)
      << begin.error().message_en();

  ASSERT_TRUE((*first)->Commit().ok());
  EXPECT_TRUE((*second)->Begin().ok());
  EXPECT_TRUE((*second)->Rollback().ok());
}

TEST_F(SqliteStoreTest, EmbeddedMigrationsNumberedFromOne) {
  int expected = 1;
  for (const sqlite::Migration& migration : sqlite::EmbeddedMigrations()) {
    EXPECT_EQ(migration.version, expected++);
    EXPECT_FALSE(migration.sql.empty());
  }
  EXPECT_EQ(LatestSchemaVersion(), expected - 1);
}

TEST_F(SqliteStoreTest, RejectsFileThatIsNotDatabase) {
  std::ofstream(path_) << "opportunity_id,sales_agent\n1C1I7A6R,Moses Frase\n";
  Result<std::unique_ptr<Store>> opened = OpenStore();
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kDataLoss) << opened.error().message_en();
}

TEST_F(SqliteStoreTest, MissingDirectoryIsUnavailable) {
  path_ = (scratch_ / "no-such-dir" / "salesradar.db").string();
  Result<std::unique_ptr<Store>> opened = OpenStore();
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code(), ErrorCode::kUnavailable) << opened.error().message_en();
}

TEST_F(SqliteStoreTest, OpenAcceptsUrlForms) {
  EXPECT_TRUE(Open("sqlite:" + path_).ok());
  EXPECT_TRUE(Open("sqlite://" + path_).ok());
  EXPECT_TRUE(Open(":memory:").ok());

  EXPECT_EQ(Open("").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Open("sqlite:").error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(Open("mysql://localhost/db").error().code(), ErrorCode::kInvalidArgument);
  // A PostgreSQL URL goes to the PostgreSQL backend; nothing listens on port 1.
  EXPECT_EQ(Open("postgresql://127.0.0.1:1/salesradar?connect_timeout=2").error().code(),
            ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace salesradar::store::testing
