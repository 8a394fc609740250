#include "store/postgres/pg_errors.h"

#include <string>

#include <fmt/format.h>

namespace salesradar::store::postgres {
namespace {

std::string Field(const PGresult* result, int field) {
  const char* value = result != nullptr ? PQresultErrorField(result, field) : nullptr;
  return value != nullptr ? value : "";
}

// Returns libpq's message without its trailing newline.
std::string Trimmed(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.remove_suffix(1);
  }
  return std::string(text);
}

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

ErrorCode CodeOf(std::string_view state) {
  if (StartsWith(state, "08") || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "53300" || state == "55P03" || state == "57014") {
    return ErrorCode::kUnavailable;
  }
  if (state == "40001" || state == "40P01") {
    return ErrorCode::kConflict;
  }
  if (state == "23505") {
    return ErrorCode::kAlreadyExists;
  }
  if (state == "53100" || state == "53200") {
    return ErrorCode::kResourceExhausted;
  }
  if (state == "XX001" || state == "XX002") {
    return ErrorCode::kDataLoss;
  }
  return ErrorCode::kInternal;
}

}  // namespace

Error PgError(PGconn* connection, const PGresult* result, std::string_view operation) {
  std::string state = Field(result, PG_DIAG_SQLSTATE);
  std::string detail = Field(result, PG_DIAG_MESSAGE_PRIMARY);
  if (detail.empty()) {
    detail = Trimmed(PQerrorMessage(connection));
  }
  bool lost = PQstatus(connection) == CONNECTION_BAD;
  ErrorCode code = lost ? ErrorCode::kUnavailable : CodeOf(state);
  std::string tag = state.empty() ? "" : fmt::format(" [SQLSTATE {}]", state);

  switch (code) {
    case ErrorCode::kUnavailable:
      return Error(code,
                   fmt::format("PostgreSQL 暂时不可用（{}）：{}{}；请检查服务器后重试", operation,
                               detail, tag),
                   fmt::format("PostgreSQL is unavailable ({}): {}{}; check the server and retry",
                               operation, detail, tag));
    case ErrorCode::kConflict:
      return Error(code,
                   fmt::format("与并发事务冲突（{}）：{}{}；请回滚并重试整个事务", operation,
                               detail, tag),
                   fmt::format("the transaction collided with a concurrent one ({}): {}{}; roll "
                               "back and retry the whole transaction",
                               operation, detail, tag));
    case ErrorCode::kAlreadyExists:
      return Error(code,
                   fmt::format("另一个写入者同时写入了相同的键（{}）：{}{}；请回滚后重试", operation,
                               detail, tag),
                   fmt::format("another writer stored the same key at the same time ({}): {}{}; "
                               "roll back and retry",
                               operation, detail, tag));
    case ErrorCode::kResourceExhausted:
      return Error(code,
                   fmt::format("PostgreSQL 资源不足（{}）：{}{}；请释放磁盘或内存后重试",
                               operation, detail, tag),
                   fmt::format("PostgreSQL ran out of resources ({}): {}{}; free disk space or "
                               "memory and retry",
                               operation, detail, tag));
    case ErrorCode::kDataLoss:
      return Error(code,
                   fmt::format("PostgreSQL 报告数据损坏（{}）：{}{}；请从备份恢复", operation,
                               detail, tag),
                   fmt::format("PostgreSQL reports corrupt data ({}): {}{}; restore from a "
                               "backup",
                               operation, detail, tag));
    default:
      return Error(ErrorCode::kInternal,
                   fmt::format("数据库操作失败（{}）：{}{}", operation, detail, tag),
                   fmt::format("database operation failed ({}): {}{}", operation, detail, tag));
  }
}

Error ConnectionFailed(std::string_view display_url, std::string_view detail) {
  std::string text = Trimmed(detail);
  return Unavailable(
      fmt::format("无法连接 PostgreSQL '{}'：{}；请检查地址、服务器是否运行以及用户和密码",
                  display_url, text),
      fmt::format("cannot connect to PostgreSQL '{}': {}; check the URL, that the server is "
                  "running, and the user and password",
                  display_url, text));
}

}  // namespace salesradar::store::postgres
