// Measures import rows/s on PostgreSQL with the two write paths of Upsert: new rows through one
// COPY per batch (PgStore::set_copy_threshold(1)) against pipelined INSERTs (threshold never
// reached). The same generated activities and opportunities go into two fresh schemas in
// batches of 1,000 rows per transaction with audit rows on. The runs alternate between the paths
// and the fastest of each counts.
//
//   store_pg_import_bench --url postgresql://... [--rows 50000] [--runs 3]
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <limits>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <libpq-fe.h>

#include "common/logging.h"
#include "store/postgres/pg_store.h"
#include "store/store.h"

namespace {

using salesradar::model::EntityKind;
using salesradar::model::Record;
using salesradar::model::Reference;
using salesradar::store::postgres::PgStore;

constexpr size_t kBatchRows = 1000;
constexpr int kUsers = 200;
constexpr int kAccounts = 2000;

std::vector<Record> ReferenceRecords() {
  std::vector<Record> records;
  for (int i = 0; i < kUsers; ++i) {
    Record user{EntityKind::kUser, fmt::format("u{}", i), {}, {}};
    user.fields["name"] = fmt::format("销售{}", i);
    user.fields["role"] = std::string("rep");
    records.push_back(std::move(user));
  }
  for (int i = 0; i < kAccounts; ++i) {
    Record account{EntityKind::kAccount, fmt::format("a{}", i), {}, {}};
    account.fields["name"] = fmt::format("客户公司{}", i);
    records.push_back(std::move(account));
  }
  return records;
}

Record ActivityAt(int64_t i) {
  Record record{EntityKind::kActivity, fmt::format("act{}", i), {}, {}};
  record.fields["type"] = std::string(i % 3 == 0 ? "visit" : "call");
  record.fields["actor"] = Reference{0, fmt::format("u{}", i % kUsers)};
  record.fields["subject_type"] = std::string("account");
  record.fields["occurred_at"] = salesradar::FromUnixMicros(1'700'000'000'000'000 + i * 60'000'000);
  record.fields["payload"] = fmt::format(R"({{"minutes": {}, "note": "拜访\t记录"}})", i % 90);
  return record;
}

Record OpportunityAt(int64_t i) {
  static const char* kStages[] = {"prospecting", "engaging", "won", "lost"};
  Record record{EntityKind::kOpportunity, fmt::format("o{}", i), {}, {}};
  record.fields["name"] = fmt::format("商机 {}", i);
  record.fields["stage"] = std::string(kStages[i % 4]);
  record.fields["amount"] = salesradar::model::Money{(i % 997) * 10'000, "CNY"};
  record.fields["owner"] = Reference{0, fmt::format("u{}", i % kUsers)};
  record.fields["account"] = Reference{0, fmt::format("a{}", i % kAccounts)};
  return record;
}

void RunSql(const std::string& url, const std::string& sql) {
  PGconn* connection = PQconnectdb(url.c_str());
  PQclear(PQexec(connection, sql.c_str()));
  PQfinish(connection);
}

// Returns the seconds that upserting `rows` records made by `make` took into a fresh schema, or a
// negative number on error.
double RunOnce(const std::string& url, const std::string& schema, int64_t rows,
               Record (*make)(int64_t), int64_t copy_threshold) {
  RunSql(url, fmt::format("SET client_min_messages = warning; DROP SCHEMA IF EXISTS {0} CASCADE; CREATE SCHEMA {0}", schema));
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  std::string schema_url = fmt::format("{}{}options=-c%20search_path%3D{}", url, separator, schema);

  auto opened = salesradar::store::Open(schema_url);
  if (!opened.ok()) {
    std::cerr << opened.error().message_en() << "\n";
    return -1;
  }
  salesradar::store::Store& store = **opened;
  dynamic_cast<PgStore&>(store).set_copy_threshold(copy_threshold);
  if (!store.Upsert(ReferenceRecords()).ok()) {
    return -1;
  }

  auto start = std::chrono::steady_clock::now();
  std::vector<Record> batch;
  for (int64_t i = 0; i < rows; ++i) {
    batch.push_back(make(i));
    if (batch.size() == kBatchRows || i + 1 == rows) {
      auto written = store.Upsert(batch, salesradar::store::AuditContext::Import("bench"));
      if (!written.ok()) {
        std::cerr << written.error().message_en() << "\n";
        return -1;
      }
      batch.clear();
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  opened->reset();
  RunSql(url, fmt::format("SET client_min_messages = warning; DROP SCHEMA IF EXISTS {} CASCADE", schema));
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Import rows/s on PostgreSQL: COPY against pipelined INSERT");
  std::string url;
  int64_t rows = 50'000;
  int runs = 3;
  app.add_option("--url", url, "postgresql:// URL of a database the bench may create schemas in")
      ->required();
  app.add_option("--rows", rows, "Rows per kind and run")->capture_default_str();
  app.add_option("--runs", runs, "Runs per path; the fastest counts")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  salesradar::InitLogging("warn");

  struct Kind {
    const char* name;
    Record (*make)(int64_t);
  };
  const Kind kinds[] = {{"activities", &ActivityAt}, {"opportunities", &OpportunityAt}};
  std::string schema = fmt::format("import_bench_{}", ::getpid());

  fmt::print("{} rows per kind in batches of {}, audit rows on, fastest of {} runs\n\n", rows,
             kBatchRows, runs);
  fmt::print("| Kind | INSERT pipeline (rows/s) | COPY (rows/s) | COPY / INSERT |\n");
  fmt::print("|---|---:|---:|---:|\n");
  for (const Kind& kind : kinds) {
    double best_insert = std::numeric_limits<double>::max();
    double best_copy = std::numeric_limits<double>::max();
    for (int run = 0; run < runs; ++run) {
      double insert = RunOnce(url, schema, rows, kind.make, std::numeric_limits<int64_t>::max());
      double copy = RunOnce(url, schema, rows, kind.make, 1);
      if (insert < 0 || copy < 0) {
        std::cerr << "store_pg_import_bench: a run failed\n";
        return 1;
      }
      best_insert = std::min(best_insert, insert);
      best_copy = std::min(best_copy, copy);
    }
    double insert_rate = static_cast<double>(rows) / best_insert;
    double copy_rate = static_cast<double>(rows) / best_copy;
    fmt::print("| {} | {:.0f} | {:.0f} | {:.2f}x |\n", kind.name, insert_rate, copy_rate,
               copy_rate / insert_rate);
  }
  return 0;
}
