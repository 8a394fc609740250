// PostgreSQL connection URLs as the store accepts and shows them.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace salesradar::store::postgres {

// Returns true for "postgresql://..." and "postgres://...".
bool IsPostgresUrl(std::string_view url);

// Returns the URL to show in logs and messages: "postgresql://USER@HOST:PORT/DBNAME" with only
// the parts that `url` gives, and never its password (neither "user:password@" nor a
// "password=" parameter). Returns kInvalidArgument when libpq cannot parse `url`; that message
// does not repeat the URL either, because it may contain a password.
Result<std::string> DisplayUrl(std::string_view url);

}  // namespace salesradar::store::postgres
