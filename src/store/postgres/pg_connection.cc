#include "store/postgres/pg_connection.h"

#include <charconv>

#include <fmt/format.h>

#include "common/logging.h"
#include "store/postgres/pg_errors.h"

namespace salesradar::store::postgres {
namespace {

void LogNotice(void* /*context*/, const char* message) {
  std::string_view text(message);
  while (!text.empty() && text.back() == '\n') {
    text.remove_suffix(1);
  }
  Logger("store")->debug("PostgreSQL notice: {}", text);
}

}  // namespace

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

std::string_view PgResult::Text(int row, int column) const {
  const char* value = PQgetvalue(result_, row, column);
  return std::string_view(value, static_cast<size_t>(PQgetlength(result_, row, column)));
}

int64_t PgResult::Int(int row, int column) const {
  std::string_view text = Text(row, column);
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

int64_t PgResult::affected_rows() const {
  std::string_view text = PQcmdTuples(result_);
  int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::vector<const char*> PgParams::Pointers() const {
  std::vector<const char*> pointers;
  pointers.reserve(values_.size());
  for (const std::optional<std::string>& value : values_) {
    pointers.push_back(value ? value->c_str() : nullptr);
  }
  return pointers;
}

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url,
                                                         std::string display_url,
                                                         int lock_timeout_ms) {
  PGconn* raw = PQconnectdb(url.c_str());
  if (raw == nullptr) {
    return ConnectionFailed(display_url, "libpq could not allocate a connection");
  }
  if (PQstatus(raw) != CONNECTION_OK) {
    Error error = ConnectionFailed(display_url, PQerrorMessage(raw));
    PQfinish(raw);
    return error;
  }

  // Server notices ("table already exists, skipping") go to the debug log, not to stderr.
  PQsetNoticeProcessor(raw, &LogNotice, nullptr);

  std::unique_ptr<PgConnection> connection(new PgConnection(raw, std::move(display_url)));
  SR_RETURN_IF_ERROR(connection->Execute(
      fmt::format("SET TimeZone = 'UTC'; SET DateStyle = 'ISO, YMD'; SET lock_timeout = {}",
                  std::max(lock_timeout_ms, 1)),
      "configure the session"));
  return connection;
}

Status PgConnection::Execute(std::string_view sql, std::string_view operation,
                             std::string* tag) {
  PGresult* raw = PQexec(connection_, std::string(sql).c_str());
  PgResult result(raw);
  ExecStatusType status = PQresultStatus(raw);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    return PgError(connection_, raw, operation);
  }
  if (tag != nullptr) {
    *tag = PQcmdStatus(raw);
  }
  return OkStatus();
}

Result<std::string> PgConnection::Prepare(const std::string& sql, std::string_view operation) {
  if (auto found = statement_names_.find(sql); found != statement_names_.end()) {
    return found->second;
  }

  std::string name = fmt::format("sr{}", statement_names_.size() + 1);
  PGresult* raw = PQprepare(connection_, name.c_str(), sql.c_str(), 0, nullptr);
  PgResult result(raw);
  if (PQresultStatus(raw) != PGRES_COMMAND_OK) {
    return PgError(connection_, raw, operation);
  }
  statement_names_.emplace(sql, name);
  return name;
}

Result<PgResult> PgConnection::Query(const std::string& sql, const PgParams& params,
                                     std::string_view operation) {
  SR_ASSIGN_OR_RETURN(std::string name, Prepare(sql, operation));
  std::vector<const char*> values = params.Pointers();
  PGresult* raw = PQexecPrepared(connection_, name.c_str(), params.size(), values.data(), nullptr,
                                 nullptr, 0);
  ExecStatusType status = PQresultStatus(raw);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    PgResult cleared(raw);
    return PgError(connection_, raw, operation);
  }
  return PgResult(raw);
}

std::string ArrayLiteral(std::span<const std::string> values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    literal += i == 0 ? "\"" : ",\"";
    for (char c : values[i]) {
      if (c == '"' || c == '\\') {
        literal += '\\';
      }
      literal += c;
    }
    literal += '"';
  }
  literal += '}';
  return literal;
}

std::string ArrayLiteral(std::span<const int64_t> values) {
  std::string literal = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    literal += i == 0 ? "" : ",";
    literal += std::to_string(values[i]);
  }
  literal += '}';
  return literal;
}

}  // namespace salesradar::store::postgres
