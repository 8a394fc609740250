// The database of an API test: a SQLite file by default, or a fresh PostgreSQL schema when the
// variable SALESRADAR_API_TEST_BACKEND is "postgres". The CTest entries labelled `pg` set it and
// run the same test binaries against the server named by SALESRADAR_TEST_PG_URL (start one with
// scripts/pg-test-server.sh). Without that server, every test of such a run is skipped with a
// message saying so.
#pragma once

#include <filesystem>
#include <string>

namespace salesradar::api::testing {

// Returns whether this run uses PostgreSQL.
bool TestsUsePostgres();

// Returns the database for one test: `dir`/salesradar.db, or the URL of a new empty schema whose
// search_path selects it. The schemas are dropped when the test program ends. Fails the test
// (ADD_FAILURE) and returns "" when the schema cannot be created.
std::string CreateTestDatabase(const std::filesystem::path& dir);

}  // namespace salesradar::api::testing
