// The copy behind `salesradar migrate`. An SQLite installation is copied into a fresh PostgreSQL
// database and every table is compared row by row. The source holds the CRM sample imported with
// the importer, events, a published rule pack, engine state, audit rows and a notification
// channel. The PostgreSQL tests need SALESRADAR_TEST_PG_URL (scripts/pg-test-server.sh) and skip
// without it. The table-list and escaping tests run everywhere.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "cli/migrate_copy.h"
#include "ingest/importer.h"
#include "ingest/mapping.h"
#include "store/store.h"
#include "store/subject_bucket.h"

namespace {

namespace fs = std::filesystem;

const fs::path kSource = SALESRADAR_SOURCE_DIR;

using salesradar::Locale;
using salesradar::Result;
using salesradar::cli::migrate::CopySqliteToPostgres;
using salesradar::cli::migrate::MigrateOptions;
using salesradar::cli::migrate::MigrateSummary;

// Counts the importer's rejected rows and ignores its progress.
class QuietObserver final : public salesradar::ingest::ImportObserver {
 public:
  void OnRowError(std::string_view file, const salesradar::ingest::RowError& error) override {
    ++rejected;
    last_problem = std::string(file) + " line " + std::to_string(error.line);
  }
  void OnProgress(std::string_view, int64_t, uint64_t, uint64_t) override {}

  int64_t rejected = 0;
  std::string last_problem;
};

std::string ReadText(const fs::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

// A row as text: NULL is "<null>", a boolean is "0" or "1" on both backends.
using Row = std::vector<std::string>;
constexpr const char* kNull = "<null>";

void ExecuteSqlite(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
  std::string text = message == nullptr ? "" : message;
  sqlite3_free(message);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << text << "\n" << sql;
}

std::vector<std::string> SqliteTables(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db,
                     "SELECT name FROM sqlite_master WHERE type = 'table'"
                     " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name",
                     -1, &statement, nullptr);
  std::vector<std::string> tables;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(statement, 0)));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return tables;
}

// Reads `table` from SQLite with `columns` in order, sorted.
std::vector<Row> SqliteRows(const std::string& path, const std::string& table,
                            const std::vector<std::string>& columns) {
  std::string list;
  for (const std::string& column : columns) {
    list += (list.empty() ? "" : ", ") + column;
  }
  sqlite3* db = nullptr;
  sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  sqlite3_prepare_v2(db, ("SELECT " + list + " FROM " + table).c_str(), -1, &statement, nullptr);
  std::vector<Row> rows;
  while (sqlite3_step(statement) == SQLITE_ROW) {
    Row row;
    for (size_t i = 0; i < columns.size(); ++i) {
      const unsigned char* text = sqlite3_column_text(statement, static_cast<int>(i));
      row.emplace_back(text == nullptr ? kNull : reinterpret_cast<const char*>(text));
    }
    rows.push_back(std::move(row));
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  std::sort(rows.begin(), rows.end());
  return rows;
}

// A libpq connection for the checks, closed at scope end.
class PgClient {
 public:
  explicit PgClient(const std::string& url) : connection_(PQconnectdb(url.c_str())) {}
  ~PgClient() { PQfinish(connection_); }
  PgClient(const PgClient&) = delete;
  PgClient& operator=(const PgClient&) = delete;

  bool ok() const { return PQstatus(connection_) == CONNECTION_OK; }
  std::string error() const { return PQerrorMessage(connection_); }

  // Runs `sql` and returns its rows as text, with booleans as "0" and "1".
  std::vector<Row> Query(const std::string& sql) {
    std::vector<Row> rows;
    PGresult* result = PQexec(connection_, sql.c_str());
    EXPECT_TRUE(PQresultStatus(result) == PGRES_TUPLES_OK ||
                PQresultStatus(result) == PGRES_COMMAND_OK)
        << PQresultErrorMessage(result) << "\n" << sql;
    for (int r = 0; r < PQntuples(result); ++r) {
      Row row;
      for (int c = 0; c < PQnfields(result); ++c) {
        std::string value = PQgetisnull(result, r, c) ? kNull : PQgetvalue(result, r, c);
        if (PQftype(result, c) == 16) {  // BOOLOID
          value = value == "t" ? "1" : "0";
        }
        row.push_back(value);
      }
      rows.push_back(std::move(row));
    }
    PQclear(result);
    return rows;
  }

 private:
  PGconn* connection_;
};

// Replaces the database name at the end of a postgresql:// URL.
std::string WithDatabase(const std::string& url, const std::string& database) {
  size_t slash = url.rfind('/');
  size_t query = url.find('?', slash);
  std::string rest = query == std::string::npos ? "" : url.substr(query);
  return url.substr(0, slash + 1) + database + rest;
}

TEST(MigrateTables, CopyListMatchesSqliteSchema) {
  fs::path path = fs::temp_directory_path() / ("salesradar-migrate-list-" +
                                                std::to_string(::getpid()) + ".db");
  fs::remove(path);
  {
    auto store = salesradar::store::Open(path.string());
    ASSERT_TRUE(store.ok()) << store.error().message(salesradar::Locale::kEnglish);
  }

  std::vector<std::string> tables = SqliteTables(path.string());
  std::set<std::string> copied(salesradar::cli::migrate::CopiedTables().begin(),
                               salesradar::cli::migrate::CopiedTables().end());
  for (const std::string& table : tables) {
    EXPECT_TRUE(copied.contains(table))
        << "a migration added table " << table << "; add it to kCopiedTables in migrate_copy.cc";
  }
  EXPECT_EQ(copied.size(), tables.size());
  fs::remove(path);
}

TEST(MigrateCopyText, EscapesSpecialCharacters) {
  std::string out;
  salesradar::cli::migrate::AppendCopyText("a\tb\nc\rd\\e\\N 中文", &out);
  EXPECT_EQ(out, "a\\tb\\nc\\rd\\\\e\\\\N 中文");
}

class MigratePgTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("SALESRADAR_TEST_PG_URL");
    if (url == nullptr || *url == '\0') {
      // CTest's SKIP_REGULAR_EXPRESSION matches this line; gtest's brief output hides skips.
      std::printf("PostgreSQL is not available (SALESRADAR_TEST_PG_URL is not set)\n");
      GTEST_SKIP() << "PostgreSQL is not available: SALESRADAR_TEST_PG_URL is not set";
    }
    admin_url_ = url;
    database_ = "salesradar_migrate_" + std::to_string(::getpid()) + "_" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name();
    std::transform(database_.begin(), database_.end(), database_.begin(), ::tolower);
    PgClient admin(admin_url_);
    ASSERT_TRUE(admin.ok()) << admin.error();
    admin.Query("DROP DATABASE IF EXISTS " + database_);
    admin.Query("CREATE DATABASE " + database_);
    target_url_ = WithDatabase(admin_url_, database_);

    directory_ = fs::temp_directory_path() / database_;
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    source_ = (directory_ / "source.db").string();
  }

  void TearDown() override {
    if (admin_url_.empty()) {
      return;
    }
    PgClient admin(admin_url_);
    admin.Query("DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
    std::error_code ignored;
    fs::remove_all(directory_, ignored);
  }

  Result<MigrateSummary> Migrate(bool migrate_source = false) {
    MigrateOptions options;
    options.source_path = source_;
    options.target_url = target_url_;
    options.migrate_source = migrate_source;
    options.on_table_copied = [this](const salesradar::cli::migrate::TableCopied& table) {
      reported_tables_.push_back(table.table);
    };
    return CopySqliteToPostgres(options);
  }

  // Fills the source through the store and the importer (records, events, a pack, a sign-in)
  // and adds engine and notification rows with SQL, with text that COPY must escape.
  void BuildSource() {
    Result<std::unique_ptr<salesradar::store::Store>> opened = salesradar::store::Open(source_);
    ASSERT_TRUE(opened.ok()) << opened.error().message_en();
    salesradar::store::Store& store = **opened;

    QuietObserver observer;
    salesradar::ingest::ImportOptions import_options;
    import_options.job_id = "migrate-test";
    salesradar::ingest::Importer importer(store, import_options, observer);
    for (const char* name : {"sales_teams", "accounts", "products", "sales_pipeline"}) {
      Result<salesradar::ingest::Mapping> mapping = salesradar::ingest::LoadMapping(
          (kSource / "examples/mappings" / (std::string(name) + ".yaml")).string());
      ASSERT_TRUE(mapping.ok()) << mapping.error().message_en();
      auto prepared = importer.Prepare(
          *mapping,
          (kSource / "examples/data/crm-sales-opportunities" / (std::string(name) + ".csv"))
              .string());
      ASSERT_TRUE(prepared.ok()) << prepared.error().message_en();
      auto summaries = importer.Run(*prepared);
      ASSERT_TRUE(summaries.ok()) << summaries.error().message_en();
    }
    EXPECT_EQ(observer.rejected, 0) << observer.last_problem;

    std::vector<salesradar::rules::Event> events;
    for (int i = 0; i < 200; ++i) {
      salesradar::rules::Event event;
      event.id = "evt-" + std::to_string(i);
      event.type = i % 2 == 0 ? "visit_checked_in" : "call_logged";
      event.subject = {"opportunity", std::to_string(i % 37)};
      event.actor = "user:1";
      event.occurred_at = salesradar::FromUnixMicros(1'700'000'000'000'000 + i * 1'000'000);
      event.received_at = event.occurred_at;
      event.payload = {{"note", "拜访\t记录\n第 " + std::to_string(i) + " 条 \\ 完"}};
      events.push_back(std::move(event));
    }
    auto appended = store.AppendEvents(events);
    ASSERT_TRUE(appended.ok()) << appended.error().message_en();

    auto published = store.PublishRulePack(
        "bpi2012", 1, ReadText(kSource / "examples/rules/bpi2012.yaml"), "tester");
    ASSERT_TRUE(published.ok()) << published.error().message_en();

    salesradar::store::Credentials credentials;
    credentials.user_id = 1;
    credentials.login = "wang";
    credentials.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA";
    auto created = store.CreateCredentials(credentials, salesradar::store::AuditContext::System());
    ASSERT_TRUE(created.ok()) << created.error().message_en();
    opened->reset();

    ExecuteSqlite(source_, R"sql(
      INSERT INTO rule_windows VALUES ('bpi', 'offer-no-follow-up', 'case', '173688', 1,
        1700000000000000, '{' || char(9) || '"note":' || char(13) || char(10) || '"tab"}', 0);
      INSERT INTO rule_counters VALUES ('bpi', 'count', 'case', '173691', 1,
        '{"lines":"one\ntwo\r\nthree","path":"C:\\temp\\N"}', 0);
      INSERT INTO alerts VALUES ('a-1', 'bpi', 'offer-no-follow-up', 1, 'case', '173688', 'high',
        'open', 0, '{"title":' || char(9) || '"跟进超时"}', 0);
      INSERT INTO alerts VALUES ('a-2', 'bpi', 'count', 1, 'case', '173691', 'low', 'resolved',
        1, '{}', 0);
      INSERT INTO alert_history VALUES ('a-1', 1, '{"status":"open"}');
      INSERT INTO tickets VALUES ('t-1', 'a-1', 'cs', 1, '{"x":"\\"}', 0);
      INSERT INTO processed_events VALUES ('evt-1', 1700000000000001);
      INSERT INTO alert_outbox (alert_id, body, created_at, sent_at)
        VALUES ('a-1', '{}', 1700000000000002, NULL);
      INSERT INTO notify_channels (name, kind, enabled, config, sealed_secrets, created_at,
        updated_at) VALUES ('企业微信', 'wecom', 1, '{"url":"http://127.0.0.1:9/x"}', 'sealed',
        1, 2);
      INSERT INTO notify_channels (name, kind, enabled, config, created_at, updated_at)
        VALUES ('off', 'webhook', 0, '{}', 1, 2);
      INSERT INTO notify_addresses (owner_kind, owner, channel_id, target, locale)
        VALUES ('department', 'cs', 1, '', 'zh-CN');
      INSERT INTO notify_messages (source, channel_id, body, next_attempt_at, created_at)
        VALUES ('alert:a-1', 1, 'line1
line2', 5, 6);
      INSERT INTO notify_cursors VALUES ('alerts', 1);
      INSERT INTO cluster_settings VALUES ('partitions', '16');
      INSERT INTO notify_settings VALUES ('digest_weekday', '3');
      INSERT INTO alert_actions (alert_id, bucket, kind, actor, requested_at, done)
        VALUES ('a-1', 77, 'acknowledge', 'user:1', 5, 1);
      INSERT INTO leases VALUES ('notifier', 'node-a', 3, 10, 9);
      INSERT INTO cluster_nodes VALUES ('node-a', 1, 2, '127.0.0.1:8080', 'test');
      INSERT INTO custom_field_definitions (entity, name, type, required, allowed_values,
        label_zh, label_en, created_at, updated_at)
        VALUES ('account', 'vip', 'bool', 1, '[]', '重点客户', 'VIP', 1, 1);
      INSERT INTO custom_field_values (field_id, entity_id, bool_value, date_value)
        VALUES (1, 1, 1, '2024-02-29');
      INSERT INTO sessions VALUES ('hash-1', 1, 1, 2, 3, 'csrf');
      INSERT INTO api_tokens (token_hash, name, user_id, scopes, created_at)
        VALUES ('hash-2', 'ci', 1, '["read"]', 1);
      UPDATE events SET bucket = 0 WHERE seq % 2 = 0;
    )sql");
  }

  // Returns the bucket that the copy must write for a row of `table` in `columns` order.
  std::string ExpectedBucket(const std::string& table, const std::vector<std::string>& columns,
                             const Row& row, const std::map<std::string, std::string>& alert_buckets) {
    auto value = [&](const std::string& name) {
      auto at = std::find(columns.begin(), columns.end(), name);
      return row[static_cast<size_t>(at - columns.begin())];
    };
    if (value("bucket") != "0") {
      return value("bucket");
    }
    if (table == "tickets") {
      return alert_buckets.at(value("alert_id"));
    }
    return std::to_string(salesradar::store::SubjectBucket(value("subject_type"),
                                                           value("subject_id")));
  }

  std::string admin_url_;
  std::string database_;
  std::string target_url_;
  fs::path directory_;
  std::string source_;
  std::vector<std::string> reported_tables_;
};

TEST_F(MigratePgTest, CopiesEveryTableRowByRow) {
  BuildSource();
  if (HasFatalFailure()) {
    return;
  }

  Result<MigrateSummary> migrated = Migrate();
  ASSERT_TRUE(migrated.ok()) << migrated.error().message_en();
  EXPECT_EQ(reported_tables_.size(), salesradar::cli::migrate::CopiedTables().size());
  EXPECT_GT(migrated->rows, 0);

  PgClient target(target_url_);
  ASSERT_TRUE(target.ok()) << target.error();
  std::map<std::string, std::string> alert_buckets;
  std::vector<std::string> tables = SqliteTables(source_);
  // tickets last, so that the expected bucket of a ticket's alert is known.
  std::sort(tables.begin(), tables.end(), [](const std::string& a, const std::string& b) {
    auto rank = [](const std::string& t) { return t == "tickets" ? 1 : 0; };
    return std::make_pair(rank(a), a) < std::make_pair(rank(b), b);
  });

  for (const std::string& table : tables) {
    SCOPED_TRACE("table " + table);
    std::vector<std::string> columns;
    for (const Row& row : target.Query(
             "SELECT column_name FROM information_schema.columns WHERE table_schema ="
             " current_schema() AND table_name = '" + table + "' ORDER BY ordinal_position")) {
      columns.push_back(row[0]);
    }
    ASSERT_FALSE(columns.empty()) << "the target has no table " << table;

    std::string list;
    for (const std::string& column : columns) {
      list += (list.empty() ? "" : ", ") + column;
    }
    std::vector<Row> expected = SqliteRows(source_, table, columns);
    auto bucket = std::find(columns.begin(), columns.end(), "bucket");
    if (bucket != columns.end() && table != "alert_actions") {
      size_t index = static_cast<size_t>(bucket - columns.begin());
      for (Row& row : expected) {
        row[index] = ExpectedBucket(table, columns, row, alert_buckets);
        if (table == "alerts") {
          alert_buckets[row[0]] = row[index];
        }
      }
      std::sort(expected.begin(), expected.end());
    }

    std::vector<Row> actual = target.Query("SELECT " + list + " FROM " + table);
    std::sort(actual.begin(), actual.end());
    EXPECT_EQ(actual.size(), expected.size());
    EXPECT_EQ(actual, expected);
  }

  for (const char* table : {"org_units", "users", "accounts", "opportunities", "events",
                            "rule_pack_versions", "credentials", "audit_log", "rule_windows",
                            "alerts", "tickets", "notify_channels"}) {
    EXPECT_FALSE(target.Query(std::string("SELECT 1 FROM ") + table + " LIMIT 1").empty())
        << "the source data should fill " << table;
  }

  Result<std::unique_ptr<salesradar::store::Store>> pg = salesradar::store::Open(target_url_);
  ASSERT_TRUE(pg.ok()) << pg.error().message_en();
  auto chain = (*pg)->VerifyAuditChain();
  ASSERT_TRUE(chain.ok()) << chain.error().message_en();
  EXPECT_TRUE(chain->ok());
  EXPECT_GT(chain->rows_checked, 0);

  // A write after the copy gets a fresh id: the identity sequences were moved past the copy.
  salesradar::model::Record account{salesradar::model::EntityKind::kAccount, "after-migrate", {}, {}};
  account.fields["name"] = std::string("迁移后新建");
  account.custom_fields["vip"] = true;  // the copied definition makes it required
  auto written = (*pg)->Upsert(std::span<const salesradar::model::Record>(&account, 1));
  ASSERT_TRUE(written.ok()) << written.error().message_en();
  EXPECT_EQ((*written)[0].outcome, salesradar::store::UpsertOutcome::kInserted)
      << ((*written)[0].error ? (*written)[0].error->message_en() : "");
  std::string max_before = SqliteRows(source_, "accounts", {"MAX(id)"})[0][0];
  EXPECT_EQ((*written)[0].id, std::stoll(max_before) + 1);
}

TEST_F(MigratePgTest, RejectsTargetThatHoldsRows) {
  BuildSource();
  if (HasFatalFailure()) {
    return;
  }
  Result<MigrateSummary> first = Migrate();
  ASSERT_TRUE(first.ok()) << first.error().message_en();

  Result<MigrateSummary> again = Migrate();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code(), salesradar::ErrorCode::kFailedPrecondition);
  EXPECT_NE(again.error().message_en().find("table org_units already holds rows"),
            std::string::npos)
      << again.error().message_en();
}

TEST_F(MigratePgTest, InvalidUtf8LeavesTargetEmpty) {
  BuildSource();
  if (HasFatalFailure()) {
    return;
  }
  ExecuteSqlite(source_, "UPDATE notify_channels SET config = CAST(X'7B22FF227D' AS TEXT)"
                         " WHERE name = 'off'");

  Result<MigrateSummary> migrated = Migrate();
  ASSERT_FALSE(migrated.ok());
  EXPECT_EQ(migrated.error().code(), salesradar::ErrorCode::kInvalidArgument);
  EXPECT_NE(migrated.error().message_en().find("notify_channels row 2 column config"),
            std::string::npos)
      << migrated.error().message_en();

  PgClient target(target_url_);
  ASSERT_TRUE(target.ok()) << target.error();
  for (std::string_view table : salesradar::cli::migrate::CopiedTables()) {
    EXPECT_TRUE(target.Query("SELECT 1 FROM " + std::string(table) + " LIMIT 1").empty())
        << "table " << table << " should stay empty after a failed copy";
  }
}

// A source at schema version 4 (before the bucket columns) is migrated in place only when asked,
// and its events then get their buckets computed from the subject.
TEST_F(MigratePgTest, OlderSourceNeedsMigrateSourceFlag) {
  std::string sql;
  for (int version = 1; version <= 4; ++version) {
    for (const auto& entry : fs::directory_iterator(kSource / "src/store/migrations/sqlite")) {
      std::string name = entry.path().filename().string();
      if (name.starts_with("000" + std::to_string(version) + "_")) {
        sql += ReadText(entry.path()) + ";\n";
        sql += "INSERT INTO schema_migrations VALUES (" + std::to_string(version) + ", '" + name +
               "', 1);\n";
      }
    }
  }
  ExecuteSqlite(source_,
                "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                " applied_at INTEGER NOT NULL);\n" + sql +
                "INSERT INTO events (id, type, subject_type, subject_id, occurred_at, received_at)"
                " VALUES ('e1', 'visit', 'account', '42', 1, 2), ('e2', 'call', 'lead', '7', 3, 4);");

  Result<MigrateSummary> refused = Migrate();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), salesradar::ErrorCode::kFailedPrecondition);
  EXPECT_NE(refused.error().message_en().find("--migrate-source"), std::string::npos)
      << refused.error().message_en();

  Result<MigrateSummary> migrated = Migrate(/*migrate_source=*/true);
  ASSERT_TRUE(migrated.ok()) << migrated.error().message_en();

  PgClient target(target_url_);
  ASSERT_TRUE(target.ok()) << target.error();
  std::vector<Row> buckets = target.Query("SELECT id, bucket FROM events ORDER BY id");
  ASSERT_EQ(buckets.size(), 2u);
  EXPECT_EQ(buckets[0][1], std::to_string(salesradar::store::SubjectBucket("account", "42")));
  EXPECT_EQ(buckets[1][1], std::to_string(salesradar::store::SubjectBucket("lead", "7")));
}

}  // namespace
