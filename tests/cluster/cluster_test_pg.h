// The PostgreSQL server of the cluster tests: SALESRADAR_TEST_PG_URL, one fresh schema per test,
// and a visible skip when the server is missing.
#pragma once

#include <string>
#include <vector>

namespace salesradar::cluster_testing {

// Returns whether the PostgreSQL server accepts a connection. When it does not, prints once the
// line that CTest's SKIP_REGULAR_EXPRESSION matches ("PostgreSQL is not available ...").
bool PostgresAvailable();

// Creates an empty schema and returns a URL whose search_path selects it. Dropped at exit.
std::string CreateSchemaUrl();

// Runs `sql` on `url` and returns the first column of every row ("NULL" for NULL); fails the
// test when the statement fails.
std::vector<std::string> QueryColumn(const std::string& url, const std::string& sql);

}  // namespace salesradar::cluster_testing
