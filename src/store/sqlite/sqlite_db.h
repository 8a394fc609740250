// Thin RAII wrappers over the SQLite C API, used only inside the SQLite backend.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include <sqlite3.h>

#include "common/result.h"

namespace salesradar::store::sqlite {

// Converts the result code `rc` of a call on `db` into an Error: busy or locked -> kUnavailable,
// corrupt or not a database -> kDataLoss, full disk -> kResourceExhausted, cannot open ->
// kUnavailable, anything else -> kInternal. `operation` describes what failed in English.
// Both messages include it and SQLite's own text, which is English only.
Error SqliteError(sqlite3* db, int rc, std::string_view operation);

// A prepared statement that it owns and finalises. Column and parameter indexes follow SQLite:
// parameters from 1, columns from 0.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(stmt_); }

  // Prepares `sql` on `db`. Returns kInternal with SQLite's message when it does not compile.
  static Result<std::unique_ptr<Statement>> Prepare(sqlite3* db, std::string_view sql);

  void BindNull(int index) { sqlite3_bind_null(stmt_, index); }
  void BindInt(int index, int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void BindText(int index, std::string_view text) {
    sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }

  // Bind the named parameter `name` (such as ":viewer_id"); do nothing when the statement
  // has no parameter of that name.
  void BindNamedInt(const char* name, int64_t value) {
    if (int index = sqlite3_bind_parameter_index(stmt_, name); index > 0) {
      BindInt(index, value);
    }
  }
  void BindNamedText(const char* name, std::string_view text) {
    if (int index = sqlite3_bind_parameter_index(stmt_, name); index > 0) {
      BindText(index, text);
    }
  }

  // Runs one step. Returns true when a row is ready, false when the statement is done.
  Result<bool> Step();

  // Runs the statement to its end, for statements that return no rows.
  Status Run();

  // Clears the bindings and rewinds the statement so that it can run again.
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string Text(int column) const;

  std::string_view sql() const { return sqlite3_sql(stmt_); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

// A borrowed cached statement that is reset when the borrower is done with it.
class StatementLease {
 public:
  explicit StatementLease(Statement* statement) : statement_(statement) {}
  StatementLease(StatementLease&& other) noexcept : statement_(other.statement_) {
    other.statement_ = nullptr;
  }
  StatementLease(const StatementLease&) = delete;
  StatementLease& operator=(const StatementLease&) = delete;
  StatementLease& operator=(StatementLease&&) = delete;
  ~StatementLease() {
    if (statement_ != nullptr) {
      statement_->Reset();
    }
  }

  Statement* operator->() const { return statement_; }
  Statement& operator*() const { return *statement_; }

 private:
  Statement* statement_;
};

// An open database connection with a cache of prepared statements keyed by their SQL text.
// Not thread-safe, like the Store that owns it.
class Connection {
 public:
  // Opens or creates the database file at `path` (":memory:" for a private in-memory database).
  // Returns kUnavailable when it cannot be opened.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int busy_timeout_ms);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements that return no rows, such as "BEGIN IMMEDIATE".
  Status Execute(std::string_view sql);

  // Returns the cached statement for `sql`, preparing it on first use.
  Result<StatementLease> Cached(const std::string& sql);

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

 private:
  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  sqlite3* db_;
  std::string path_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

}  // namespace salesradar::store::sqlite
