#include "server/request_id.h"

#include <algorithm>
#include <random>

#include <fmt/format.h>

namespace salesradar::server {

std::string NewRequestId() {
  // One generator per thread, seeded from the system's entropy source, avoids a shared lock.
  thread_local std::mt19937_64 generator(std::random_device{}());
  return fmt::format("{:016x}", generator());
}

bool IsAcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > 128) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.' || c == ':';
  });
}

std::string ChooseRequestId(std::optional<std::string_view> incoming) {
  if (incoming && IsAcceptableRequestId(*incoming)) {
    return std::string(*incoming);
  }
  return NewRequestId();
}

}  // namespace salesradar::server
