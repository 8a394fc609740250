#include "server/signals.h"

#include <csignal>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "common/logging.h"

namespace salesradar::server {

int RunUntilStopSignal(Server& server) {
  int received = 0;
  {
    boost::asio::io_context io_context;
    boost::asio::signal_set signals(io_context, SIGTERM, SIGINT);
    signals.async_wait([&received](const boost::system::error_code& ec, int signal_number) {
      if (!ec) {
        received = signal_number;
      }
    });
    io_context.run();
  }  // destroying the signal_set restores the default handlers

  Logger("server")->info("received {}; stopping gracefully", received == SIGINT ? "SIGINT" : "SIGTERM");
  server.Stop();
  return received;
}

}  // namespace salesradar::server
