#include "bench/ingest/raw_insert.h"

#include <chrono>
#include <fstream>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <sqlite3.h>
#include <sys/resource.h>

namespace salesradar::bench {
namespace {

// The store's opportunities table as its first migration creates it, with the tables that its
// foreign keys need.
constexpr const char* kSchema = R"sql(
CREATE TABLE users (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE accounts (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE products (id INTEGER PRIMARY KEY, external_id TEXT NOT NULL UNIQUE, name TEXT NOT NULL);
CREATE TABLE opportunities (
  id INTEGER PRIMARY KEY,
  external_id TEXT NOT NULL UNIQUE,
  name TEXT,
  name_key TEXT,
  stage TEXT NOT NULL,
  amount_fen INTEGER CHECK (amount_fen >= 0),
  amount_currency TEXT CHECK (length(amount_currency) = 3),
  owner_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
  product_id INTEGER REFERENCES products (id) ON DELETE SET NULL,
  engage_date TEXT,
  close_date TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX opportunities_name ON opportunities (name);
CREATE INDEX opportunities_name_key ON opportunities (name_key);
CREATE INDEX opportunities_stage ON opportunities (stage);
CREATE INDEX opportunities_owner ON opportunities (owner_id);
CREATE INDEX opportunities_account ON opportunities (account_id);
CREATE INDEX opportunities_product ON opportunities (product_id);
)sql";

constexpr const char* kInsertOpportunity =
    "INSERT INTO opportunities (external_id, stage, amount_fen, amount_currency, owner_id, "
    "account_id, product_id, engage_date, close_date, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

using Row = std::vector<std::string>;
using NameIds = std::unordered_map<std::string, int64_t>;

Result<std::vector<Row>> ReadCsv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Unavailable("无法读取文件 '" + path.string() + "'",
                       "cannot read file '" + path.string() + "'");
  }

  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);  // the header
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    Row row;
    size_t start = 0;
    while (true) {
      size_t comma = line.find(',', start);
      row.push_back(line.substr(start, comma - start));
      if (comma == std::string::npos) {
        break;
      }
      start = comma + 1;
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

class Database {
 public:
  ~Database() { sqlite3_close(db_); }

  Status Open(const std::filesystem::path& path) {
    std::filesystem::remove(path);
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
      return Failure("open");
    }
    return Execute("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; "
                   "PRAGMA synchronous = NORMAL;");
  }

  Status Execute(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
      return Failure(sql);
    }
    return OkStatus();
  }

  Result<sqlite3_stmt*> Prepare(const char* sql) {
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr) != SQLITE_OK) {
      return Failure(sql);
    }
    return statement;
  }

  // Returns an error with the start of `statement_text` and SQLite's message.
  Error Failure(std::string_view statement_text) const {
    std::string message = std::string(statement_text.substr(0, 60)) + ": " + sqlite3_errmsg(db_);
    return Internal("SQLite 失败：" + message, "SQLite failed: " + message);
  }

 private:
  sqlite3* db_ = nullptr;
};

// Inserts one row per distinct name into `table` and returns the ids by name.
Result<NameIds> InsertNames(Database& db, const char* insert_sql, const std::vector<Row>& rows,
                            size_t column) {
  SR_ASSIGN_OR_RETURN(sqlite3_stmt * statement, db.Prepare(insert_sql));
  NameIds ids;
  for (const Row& row : rows) {
    const std::string& name = row.at(column);
    if (name.empty() || ids.count(name) != 0) {
      continue;
    }
    sqlite3_bind_text(statement, 1, name.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(statement, 2, name.c_str(), -1, SQLITE_STATIC);
    if (sqlite3_step(statement) != SQLITE_DONE) {
      sqlite3_finalize(statement);
      return db.Failure(insert_sql);
    }
    sqlite3_reset(statement);
    ids.emplace(name, static_cast<int64_t>(ids.size()) + 1);
  }
  sqlite3_finalize(statement);
  return ids;
}

void BindOptionalText(sqlite3_stmt* statement, int index, const std::string& text) {
  if (text.empty()) {
    sqlite3_bind_null(statement, index);
  } else {
    sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                      SQLITE_STATIC);
  }
}

void BindOptionalId(sqlite3_stmt* statement, int index, const NameIds& ids,
                    const std::string& name) {
  auto it = ids.find(name);
  if (it == ids.end()) {
    sqlite3_bind_null(statement, index);
  } else {
    sqlite3_bind_int64(statement, index, it->second);
  }
}

// Binds one generated row: opportunity_id, sales_agent, product, account, deal_stage,
// engage_date, close_date, close_value.
void BindOpportunity(sqlite3_stmt* statement, const Row& row, const NameIds& users,
                     const NameIds& products, const NameIds& accounts, int64_t now,
                     std::string& stage) {
  stage = row[4];
  for (char& c : stage) {
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }

  sqlite3_bind_text(statement, 1, row[0].data(), static_cast<int>(row[0].size()), SQLITE_STATIC);
  sqlite3_bind_text(statement, 2, stage.data(), static_cast<int>(stage.size()), SQLITE_STATIC);
  if (row[7].empty()) {
    sqlite3_bind_null(statement, 3);
    sqlite3_bind_null(statement, 4);
  } else {
    sqlite3_bind_int64(statement, 3, std::stoll(row[7]) * 100);
    sqlite3_bind_text(statement, 4, "USD", 3, SQLITE_STATIC);
  }
  BindOptionalId(statement, 5, users, row[1]);
  BindOptionalId(statement, 6, accounts, row[3]);
  BindOptionalId(statement, 7, products, row[2]);
  BindOptionalText(statement, 8, row[5]);
  BindOptionalText(statement, 9, row[6]);
  sqlite3_bind_int64(statement, 10, now);
  sqlite3_bind_int64(statement, 11, now);
}

}  // namespace

double CpuSeconds(int who) {
  rusage usage{};
  getrusage(who, &usage);
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

Result<RawInsertResult> RunRawInsert(const std::filesystem::path& data_directory,
                                     const std::filesystem::path& database) {
  SR_ASSIGN_OR_RETURN(std::vector<Row> opportunities,
                      ReadCsv(data_directory / "sales_pipeline.csv"));
  SR_ASSIGN_OR_RETURN(std::vector<Row> accounts, ReadCsv(data_directory / "accounts.csv"));
  SR_ASSIGN_OR_RETURN(std::vector<Row> products, ReadCsv(data_directory / "products.csv"));
  SR_ASSIGN_OR_RETURN(std::vector<Row> teams, ReadCsv(data_directory / "sales_teams.csv"));

  Database db;
  SR_RETURN_IF_ERROR(db.Open(database));
  SR_RETURN_IF_ERROR(db.Execute(kSchema));
  SR_ASSIGN_OR_RETURN(NameIds user_ids,
                      InsertNames(db, "INSERT INTO users (external_id, name) VALUES (?, ?)",
                                  teams, 0));
  SR_ASSIGN_OR_RETURN(NameIds account_ids,
                      InsertNames(db, "INSERT INTO accounts (external_id, name) VALUES (?, ?)",
                                  accounts, 0));
  SR_ASSIGN_OR_RETURN(NameIds product_ids,
                      InsertNames(db, "INSERT INTO products (external_id, name) VALUES (?, ?)",
                                  products, 0));

  auto start = std::chrono::steady_clock::now();
  double cpu_start = CpuSeconds(RUSAGE_SELF);
  int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  SR_RETURN_IF_ERROR(db.Execute("BEGIN"));
  SR_ASSIGN_OR_RETURN(sqlite3_stmt * insert, db.Prepare(kInsertOpportunity));
  std::string stage;
  for (const Row& row : opportunities) {
    BindOpportunity(insert, row, user_ids, product_ids, account_ids, now, stage);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      sqlite3_finalize(insert);
      return db.Failure("INSERT INTO opportunities");
    }
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  SR_RETURN_IF_ERROR(db.Execute("COMMIT"));
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - start;

  return RawInsertResult{static_cast<int64_t>(opportunities.size()), elapsed.count(),
                         CpuSeconds(RUSAGE_SELF) - cpu_start};
}

}  // namespace salesradar::bench
