// The COPY path of the PostgreSQL Upsert gives the same results, rows, stage history and audit
// rows as the pipelined INSERT path. Each batch runs once with each path, in two schemas of the
// server that SALESRADAR_TEST_PG_URL names. Every test skips without it.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "store/postgres/pg_store.h"
#include "store/store.h"

namespace salesradar::store::postgres {
namespace {

using model::EntityKind;
using model::Record;
using model::Reference;

constexpr int64_t kAlwaysCopy = 1;
constexpr int64_t kNeverCopy = std::numeric_limits<int64_t>::max();

// Runs `sql` on `url` and returns the first column of the first row, or "" when there is none.
std::string QueryOne(const std::string& url, const std::string& sql) {
  PGconn* connection = PQconnectdb(url.c_str());
  PGresult* result = PQexec(connection, sql.c_str());
  EXPECT_TRUE(PQresultStatus(result) == PGRES_TUPLES_OK ||
              PQresultStatus(result) == PGRES_COMMAND_OK)
      << PQresultErrorMessage(result);
  std::string value = PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
  PQclear(result);
  PQfinish(connection);
  return value;
}

Record Account(std::string external_id, std::string name) {
  Record record{EntityKind::kAccount, std::move(external_id), {}, {}};
  record.fields["name"] = std::move(name);
  return record;
}

Record Opportunity(std::string external_id, std::string stage, std::string account) {
  Record record{EntityKind::kOpportunity, std::move(external_id), {}, {}};
  record.fields["stage"] = std::move(stage);
  record.fields["account"] = Reference{0, std::move(account)};
  return record;
}

class PgUpsertCopyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("SALESRADAR_TEST_PG_URL");
    if (url == nullptr || *url == '\0') {
      std::printf("PostgreSQL is not available (SALESRADAR_TEST_PG_URL is not set)\n");
      GTEST_SKIP() << "PostgreSQL is not available: SALESRADAR_TEST_PG_URL is not set";
    }
    server_url_ = url;
  }

  void TearDown() override {
    for (const std::string& schema : schemas_) {
      QueryOne(server_url_, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }

  // Opens a Store on a fresh schema with the given COPY threshold.
  std::unique_ptr<Store> OpenFresh(int64_t copy_threshold, std::string* url) {
    std::string schema = "copy_test_" + std::to_string(::getpid()) + "_" +
                         std::to_string(schemas_.size());
    QueryOne(server_url_, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    QueryOne(server_url_, "CREATE SCHEMA " + schema);
    schemas_.push_back(schema);
    char separator = server_url_.find('?') == std::string::npos ? '?' : '&';
    *url = server_url_ + separator + "options=-c%20search_path%3D" + schema;

    Result<std::unique_ptr<Store>> store = Open(*url);
    EXPECT_TRUE(store.ok()) << store.error().message(Locale::kEnglish);
    if (!store.ok()) {
      return nullptr;
    }
    dynamic_cast<PgStore&>(**store).set_copy_threshold(copy_threshold);
    return std::move(*store);
  }

  std::string server_url_;
  std::vector<std::string> schemas_;
};

std::vector<Record> AccountBatch() {
  std::vector<Record> batch;
  for (int i = 0; i < 150; ++i) {
    Record account = Account("A" + std::to_string(i), "客户 " + std::to_string(i));
    if (i % 3 == 0) {
      account.fields["industry"] = std::string("retail");
    }
    if (i > 5 && i % 5 == 0) {
      account.fields["parent"] = Reference{0, "A" + std::to_string(i - 5)};
    }
    batch.push_back(std::move(account));
  }
  batch.push_back(Account("A-escape", "tab\there\nnew line \\N back\\slash\r"));
  Record negative = Account("A-bad", "Negative Ltd");
  negative.fields["employees"] = int64_t{-3};
  batch.push_back(std::move(negative));
  batch.push_back(Account("A1", "客户 1 renamed"));  // an update of a row inserted above
  return batch;
}

TEST_F(PgUpsertCopyTest, AccountsMatchPipelinePath) {
  std::string copy_url;
  std::string insert_url;
  std::unique_ptr<Store> copying = OpenFresh(kAlwaysCopy, &copy_url);
  std::unique_ptr<Store> inserting = OpenFresh(kNeverCopy, &insert_url);
  ASSERT_NE(copying, nullptr);
  ASSERT_NE(inserting, nullptr);

  std::vector<Record> batch = AccountBatch();
  Result<std::vector<UpsertResult>> copied = copying->Upsert(batch);
  Result<std::vector<UpsertResult>> inserted = inserting->Upsert(batch);
  ASSERT_TRUE(copied.ok()) << copied.error().message(Locale::kEnglish);
  ASSERT_TRUE(inserted.ok()) << inserted.error().message(Locale::kEnglish);

  ASSERT_EQ(copied->size(), inserted->size());
  for (size_t i = 0; i < batch.size(); ++i) {
    SCOPED_TRACE("record " + batch[i].external_id);
    EXPECT_EQ((*copied)[i].outcome, (*inserted)[i].outcome);
    EXPECT_EQ((*copied)[i].id, (*inserted)[i].id);
    EXPECT_EQ((*copied)[i].error.has_value(), (*inserted)[i].error.has_value());

    auto from_copy = copying->GetRecord(EntityKind::kAccount, batch[i].external_id);
    auto from_insert = inserting->GetRecord(EntityKind::kAccount, batch[i].external_id);
    ASSERT_TRUE(from_copy.ok());
    ASSERT_TRUE(from_insert.ok());
    EXPECT_EQ(*from_copy, *from_insert);
  }
  EXPECT_EQ((*copied)[batch.size() - 2].outcome, UpsertOutcome::kRejected);

  auto escaped = copying->GetRecord(EntityKind::kAccount, "A-escape");
  ASSERT_TRUE(escaped.ok());
  ASSERT_TRUE(escaped->has_value());
  EXPECT_EQ(std::get<std::string>((*escaped)->fields.at("name")),
            "tab\there\nnew line \\N back\\slash\r");

  Result<AuditChainReport> copy_audit = copying->VerifyAuditChain();
  Result<AuditChainReport> insert_audit = inserting->VerifyAuditChain();
  ASSERT_TRUE(copy_audit.ok());
  ASSERT_TRUE(insert_audit.ok());
  EXPECT_TRUE(copy_audit->ok());
  EXPECT_EQ(copy_audit->rows_checked, insert_audit->rows_checked);

  // The sequence moved past the copied ids: a later single insert takes the next id.
  Result<std::vector<UpsertResult>> later = copying->Upsert(std::vector<Record>{Account("A-next", "Next")});
  ASSERT_TRUE(later.ok());
  EXPECT_EQ((*later)[0].outcome, UpsertOutcome::kInserted);
}

TEST_F(PgUpsertCopyTest, OpportunitiesKeepStageHistory) {
  std::string copy_url;
  std::string insert_url;
  std::unique_ptr<Store> copying = OpenFresh(kAlwaysCopy, &copy_url);
  std::unique_ptr<Store> inserting = OpenFresh(kNeverCopy, &insert_url);
  ASSERT_NE(copying, nullptr);
  ASSERT_NE(inserting, nullptr);
  for (Store* store : {copying.get(), inserting.get()}) {
    ASSERT_TRUE(store->Upsert(std::vector<Record>{Account("ACME", "Acme")}).ok());
  }

  std::vector<Record> batch;
  for (int i = 0; i < 130; ++i) {
    batch.push_back(Opportunity("O" + std::to_string(i), i % 2 == 0 ? "engaging" : "won", "ACME"));
  }
  batch.push_back(Opportunity("O-missing", "engaging", "No Such Account"));
  batch.push_back(Opportunity("O3", "lost", "ACME"));  // a stage change within the batch

  Result<std::vector<UpsertResult>> copied = copying->Upsert(batch);
  Result<std::vector<UpsertResult>> inserted = inserting->Upsert(batch);
  ASSERT_TRUE(copied.ok()) << copied.error().message(Locale::kEnglish);
  ASSERT_TRUE(inserted.ok()) << inserted.error().message(Locale::kEnglish);
  for (size_t i = 0; i < batch.size(); ++i) {
    EXPECT_EQ((*copied)[i].outcome, (*inserted)[i].outcome) << batch[i].external_id;
  }

  std::string history = "SELECT string_agg(opportunity_id || ':' || COALESCE(from_stage, '-') ||"
                        " '>' || to_stage, ',' ORDER BY id) FROM opportunity_stage_history";
  EXPECT_EQ(QueryOne(copy_url, history), QueryOne(insert_url, history));
  EXPECT_FALSE(QueryOne(copy_url, history).empty());
}

}  // namespace
}  // namespace salesradar::store::postgres
