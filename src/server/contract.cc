#include "server/contract.h"

#include <cstdlib>

#include "common/logging.h"

namespace salesradar::server {

void AbortOnBug(std::string_view message) {
  auto logger = Logger("server");
  logger->critical("bug: {}", message);
  logger->flush();
  std::abort();
}

}  // namespace salesradar::server
