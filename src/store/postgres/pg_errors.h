// Conversion of libpq failures into Errors, used only inside the PostgreSQL backend.
#pragma once

#include <string_view>

#include <libpq-fe.h>

#include "common/result.h"

namespace salesradar::store::postgres {

// Converts a failed command into an Error by its SQLSTATE:
//   08xxx (connection), 57P01..57P03 (shutdown), 53300 (too many connections),
//   55P03 (lock timeout), 57014 (statement canceled) -> kUnavailable
//   40001 (serialization failure), 40P01 (deadlock)  -> kConflict
//   23505 (unique violation)                         -> kAlreadyExists
//   53100 (disk full), 53200 (out of memory)         -> kResourceExhausted
//   XX001, XX002 (corrupt data or index)             -> kDataLoss
//   anything else                                    -> kInternal
// A lost connection is kUnavailable whatever the code. `operation` says in English what failed,
// such as "read accounts"; the messages carry it, the server's primary message and the
// SQLSTATE, never the SQL text. `result` may be nullptr when libpq returned none.
Error PgError(PGconn* connection, const PGresult* result, std::string_view operation);

// Returns kUnavailable for a connection attempt to `display_url` that failed with libpq's
// message `detail`.
Error ConnectionFailed(std::string_view display_url, std::string_view detail);

}  // namespace salesradar::store::postgres
