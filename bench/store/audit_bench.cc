// Measures what the audit trail costs an import. The same generated opportunities are upserted
// into two fresh SQLite databases in batches of 1,000 rows per transaction, the importer's
// default. One database gets an audit row per record; the other has
// OpenOptions::audit_record_writes off.
//
//   store_audit_bench [--rows 100000] [--work-dir bench/out/store] [--runs 3]
#include <chrono>
#include <filesystem>
#include <iostream>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "common/logging.h"
#include "store/store.h"

namespace fs = std::filesystem;

namespace {

using salesradar::model::EntityKind;
using salesradar::model::Record;
using salesradar::model::Reference;

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

// Returns the seconds that upserting `rows` opportunities took, or a negative number on error.
double RunOnce(const fs::path& database, int64_t rows, bool audit) {
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(database.string() + suffix);
  }
  salesradar::store::OpenOptions options;
  options.audit_record_writes = audit;
  auto opened = salesradar::store::Open(database.string(), options);
  if (!opened.ok()) {
    std::cerr << opened.error().message_en() << "\n";
    return -1;
  }
  salesradar::store::Store& store = **opened;
  if (!store.Upsert(ReferenceRecords()).ok()) {
    return -1;
  }

  auto start = std::chrono::steady_clock::now();
  std::vector<Record> batch;
  for (int64_t i = 0; i < rows; ++i) {
    batch.push_back(OpportunityAt(i));
    if (batch.size() == kBatchRows || i + 1 == rows) {
      if (!store.Upsert(batch, salesradar::store::AuditContext::Import("bench")).ok()) {
        return -1;
      }
      batch.clear();
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Audit overhead on import-style upserts");
  int64_t rows = 100'000;
  int runs = 3;
  std::string work_dir = "bench/out/store";
  app.add_option("--rows", rows, "Opportunities per run")->capture_default_str();
  app.add_option("--runs", runs, "Runs per variant; the fastest counts")->capture_default_str();
  app.add_option("--work-dir", work_dir, "Folder for the databases")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  salesradar::InitLogging("warn");
  fs::create_directories(work_dir);

  double best_off = 1e100;
  double best_on = 1e100;
  for (int run = 0; run < runs; ++run) {
    double off = RunOnce(fs::path(work_dir) / "audit_off.db", rows, false);
    double on = RunOnce(fs::path(work_dir) / "audit_on.db", rows, true);
    if (off < 0 || on < 0) {
      std::cerr << "store_audit_bench: a run failed\n";
      return 1;
    }
    best_off = std::min(best_off, off);
    best_on = std::min(best_on, on);
  }

  fmt::print("{} opportunities in batches of {}, fastest of {} runs\n", rows, kBatchRows, runs);
  fmt::print("  audit off  {:7.2f} s {:>10.0f} rows/s\n", best_off, static_cast<double>(rows) / best_off);
  fmt::print("  audit on   {:7.2f} s {:>10.0f} rows/s\n", best_on, static_cast<double>(rows) / best_on);
  fmt::print("  slowdown   {:+7.1f} %\n", (best_on / best_off - 1) * 100);
  return 0;
}
