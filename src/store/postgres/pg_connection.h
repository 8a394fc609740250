// Thin RAII wrappers over libpq, used only inside the PostgreSQL backend. Every value travels in
// libpq's text format.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <libpq-fe.h>

#include "common/result.h"

namespace salesradar::store::postgres {

// The result of one command, which it owns and clears. Rows and columns count from 0.
class PgResult {
 public:
  explicit PgResult(PGresult* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult() { PQclear(result_); }

  int rows() const { return PQntuples(result_); }
  // Returns the number of rows that an INSERT, UPDATE or DELETE changed.
  int64_t affected_rows() const;
  bool IsNull(int row, int column) const { return PQgetisnull(result_, row, column) != 0; }
  std::string_view Text(int row, int column) const;
  // REQUIRES: the column is an integer type and not NULL.
  int64_t Int(int row, int column) const;
  // REQUIRES: the column is BOOLEAN and not NULL.
  bool Bool(int row, int column) const { return Text(row, column) == "t"; }

 private:
  PGresult* result_;
};

// The parameters of one command, $1 first. NULL is std::nullopt.
class PgParams {
 public:
  void AddNull() { values_.emplace_back(); }
  void AddText(std::string_view text) { values_.emplace_back(std::string(text)); }
  void AddInt(int64_t value) { values_.emplace_back(std::to_string(value)); }
  void AddBool(bool value) { values_.emplace_back(value ? "t" : "f"); }

  int size() const { return static_cast<int>(values_.size()); }

  // Returns the C strings that libpq reads; valid until this object changes.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// One write of a pipeline: SQL with $n parameters, and a description of it for errors.
struct PgCommand {
  std::string sql;
  PgParams params;
  std::string operation;  // English, such as "insert opportunity"; never SQL
};

// An open connection with its named prepared statements. Not thread-safe, like the Store that
// owns it.
class PgConnection {
 public:
  // Connects to `url` (a libpq URL) and sets the session up: UTC, ISO dates, and lock_timeout
  // = `lock_timeout_ms` so that a write waiting for another writer's row lock fails with
  // kUnavailable instead of waiting forever. `display_url` is `url` without its password and
  // is the only form that messages and logs show. Returns kUnavailable when the server cannot
  // be reached or rejects the login.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url,
                                                    std::string display_url, int lock_timeout_ms);

  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;
  ~PgConnection() { PQfinish(connection_); }

  // Runs `sql`, which may hold several statements and has no parameters, through the simple
  // query protocol. For BEGIN, COMMIT and migrations. Stores the command tag of the last
  // statement (such as "COMMIT" or "ROLLBACK") in `*tag` when `tag` is not nullptr.
  Status Execute(std::string_view sql, std::string_view operation, std::string* tag = nullptr);

  // Runs `sql` as a named prepared statement, preparing it on this connection on first use.
  Result<PgResult> Query(const std::string& sql, const PgParams& params,
                         std::string_view operation);

  // Runs `commands` in order in pipeline mode, a few hundred per round trip, and returns the
  // first failure. After a failure the server skips the rest of that chunk, and later chunks
  // are not sent. REQUIRES: an open transaction, which the caller rolls back on a failure.
  Status RunPipeline(std::span<const PgCommand> commands);

  // Runs `copy_sql` (COPY ... FROM STDIN) and sends `data`, which must already be in that
  // COPY's format, in chunks through PQputCopyData. Returns the number of rows copied, or the
  // server's error (a bad row fails the whole COPY). Defined in pg_copy.cc.
  Result<int64_t> CopyIn(const std::string& copy_sql, std::string_view data,
                         std::string_view operation);

  const std::string& display_url() const { return display_url_; }

  // The libpq handle, for LISTEN/NOTIFY (PQsocket, PQconsumeInput, PQnotifies).
  PGconn* native() { return connection_; }

 private:
  PgConnection(PGconn* connection, std::string display_url)
      : connection_(connection), display_url_(std::move(display_url)) {}

  // Returns the name of the prepared statement for `sql`, preparing it on first use.
  Result<std::string> Prepare(const std::string& sql, std::string_view operation);

  Status RunPipelineChunk(std::span<const PgCommand> commands);

  PGconn* connection_;
  std::string display_url_;
  std::unordered_map<std::string, std::string> statement_names_;  // by SQL text
};

// Returns `values` as a PostgreSQL array literal ({"a","b"}) for a text[] or bigint[] parameter.
std::string ArrayLiteral(std::span<const std::string> values);
std::string ArrayLiteral(std::span<const int64_t> values);

}  // namespace salesradar::store::postgres
