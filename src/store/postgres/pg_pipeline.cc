// Batched writes in libpq's pipeline mode (libpq 14 and later): many commands per round trip.
#include <algorithm>

#include <fmt/format.h>

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_errors.h"

namespace salesradar::store::postgres {
namespace {

// Commands sent before the results are read. The connection is in blocking mode, so a chunk
// must stay small enough that the server's replies fit in the socket buffers; an INSERT reply
// is a few dozen bytes.
constexpr size_t kChunkSize = 256;

}  // namespace

Status PgConnection::RunPipeline(std::span<const PgCommand> commands) {
  for (size_t start = 0; start < commands.size(); start += kChunkSize) {
    size_t count = std::min(kChunkSize, commands.size() - start);
    SR_RETURN_IF_ERROR(RunPipelineChunk(commands.subspan(start, count)));
  }
  return OkStatus();
}

Status PgConnection::RunPipelineChunk(std::span<const PgCommand> commands) {
  // Statements are prepared outside the pipeline, once per connection.
  std::vector<std::string> names;
  names.reserve(commands.size());
  for (const PgCommand& command : commands) {
    SR_ASSIGN_OR_RETURN(std::string name, Prepare(command.sql, command.operation));
    names.push_back(std::move(name));
  }

  if (PQenterPipelineMode(connection_) != 1) {
    return PgError(connection_, nullptr, "enter pipeline mode");
  }

  // Send everything, then one sync point.
  std::optional<Error> failure;
  size_t sent = 0;
  for (size_t i = 0; i < commands.size(); ++i) {
    std::vector<const char*> values = commands[i].params.Pointers();
    if (PQsendQueryPrepared(connection_, names[i].c_str(), commands[i].params.size(),
                            values.data(), nullptr, nullptr, 0) != 1) {
      failure = PgError(connection_, nullptr, commands[i].operation);
      break;
    }
    ++sent;
  }
  if (PQpipelineSync(connection_) != 1 && !failure) {
    failure = PgError(connection_, nullptr, "send pipeline");
  }

  // Read one result (then a nullptr) per sent command, then the sync result. After a failure
  // the server answers the remaining commands with PGRES_PIPELINE_ABORTED.
  size_t index = 0;
  int idle_reads = 0;
  while (true) {
    PGresult* raw = PQgetResult(connection_);
    if (raw == nullptr) {
      // Two nullptrs in a row mean libpq has nothing more to give: the connection is gone.
      if (++idle_reads > 1 || PQstatus(connection_) == CONNECTION_BAD) {
        if (!failure) {
          failure = PgError(connection_, nullptr, "read pipeline results");
        }
        break;
      }
      continue;
    }
    idle_reads = 0;
    PgResult result(raw);
    ExecStatusType status = PQresultStatus(raw);
    if (status == PGRES_PIPELINE_SYNC) {
      break;
    }
    if (status == PGRES_FATAL_ERROR && !failure) {
      std::string_view operation = index < sent ? commands[index].operation : "run pipeline";
      failure = PgError(connection_, raw, operation);
    }
    ++index;
  }

  if (PQexitPipelineMode(connection_) != 1 && !failure) {
    failure = PgError(connection_, nullptr, "leave pipeline mode");
  }
  if (failure) {
    return *std::move(failure);
  }
  return OkStatus();
}

}  // namespace salesradar::store::postgres
