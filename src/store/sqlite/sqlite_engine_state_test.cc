// The rules-engine contract run against SQLite, and an atomicity check that needs SQL to make
// one statement of a batch fail.
#include <sqlite3.h>

#include "store/store_rules_contract_test.h"

namespace salesradar::store::testing {

struct SqliteRulesBackend {
  static constexpr const char* kName = "sqlite";

  static std::string CreateDatabase(const std::filesystem::path& scratch) {
    return (scratch / "salesradar.db").string();
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(Sqlite, StoreRulesContractTest, SqliteRulesBackend);

using SqliteEngineStateTest = StoreRulesContractTest<SqliteRulesBackend>;

// A trigger makes the outbox insert fail. It is the last write of a batch, so the windows,
// alerts and processed ids written before it in the same batch must be gone.
TEST_F(SqliteEngineStateTest, FailingBatchLeavesNothing) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(url_.c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw,
                         "CREATE TRIGGER outbox_fails BEFORE INSERT ON alert_outbox "
                         "BEGIN SELECT RAISE(ABORT, 'outbox write failed for a test'); END",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);

  auto state = OpenStateOrFail();
  Status applied = state->Apply(FullBatch());
  ASSERT_FALSE(applied.ok());

  Result<rules::EngineSnapshot> snapshot = state->LoadSnapshot();
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->windows.empty());
  EXPECT_TRUE(snapshot->counters.empty());
  EXPECT_TRUE(snapshot->unresolved_alerts.empty());
  EXPECT_TRUE(snapshot->open_tickets.empty());
  EXPECT_FALSE(*state->IsProcessed("e-1"));
}

}  // namespace salesradar::store::testing
