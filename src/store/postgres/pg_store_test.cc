// The Store contract run against PostgreSQL, and the checks that only make sense there:
// migrations under concurrent starts, newer schemas, row locks, URLs and passwords.
//
// The server comes from SALESRADAR_TEST_PG_URL, for example the URL that
// `scripts/pg-test-server.sh start` prints. Without it, or when the server rejects the
// connection, every test that needs it is skipped with a message saying so.
#include <cstdio>
#include <cstdlib>
#include <set>
#include <thread>

#include <libpq-fe.h>

#include "store/postgres/pg_migrations.h"
#include "store/postgres/pg_url.h"
#include "store/sqlite/columns.h"
#include "store/store_alert_contract_test.h"
#include "store/store_contract_test.h"
#include "store/store_notify_contract_test.h"
#include "store/store_query_contract_test.h"
#include "store/store_rules_contract_test.h"
#include "store/store_security_contract_test.h"

namespace salesradar::store::testing {
namespace {

constexpr const char* kUrlVariable = "SALESRADAR_TEST_PG_URL";

// A libpq connection for the tests' own SQL: creating and dropping schemas, inspecting tables.
class RawConnection {
 public:
  explicit RawConnection(const std::string& url) : connection_(PQconnectdb(url.c_str())) {
    PQsetNoticeProcessor(connection_, [](void*, const char*) {}, nullptr);  // DROP ... CASCADE
  }
  ~RawConnection() { PQfinish(connection_); }

  bool ok() const { return PQstatus(connection_) == CONNECTION_OK; }
  std::string error() const { return PQerrorMessage(connection_); }

  // Returns whether a notification on `channel` arrives within `timeout`. REQUIRES: LISTEN ran.
  bool WaitForNotify(const std::string& channel, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      PQconsumeInput(connection_);
      while (PGnotify* notify = PQnotifies(connection_)) {
        bool match = channel == notify->relname;
        PQfreemem(notify);
        if (match) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
  }

  void Execute(const std::string& sql) {
    PGresult* result = PQexec(connection_, sql.c_str());
    ExecStatusType status = PQresultStatus(result);
    EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(result);
    PQclear(result);
  }

  // Returns the first column of every row of `sql`, as text ("NULL" for NULL).
  std::vector<std::string> Column(const std::string& sql) {
    std::vector<std::string> values;
    PGresult* result = PQexec(connection_, sql.c_str());
    EXPECT_EQ(PQresultStatus(result), PGRES_TUPLES_OK) << sql << ": "
                                                       << PQresultErrorMessage(result);
    for (int row = 0; row < PQntuples(result); ++row) {
      values.emplace_back(PQgetisnull(result, row, 0) ? "NULL" : PQgetvalue(result, row, 0));
    }
    PQclear(result);
    return values;
  }

 private:
  PGconn* connection_;
};

// The test server, checked once per process.
class TestServer {
 public:
  static TestServer& Get() {
    static TestServer server;
    return server;
  }

  bool available() const { return available_; }
  const std::string& reason() const { return reason_; }
  const std::string& url() const { return url_; }

  // Creates an empty schema and returns a URL whose search_path selects it. The schema is
  // dropped when the test program ends.
  std::string CreateSchema() {
    static int counter = 0;
    std::string schema =
        "salesradar_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
    RawConnection admin(url_);
    admin.Execute("CREATE SCHEMA " + schema);
    schemas_.push_back(schema);
    char separator = url_.find('?') == std::string::npos ? '?' : '&';
    return url_ + separator + "options=-c%20search_path%3D" + schema;
  }

  void DropSchemas() {
    if (schemas_.empty()) {
      return;
    }
    RawConnection admin(url_);
    for (const std::string& schema : schemas_) {
      admin.Execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    schemas_.clear();
  }

 private:
  TestServer() {
    const char* url = std::getenv(kUrlVariable);
    if (url == nullptr || url[0] == '\0') {
      reason_ = "SALESRADAR_TEST_PG_URL is not set";
      return;
    }
    url_ = url;
    RawConnection probe(url_);
    if (!probe.ok()) {
      reason_ = "the server at SALESRADAR_TEST_PG_URL does not answer: " + probe.error();
      return;
    }
    available_ = true;
  }

  std::string url_;
  std::string reason_;
  bool available_ = false;
  std::vector<std::string> schemas_;
};

// Skips every test when there is no server, and drops the test schemas at the end.
class PostgresEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    if (TestServer::Get().available()) {
      return;
    }
    // CTest's SKIP_REGULAR_EXPRESSION matches this line and reports the binary as skipped;
    // gtest's brief output would not show the skip message.
    std::printf(
        "PostgreSQL is not available (%s), so the pg tests are skipped. Run them with\n"
        "  export SALESRADAR_TEST_PG_URL=$(scripts/pg-test-server.sh start)\n"
        "and stop that server with scripts/pg-test-server.sh stop, or run make test.\n",
        TestServer::Get().reason().c_str());
    std::fflush(stdout);
    GTEST_SKIP() << "PostgreSQL is not available: " << TestServer::Get().reason();
  }

  void TearDown() override { TestServer::Get().DropSchemas(); }
};

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new PostgresEnvironment);

}  // namespace

struct PostgresBackend {
  static constexpr const char* kName = "postgres";

  // Returns the URL of a fresh schema; the scratch directory is not needed.
  static std::string CreateDatabase(const std::filesystem::path& /*scratch*/) {
    return TestServer::Get().CreateSchema();
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StoreContractTest, PostgresBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StoreSecurityContractTest, PostgresBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StoreQueryContractTest, PostgresBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StoreAlertContractTest, PostgresBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StoreNotifyContractTest, PostgresBackend);
INSTANTIATE_TYPED_TEST_SUITE_P(Postgres, StoreRulesContractTest, PostgresBackend);

namespace {

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { url_ = TestServer::Get().CreateSchema(); }

  Result<std::unique_ptr<Store>> OpenStore(int busy_timeout_ms = 5000) {
    OpenOptions options;
    options.clock = &clock_;
    options.busy_timeout_ms = busy_timeout_ms;
    return Open(url_, options);
  }

  // A raw connection whose search_path is the test's schema.
  RawConnection Raw() { return RawConnection(url_); }

  std::string url_;
  ManualClock clock_{kStart};
};

TEST_F(PgStoreTest, MigratesEmptySchema) {
  ASSERT_TRUE(OpenStore().ok());

  RawConnection raw = Raw();
  std::vector<std::string> versions =
      raw.Column("SELECT version FROM schema_migrations ORDER BY version");
  ASSERT_EQ(versions.size(), postgres::EmbeddedMigrations().size());
  EXPECT_EQ(versions.front(), "1");
  EXPECT_EQ(raw.Column("SELECT name FROM schema_migrations WHERE version = 1").at(0),
            "0001_initial.sql");
  EXPECT_EQ(raw.Column("SELECT applied_at FROM schema_migrations").at(0),
            std::to_string(ToUnixMicros(kStart)));
}

TEST_F(PgStoreTest, ReopenAppliesNothing) {
  ASSERT_TRUE(OpenStore().ok());
  clock_.Advance(std::chrono::hours(1));
  ASSERT_TRUE(OpenStore().ok());

  RawConnection raw = Raw();
  EXPECT_EQ(raw.Column("SELECT COUNT(*) FROM schema_migrations").at(0),
            std::to_string(postgres::EmbeddedMigrations().size()));
  EXPECT_EQ(raw.Column("SELECT MAX(applied_at) FROM schema_migrations").at(0),
            std::to_string(ToUnixMicros(kStart)));
}

// Nodes that start at the same time take turns on the advisory lock: each migration is applied
// once and every node opens.
TEST_F(PgStoreTest, ConcurrentOpensMigrateOnce) {
  constexpr int kNodes = 4;
  std::vector<std::thread> nodes;
  std::vector<int> opened(kNodes, 0);
  for (int i = 0; i < kNodes; ++i) {
    nodes.emplace_back([&, i] { opened[static_cast<size_t>(i)] = OpenStore().ok() ? 1 : 0; });
  }
  for (std::thread& node : nodes) {
    node.join();
  }

  for (int i = 0; i < kNodes; ++i) {
    EXPECT_EQ(opened[static_cast<size_t>(i)], 1) << "node " << i;
  }
  RawConnection raw = Raw();
  EXPECT_EQ(raw.Column("SELECT COUNT(*) FROM schema_migrations").at(0),
            std::to_string(postgres::EmbeddedMigrations().size()));
}

TEST_F(PgStoreTest, RejectsNewerSchema) {
  ASSERT_TRUE(OpenStore().ok());
  int future = LatestSchemaVersion() + 1;
  Raw().Execute("INSERT INTO schema_migrations VALUES (" + std::to_string(future) +
                ", '9999_future.sql', 0)");

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
  EXPECT_EQ(Raw().Column("SELECT MAX(version) FROM schema_migrations").at(0),
            std::to_string(future));
}

// Every built-in field of the model has its columns in the migrated schema.
TEST_F(PgStoreTest, ColumnsMatchModel) {
  ASSERT_TRUE(OpenStore().ok());
  RawConnection raw = Raw();
  for (model::EntityKind kind : model::AllEntityKinds()) {
    std::string table(sqlite::TableName(kind));
    std::vector<std::string> names =
        raw.Column("SELECT column_name FROM information_schema.columns"
                   " WHERE table_schema = current_schema() AND table_name = '" + table + "'");
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

// An Upsert locks the stored rows it compares. A second Store that updates the same row waits
// for the lock up to its busy timeout, then fails with kUnavailable and writes nothing.
TEST_F(PgStoreTest, ConcurrentUpdateWaitsForRowLock) {
  auto first = OpenStore();
  ASSERT_TRUE(first.ok());
  auto second = OpenStore(/*busy_timeout_ms=*/100);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE((*first)->Upsert(std::vector<Record>{OpportunityRecord("O1", "engaging")}).ok());

  ASSERT_TRUE((*first)->Begin().ok());
  ASSERT_TRUE((*first)->Upsert(std::vector<Record>{OpportunityRecord("O1", "won")}).ok());
  auto blocked = (*second)->Upsert(std::vector<Record>{OpportunityRecord("O1", "lost")});
  ASSERT_FALSE(blocked.ok());
  EXPECT_EQ(blocked.error().code(), ErrorCode::kUnavailable) << blocked.error().message_en();
  EXPECT_FALSE((*second)->InTransaction());
  ASSERT_TRUE((*first)->Commit().ok());

  auto retried = (*second)->Upsert(std::vector<Record>{OpportunityRecord("O1", "lost")});
  ASSERT_TRUE(retried.ok()) << retried.error().message_en();
  EXPECT_EQ((*retried)[0].outcome, UpsertOutcome::kUpdated);
  EXPECT_EQ(Raw().Column("SELECT string_agg(to_stage, ',' ORDER BY id)"
                         " FROM opportunity_stage_history").at(0),
            "engaging,won,lost");
}

// Money, dates and bools use PostgreSQL types; the raw columns hold what the model wrote.
TEST_F(PgStoreTest, StoresNativeColumnTypes) {
  auto store = OpenStore();
  ASSERT_TRUE(store.ok());
  Record deal = OpportunityRecord("O1", "won", 123456);
  deal.fields["engage_date"] = CivilDate{year(2017), month(3), day(9)};
  ASSERT_TRUE((*store)->Upsert(std::vector<Record>{deal}).ok());

  RawConnection raw = Raw();
  EXPECT_EQ(raw.Column("SELECT amount_fen FROM opportunities").at(0), "123456");
  EXPECT_EQ(raw.Column("SELECT amount_currency FROM opportunities").at(0), "CNY");
  EXPECT_EQ(raw.Column("SELECT to_char(engage_date, 'YYYY-MM-DD') FROM opportunities").at(0),
            "2017-03-09");
  EXPECT_EQ(raw.Column("SELECT created_at FROM opportunities").at(0),
            std::to_string(ToUnixMicros(kStart)));
}


// ---- Rules engine: buckets, fencing, locks ----

// The database clock in microseconds, as the leases table counts time.
constexpr const char* kDbNowMicros = "(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT";

class PgEngineStateTest : public PgStoreTest {
 protected:
  void SetUp() override {
    PgStoreTest::SetUp();
    auto store = OpenStore();
    ASSERT_TRUE(store.ok()) << store.error().ToLogString();
    store_ = std::move(*store);
    Raw().Execute(std::string("INSERT INTO leases (name, node_id, epoch, expires_at) VALUES ('partition/0', "
                              "'node-a', 3, ") + kDbNowMicros + " + 60000000)");
  }

  std::unique_ptr<rules::EngineStateStore> FencedState(std::string node_id, int64_t epoch) {
    EngineStateScope scope;
    scope.buckets = PartitionBuckets(0, 2);
    scope.lease_name = "partition/0";
    scope.node_id = std::move(node_id);
    scope.lease_epoch = epoch;
    auto state = store_->OpenScopedEngineState(scope);
    EXPECT_TRUE(state.ok());
    return state.ok() ? std::move(*state) : nullptr;
  }

  std::string CountRows(const std::string& table) {
    return Raw().Column("SELECT COUNT(*) FROM " + table).at(0);
  }

  void ExpectNothingWritten() {
    for (const char* table : {"rule_windows", "rule_counters", "alerts", "alert_history", "tickets",
                              "processed_events", "alert_outbox"}) {
      EXPECT_EQ(CountRows(table), "0") << table;
    }
  }

  std::unique_ptr<Store> store_;
};

// Opens the contract suite's batch builders to the tests below.
struct Rules : StoreRulesContractTest<PostgresBackend> {
  using StoreRulesContractTest<PostgresBackend>::FullBatch;
};

TEST_F(PgEngineStateTest, FencedApplyWithHeldLeaseWrites) {
  auto state = FencedState("node-a", 3);
  Status applied = state->Apply(Rules::FullBatch());
  ASSERT_TRUE(applied.ok()) << applied.error().message_en();
  EXPECT_EQ(CountRows("alerts"), "1");
  EXPECT_EQ(CountRows("processed_events"), "3");
}

TEST_F(PgEngineStateTest, FencedApplyWithStaleEpochWritesNothing) {
  auto state = FencedState("node-a", 2);
  Status applied = state->Apply(Rules::FullBatch());
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code(), ErrorCode::kFailedPrecondition);
  EXPECT_NE(applied.error().message_en().find("lease 'partition/0' at epoch 2"), std::string::npos)
      << applied.error().message_en();
  EXPECT_NE(applied.error().message_en().find("node 'node-a'"), std::string::npos);
  EXPECT_NE(applied.error().message_zh().find("租约 'partition/0'"), std::string::npos);
  ExpectNothingWritten();
}

TEST_F(PgEngineStateTest, FencedApplyByOtherNodeWritesNothing) {
  auto state = FencedState("node-b", 3);
  Status applied = state->Apply(Rules::FullBatch());
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code(), ErrorCode::kFailedPrecondition);
  ExpectNothingWritten();
}

TEST_F(PgEngineStateTest, FencedApplyAfterExpiryWritesNothing) {
  Raw().Execute(std::string("UPDATE leases SET expires_at = ") + kDbNowMicros + " - 1");
  auto state = FencedState("node-a", 3);
  Status applied = state->Apply(Rules::FullBatch());
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code(), ErrorCode::kFailedPrecondition);
  ExpectNothingWritten();

  // The connection is usable again after the rolled-back batch.
  EXPECT_TRUE(store_->CountOutboxBacklog().ok());
}

// A batch waits for a lock no longer than the lock timeout, then keeps nothing.
TEST_F(PgEngineStateTest, ApplyOnLockedTableLeavesNothing) {
  auto store = OpenStore(/*busy_timeout_ms=*/50);
  ASSERT_TRUE(store.ok());
  auto state = (*store)->OpenEngineState();
  ASSERT_TRUE(state.ok());
  RawConnection locker = Raw();
  locker.Execute("BEGIN");
  locker.Execute("LOCK TABLE alert_outbox IN EXCLUSIVE MODE");

  Status applied = (*state)->Apply(Rules::FullBatch());
  ASSERT_FALSE(applied.ok());
  EXPECT_EQ(applied.error().code(), ErrorCode::kUnavailable) << applied.error().message_en();
  locker.Execute("ROLLBACK");
  ExpectNothingWritten();
}

TEST_F(PgEngineStateTest, AppendEventsStoresBucketAndNotifies) {
  RawConnection listener = Raw();
  listener.Execute("LISTEN salesradar_events");
  std::vector<rules::Event> events = {LeadEvent("a", "x", "L-7", At(1)), LeadEvent("b", "x", "L-8", At(1))};
  Result<AppendEventsResult> appended = store_->AppendEvents(events);
  ASSERT_TRUE(appended.ok()) << appended.error().message_en();
  EXPECT_EQ(appended->inserted, 2);

  EXPECT_TRUE(listener.WaitForNotify("salesradar_events", std::chrono::seconds(5)));
  EXPECT_EQ(Raw().Column("SELECT bucket FROM events ORDER BY seq"),
            (std::vector<std::string>{std::to_string(SubjectBucket("lead", "L-7")),
                                      std::to_string(SubjectBucket("lead", "L-8"))}));
}

TEST_F(PgEngineStateTest, AppendEventsCountsDuplicatesWithinBatch) {
  std::vector<rules::Event> events = {LeadEvent("a", "x", "L-1", At(1)), LeadEvent("a", "y", "L-1", At(2)),
                                      LeadEvent("b", "x", "L-1", At(3))};
  Result<AppendEventsResult> appended = store_->AppendEvents(events);
  ASSERT_TRUE(appended.ok()) << appended.error().message_en();
  EXPECT_EQ(appended->inserted, 2);
  EXPECT_EQ(appended->duplicates, 1);
  EXPECT_EQ(Raw().Column("SELECT type FROM events WHERE id = 'a'").at(0), "x");
}

TEST_F(PgEngineStateTest, StateRowsCarryBucket) {
  auto state = store_->OpenEngineState();
  ASSERT_TRUE(state.ok());
  ASSERT_TRUE((*state)->Apply(Rules::FullBatch()).ok());
  std::string lead_2 = std::to_string(SubjectBucket("lead", "L-2"));
  EXPECT_EQ(Raw().Column("SELECT bucket FROM rule_windows").at(0), std::to_string(SubjectBucket("lead", "L-1")));
  EXPECT_EQ(Raw().Column("SELECT bucket FROM rule_counters").at(0), std::to_string(SubjectBucket("rep", "rep-1")));
  EXPECT_EQ(Raw().Column("SELECT bucket FROM alerts").at(0), lead_2);
  EXPECT_EQ(Raw().Column("SELECT bucket FROM tickets").at(0), lead_2);
}

}  // namespace
}  // namespace salesradar::store::testing
