#include "common/logging.h"

#include <mutex>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace salesradar {
namespace {

std::mutex g_mutex;  // guards creation of loggers in Logger()

}  // namespace

void InitLogging(const std::string& level) {
  spdlog::level::level_enum parsed = spdlog::level::from_str(level);
  if (parsed == spdlog::level::off && level != "off") {
    parsed = spdlog::level::info;
  }
  spdlog::set_level(parsed);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%n] %v", spdlog::pattern_time_type::utc);
}

std::shared_ptr<spdlog::logger> Logger(const std::string& category) {
  std::lock_guard<std::mutex> lock(g_mutex);
  if (auto existing = spdlog::get(category)) {
    return existing;
  }
  auto logger = spdlog::stderr_color_mt(category);
  logger->set_level(spdlog::get_level());
  return logger;
}

}  // namespace salesradar
