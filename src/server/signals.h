// Waiting for the signals that ask a server process to stop.
#pragma once

#include "server/http_server.h"

namespace salesradar::server {

// Blocks until the process receives SIGTERM or SIGINT, then stops `server` gracefully
// (Server::Stop()) and returns the signal number. The signal handlers are removed before the
// stop begins, so a second signal during a slow stop ends the process at once, as an impatient
// operator expects. Call from the main thread after server.Start().
int RunUntilStopSignal(Server& server);

}  // namespace salesradar::server
