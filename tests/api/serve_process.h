// Runs the built `salesradar serve` as a child process for the tests that kill it (SIGKILL) and
// start it again on the same data directory, plus the seeding those tests share.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace salesradar::api::testing {

// Returns a TCP port on 127.0.0.1 that was free a moment ago.
uint16_t FreeLoopbackPort();

// One `salesradar serve --listen 127.0.0.1:<port> --data-dir <dir>` process, logging to
// <dir>/server.log. The destructor kills it with SIGKILL.
class ServeProcess {
 public:
  ServeProcess(std::string binary, std::string data_dir, uint16_t port, std::string log_level = "warn");
  ~ServeProcess();
  ServeProcess(const ServeProcess&) = delete;
  ServeProcess& operator=(const ServeProcess&) = delete;

  void Start();

  // Waits until GET /readyz returns a response. Returns false after `timeout` or when the process ended.
  bool WaitReady(std::chrono::seconds timeout);

  // Sends `signal` and waits for the process to end.
  void Kill(int signal);

 private:
  std::string binary_;
  std::string data_dir_;
  uint16_t port_;
  std::string log_level_;
  pid_t pid_ = -1;
};

// The admin that a kill test signs in as.
struct SeedUser {
  std::string external_id;
  std::string name;
  std::string login;
  std::string password;
};

// Creates `database` (migrated), stores `user` as an admin with an enabled sign-in, and returns
// a new API token of theirs. Failures are reported as test failures.
std::string SeedAdminWithToken(const std::string& database, const SeedUser& user);

}  // namespace salesradar::api::testing
