#include "test_database.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include <gtest/gtest.h>
#include <libpq-fe.h>

namespace salesradar::api::testing {
namespace {

// Runs `sql` on a new connection to `url`; returns libpq's error, or "" on success.
std::string ExecuteOnce(const std::string& url, const std::string& sql) {
  PGconn* connection = PQconnectdb(url.c_str());
  std::string error;
  if (PQstatus(connection) != CONNECTION_OK) {
    error = PQerrorMessage(connection);
  } else {
    PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);  // DROP ... CASCADE
    PGresult* result = PQexec(connection, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) error = PQresultErrorMessage(result);
    PQclear(result);
  }
  PQfinish(connection);
  return error;
}

std::string ServerUrl() {
  const char* url = std::getenv("SALESRADAR_TEST_PG_URL");
  return url == nullptr ? "" : url;
}

std::vector<std::string>& CreatedSchemas() {
  static std::vector<std::string> schemas;
  return schemas;
}

// In a PostgreSQL run: skips every test when the server is missing, and drops the schemas at the
// end.
class PostgresRun : public ::testing::Environment {
 public:
  void SetUp() override {
    if (!TestsUsePostgres()) return;
    std::string reason = ServerUrl().empty() ? "SALESRADAR_TEST_PG_URL is not set"
                                             : ExecuteOnce(ServerUrl(), "SELECT 1");
    if (reason.empty()) return;

    // CTest's SKIP_REGULAR_EXPRESSION matches this line and reports the entry as skipped.
    std::printf(
        "PostgreSQL is not available (%s), so this pg run of the API tests is skipped. Run it with\n"
        "  export SALESRADAR_TEST_PG_URL=$(scripts/pg-test-server.sh start)\n",
        reason.c_str());
    std::fflush(stdout);
    GTEST_SKIP() << "PostgreSQL is not available: " << reason;
  }

  void TearDown() override {
    for (const std::string& schema : CreatedSchemas()) {
      (void)ExecuteOnce(ServerUrl(), "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
    CreatedSchemas().clear();
  }
};

const auto* const kPostgresRun = ::testing::AddGlobalTestEnvironment(new PostgresRun);

}  // namespace

bool TestsUsePostgres() {
  const char* backend = std::getenv("SALESRADAR_API_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres";
}

std::string CreateTestDatabase(const std::filesystem::path& dir) {
  if (!TestsUsePostgres()) return (dir / "salesradar.db").string();

  static int counter = 0;
  std::string schema = "salesradar_api_test_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  std::string error = ExecuteOnce(ServerUrl(), "CREATE SCHEMA " + schema);
  if (!error.empty()) {
    ADD_FAILURE() << "creating schema " << schema << ": " << error;
    return "";
  }
  CreatedSchemas().push_back(schema);
  char separator = ServerUrl().find('?') == std::string::npos ? '?' : '&';
  return ServerUrl() + separator + "options=-c%20search_path%3D" + schema;
}

}  // namespace salesradar::api::testing
