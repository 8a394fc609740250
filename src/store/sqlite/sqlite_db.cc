#include "store/sqlite/sqlite_db.h"

#include <fmt/format.h>

namespace salesradar::store::sqlite {

Error SqliteError(sqlite3* db, int rc, std::string_view operation) {
  std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  std::string zh = fmt::format("数据库操作失败（{}）：{}", operation, detail);
  std::string en = fmt::format("database operation failed ({}): {}", operation, detail);

  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Error(ErrorCode::kUnavailable,
                   fmt::format("数据库正被其他进程占用（{}）：{}；请稍后重试", operation, detail),
                   fmt::format("the database is locked by another writer ({}): {}; retry later",
                               operation, detail));
    case SQLITE_CANTOPEN:
      return Error(ErrorCode::kUnavailable,
                   fmt::format("无法打开数据库文件（{}）：{}；请检查路径和权限", operation, detail),
                   fmt::format("cannot open the database file ({}): {}; check the path and its "
                               "permissions",
                               operation, detail));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Error(ErrorCode::kDataLoss,
                   fmt::format("数据库文件已损坏或不是 SQLite 数据库（{}）：{}", operation, detail),
                   fmt::format("the database file is corrupt or not an SQLite database ({}): {}",
                               operation, detail));
    case SQLITE_FULL:
      return Error(ErrorCode::kResourceExhausted,
                   fmt::format("磁盘已满（{}）：{}；请释放空间后重试", operation, detail),
                   fmt::format("the disk is full ({}): {}; free some space and retry", operation,
                               detail));
    default:
      return Error(ErrorCode::kInternal, std::move(zh), std::move(en));
  }
}

Result<std::unique_ptr<Statement>> Statement::Prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return SqliteError(db, rc, fmt::format("prepare '{}'", sql));
  }
  return std::make_unique<Statement>(db, stmt);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  return SqliteError(db_, rc, fmt::format("run '{}'", sql()));
}

Status Statement::Run() {
  while (true) {
    SR_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) {
      return OkStatus();
    }
  }
}

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) {
    return {};
  }
  int size = sqlite3_column_bytes(stmt_, column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     int busy_timeout_ms) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Error error = SqliteError(db, rc, fmt::format("open '{}'", path));
    sqlite3_close_v2(db);
    return error;
  }

  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  return std::unique_ptr<Connection>(new Connection(db, path));
}

Connection::~Connection() {
  cache_.clear();
  sqlite3_close_v2(db_);
}

Status Connection::Execute(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  sqlite3_free(message);
  if (rc != SQLITE_OK) {
    return SqliteError(db_, rc, fmt::format("run '{}'", sql.substr(0, 80)));
  }
  return OkStatus();
}

Result<StatementLease> Connection::Cached(const std::string& sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> statement, Statement::Prepare(db_, sql));
    found = cache_.emplace(sql, std::move(statement)).first;
  }
  return StatementLease(found->second.get());
}

}  // namespace salesradar::store::sqlite
