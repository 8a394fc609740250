// Internal to the server: one HTTP connection, from the accepted socket to its close.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "server/server_core.h"

namespace salesradar::server {

// Serves requests on `socket` until the client closes, a timeout passes, an error happens or the
// server stops. The session owns itself through the pending asynchronous operations and
// registers in core.connections while it lives. `socket` must use a strand executor, because
// the session relies on it to serialise its handlers. `core` must outlive every session.
void StartHttpSession(boost::asio::ip::tcp::socket socket, ServerCore& core);

}  // namespace salesradar::server
