#include "cluster_test_pg.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>

namespace salesradar::cluster_testing {
namespace {

std::string ServerUrl() {
  const char* url = std::getenv("SALESRADAR_TEST_PG_URL");
  return url == nullptr ? std::string() : std::string(url);
}

// Drops the schemas this process created when it exits.
class Schemas {
 public:
  ~Schemas() {
    if (names_.empty()) return;
    PGconn* connection = PQconnectdb(ServerUrl().c_str());
    PQsetNoticeProcessor(connection, [](void*, const char*) {}, nullptr);
    for (const std::string& name : names_) PQclear(PQexec(connection, ("DROP SCHEMA IF EXISTS " + name + " CASCADE").c_str()));
    PQfinish(connection);
  }
  void Add(std::string name) {
    std::lock_guard lock(mutex_);
    names_.push_back(std::move(name));
  }

 private:
  std::mutex mutex_;
  std::vector<std::string> names_;
};

Schemas& AllSchemas() {
  static Schemas schemas;
  return schemas;
}

}  // namespace

bool PostgresAvailable() {
  static const bool available = [] {
    std::string reason;
    std::string url = ServerUrl();
    if (url.empty()) {
      reason = "SALESRADAR_TEST_PG_URL is not set";
    } else {
      PGconn* probe = PQconnectdb(url.c_str());
      if (PQstatus(probe) != CONNECTION_OK) reason = std::string("the server does not answer: ") + PQerrorMessage(probe);
      PQfinish(probe);
    }
    if (reason.empty()) return true;
    std::printf("PostgreSQL is not available (%s), so the cluster tests are skipped. Run them with\n"
                "  export SALESRADAR_TEST_PG_URL=$(scripts/pg-test-server.sh start)\n",
                reason.c_str());
    std::fflush(stdout);
    return false;
  }();
  return available;
}

std::string CreateSchemaUrl() {
  static int counter = 0;
  std::string schema = fmt::format("salesradar_cluster_{}_{}", ::getpid(), ++counter);
  QueryColumn(ServerUrl(), "CREATE SCHEMA " + schema);
  AllSchemas().Add(schema);
  std::string url = ServerUrl();
  char separator = url.find('?') == std::string::npos ? '?' : '&';
  return url + separator + "options=-c%20search_path%3D" + schema;
}

std::vector<std::string> QueryColumn(const std::string& url, const std::string& sql) {
  std::vector<std::string> values;
  PGconn* connection = PQconnectdb(url.c_str());
  PGresult* result = PQexec(connection, sql.c_str());
  ExecStatusType status = PQresultStatus(result);
  EXPECT_TRUE(status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) << sql << ": " << PQresultErrorMessage(result);
  for (int row = 0; status == PGRES_TUPLES_OK && row < PQntuples(result); ++row) {
    values.emplace_back(PQgetisnull(result, row, 0) ? "NULL" : PQgetvalue(result, row, 0));
  }
  PQclear(result);
  PQfinish(connection);
  return values;
}

}  // namespace salesradar::cluster_testing
