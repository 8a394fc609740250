// PgConnection::CopyIn: bulk loading through COPY FROM STDIN.
#include <libpq-fe.h>

#include <algorithm>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_errors.h"

namespace salesradar::store::postgres {
namespace {

// libpq buffers what it is given; sending a few hundred kilobytes at a time keeps the client's
// memory flat without a call per row.
constexpr size_t kCopyChunkBytes = 256 * 1024;

}  // namespace

Result<int64_t> PgConnection::CopyIn(const std::string& copy_sql, std::string_view data,
                                     std::string_view operation) {
  PGresult* started = PQexec(connection_, copy_sql.c_str());
  PgResult started_owner(started);
  if (PQresultStatus(started) != PGRES_COPY_IN) {
    return PgError(connection_, started, operation);
  }

  const char* failure = nullptr;
  for (size_t offset = 0; offset < data.size(); offset += kCopyChunkBytes) {
    size_t length = std::min(kCopyChunkBytes, data.size() - offset);
    if (PQputCopyData(connection_, data.data() + offset, static_cast<int>(length)) != 1) {
      failure = "sending COPY data failed";
      break;
    }
  }
  if (PQputCopyEnd(connection_, failure) != 1) {
    return PgError(connection_, nullptr, operation);
  }

  // The COPY's own result comes first; drain any others so that the connection is idle again.
  PGresult* finished = PQgetResult(connection_);
  PgResult finished_owner(finished);
  while (PGresult* extra = PQgetResult(connection_)) {
    PQclear(extra);
  }
  if (PQresultStatus(finished) != PGRES_COMMAND_OK) {
    return PgError(connection_, finished, operation);
  }
  return finished_owner.affected_rows();
}

}  // namespace salesradar::store::postgres
