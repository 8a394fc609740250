// The application behind `salesradar serve`: opens the database, starts the engine host, the
// event intake and the import jobs, registers every route, and runs the HTTP server. Tests start
// one on 127.0.0.1 with port 0 in the test process; the serve command starts one and waits for
// SIGTERM or SIGINT.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "common/clock.h"
#include "common/result.h"
#include "server/config.h"

namespace salesradar::server {
class Server;
}

namespace salesradar::api {

struct ApiContext;

struct AppOptions {
  const Clock* clock = nullptr;  // nullptr: the system clock. Not owned.
  std::string web_root;          // built web UI (web/dist); empty: no UI routes
  size_t store_pool_size = 0;    // 0: threads + 2
};

class App {
 public:
  // Opens and starts everything; the server listens when this returns.
  static Result<std::unique_ptr<App>> Start(server::ServerConfig config, AppOptions options = {});
  ~App();  // Stop()

  // Stops gracefully: the HTTP server first, then intake, the engine host, the pool.
  void Stop();

  uint16_t port() const;
  server::Server& server();
  ApiContext& context();

 private:
  struct Parts;
  explicit App(std::unique_ptr<Parts> parts);
  static Status StartClusterNode(Parts& parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace salesradar::api
