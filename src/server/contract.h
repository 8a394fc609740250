// Handling of broken preconditions inside the server library.
#pragma once

#include <string_view>

namespace salesradar::server {

// Logs `message` at critical level to the "server" logger and aborts the process. Used for bugs
// in the caller that no caller could handle, such as a malformed route pattern or a metric
// registered twice with different labels. These surface at start-up, not under load.
[[noreturn]] void AbortOnBug(std::string_view message);

}  // namespace salesradar::server
