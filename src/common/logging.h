// Logging setup. Every module logs through a named spdlog logger ("store", "ingest", ...), and
// each message starts with the ids of the entities it concerns. Secrets are never logged.
#pragma once

#include <memory>
#include <string>

#include <spdlog/spdlog.h>

namespace salesradar {

// Configures the default sink (standard error) and level. `level` is one of trace, debug,
// info, warn, error, off; an unknown name selects info. Call once at program start.
void InitLogging(const std::string& level);

// Returns the logger for `category`, creating it on first use with the default sink.
// Thread-safe.
std::shared_ptr<spdlog::logger> Logger(const std::string& category);

}  // namespace salesradar
