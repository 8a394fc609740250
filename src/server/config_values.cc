#include "server/config_values.h"

#include <arpa/inet.h>

#include <array>
#include <cctype>
#include <charconv>
#include <limits>

#include <fmt/format.h>

namespace salesradar::server {
namespace {

using std::chrono::milliseconds;

struct Unit {
  std::string_view name;
  uint64_t factor;
};

constexpr std::array<Unit, 7> kSizeUnits = {{
    {"b", 1},
    {"kb", 1000},
    {"mb", 1000 * 1000},
    {"gb", 1000 * 1000 * 1000},
    {"kib", 1024},
    {"mib", 1024 * 1024},
    {"gib", 1024 * 1024 * 1024},
}};

constexpr std::array<Unit, 4> kDurationUnits = {{
    {"ms", 1},
    {"s", 1000},
    {"m", 60 * 1000},
    {"h", 60 * 60 * 1000},
}};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

// Parses the leading decimal digits of `text` into `value` and removes them; false when there are
// none or the number overflows.
bool ConsumeNumber(std::string_view& text, uint64_t& value) {
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) {
    return false;
  }
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return true;
}

bool IsIpv4(const std::string& host) {
  in_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1;
}

bool IsIpv6(const std::string& host) {
  in6_addr address{};
  return inet_pton(AF_INET6, host.c_str(), &address) == 1;
}

Error BadListenAddress(std::string_view text, std::string_view problem_zh,
                       std::string_view problem_en) {
  return InvalidArgument(
      fmt::format("“{}”{}；请写成 主机:端口，例如 127.0.0.1:8080 或 [::1]:8080", text, problem_zh),
      fmt::format("'{}' {}; write host:port, for example 127.0.0.1:8080 or [::1]:8080", text,
                  problem_en));
}

}  // namespace

Result<int64_t> ParseInteger(std::string_view text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return InvalidArgument(
        fmt::format("“{}” 不是整数；请写 {} 到 {} 之间的整数", text, min, max),
        fmt::format("'{}' is not a whole number; write a number from {} to {}", text, min, max));
  }
  if (value < min || value > max) {
    return InvalidArgument(
        fmt::format("{} 超出范围；请写 {} 到 {} 之间的整数", value, min, max),
        fmt::format("{} is out of range; write a number from {} to {}", value, min, max));
  }
  return value;
}

Result<uint64_t> ParseByteSize(std::string_view text, uint64_t min, uint64_t max) {
  std::string_view rest = text;
  uint64_t number = 0;
  Error malformed = InvalidArgument(
      fmt::format("“{}” 不是有效的大小；请写整数加单位，例如 8MiB、512KiB，或不带单位的字节数", text),
      fmt::format("'{}' is not a size; write a whole number with a unit such as 8MiB or 512KiB, "
                  "or a number of bytes",
                  text));
  if (!ConsumeNumber(rest, number)) {
    return malformed;
  }
  if (!rest.empty() && rest.front() == ' ') {
    rest.remove_prefix(1);
  }

  uint64_t factor = 1;
  if (!rest.empty()) {
    std::string unit = Lower(rest);
    const Unit* found = nullptr;
    for (const Unit& candidate : kSizeUnits) {
      if (candidate.name == unit) {
        found = &candidate;
      }
    }
    if (found == nullptr) {
      return malformed;
    }
    factor = found->factor;
  }

  if (number > std::numeric_limits<uint64_t>::max() / factor || number * factor < min ||
      number * factor > max) {
    return InvalidArgument(
        fmt::format("“{}” 超出范围；请写 {} 到 {} 之间的大小", text, FormatByteSize(min),
                    FormatByteSize(max)),
        fmt::format("'{}' is out of range; write a size from {} to {}", text, FormatByteSize(min),
                    FormatByteSize(max)));
  }
  return number * factor;
}

Result<milliseconds> ParseDuration(std::string_view text, milliseconds min, milliseconds max) {
  Error malformed = InvalidArgument(
      fmt::format("“{}” 不是有效的时长；请写整数加单位 ms、s、m 或 h，例如 500ms、30s、1m30s", text),
      fmt::format("'{}' is not a duration; write whole numbers with a unit ms, s, m or h, for "
                  "example 500ms, 30s or 1m30s",
                  text));
  if (text.empty()) {
    return malformed;
  }

  std::string_view rest = text;
  uint64_t total = 0;
  while (!rest.empty()) {
    uint64_t number = 0;
    if (!ConsumeNumber(rest, number)) {
      return malformed;
    }
    // Of the units that match, the longest wins, so "ms" is not read as "m" followed by "s".
    const Unit* found = nullptr;
    for (const Unit& unit : kDurationUnits) {
      if (rest.substr(0, unit.name.size()) == unit.name &&
          (found == nullptr || unit.name.size() > found->name.size())) {
        found = &unit;
      }
    }
    if (found == nullptr || number > uint64_t{1} << 40) {
      return malformed;
    }
    rest.remove_prefix(found->name.size());
    total += number * found->factor;
  }

  milliseconds value(static_cast<int64_t>(total));
  if (value < min || value > max) {
    return InvalidArgument(
        fmt::format("“{}” 超出范围；请写 {} 到 {} 之间的时长", text, FormatDuration(min),
                    FormatDuration(max)),
        fmt::format("'{}' is out of range; write a duration from {} to {}", text,
                    FormatDuration(min), FormatDuration(max)));
  }
  return value;
}

Result<ListenAddress> ParseListenAddress(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) {
    return BadListenAddress(text, "缺少端口", "has no port");
  }

  std::string host(text.substr(0, colon));
  std::string_view port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
    if (!IsIpv6(host)) {
      return BadListenAddress(text, "中的 IPv6 地址无效", "has an invalid IPv6 address");
    }
  } else if (host == "localhost") {
    host = "127.0.0.1";
  } else if (!IsIpv4(host)) {
    return BadListenAddress(text, "的主机不是 IP 地址（IPv6 地址要加方括号）",
                            "has a host that is not an IP address (put an IPv6 address in brackets)");
  }

  uint64_t port = 0;
  std::string_view rest = port_text;
  if (!ConsumeNumber(rest, port) || !rest.empty() || port > 65535) {
    return BadListenAddress(text, "的端口不是 0 到 65535 之间的整数",
                            "has a port that is not a number from 0 to 65535");
  }
  return ListenAddress{host, static_cast<uint16_t>(port)};
}

Result<bool> ParseBoolean(std::string_view text) {
  std::string lower;
  for (char c : text) {
    lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  for (std::string_view yes : {"true", "1", "yes", "on"}) {
    if (lower == yes) {
      return true;
    }
  }
  for (std::string_view no : {"false", "0", "no", "off"}) {
    if (lower == no) {
      return false;
    }
  }
  return InvalidArgument(fmt::format("“{}” 不是布尔值；请写 true 或 false", text),
                         fmt::format("'{}' is not a boolean; write true or false", text));
}

Result<std::string> ParseLogLevel(std::string_view text) {
  for (std::string_view level : {"trace", "debug", "info", "warn", "error", "off"}) {
    if (text == level) {
      return std::string(level);
    }
  }
  return InvalidArgument(
      fmt::format("“{}” 不是日志级别；请用 trace、debug、info、warn、error 或 off", text),
      fmt::format("'{}' is not a log level; use one of trace, debug, info, warn, error, off", text));
}

std::string FormatByteSize(uint64_t bytes) {
  for (const Unit& unit : {Unit{"GiB", 1 << 30}, Unit{"MiB", 1 << 20}, Unit{"KiB", 1 << 10}}) {
    if (bytes != 0 && bytes % unit.factor == 0) {
      return fmt::format("{}{}", bytes / unit.factor, unit.name);
    }
  }
  return fmt::format("{}B", bytes);
}

std::string FormatDuration(milliseconds duration) {
  int64_t ms = duration.count();
  if (ms != 0 && ms % (60 * 60 * 1000) == 0) {
    return fmt::format("{}h", ms / (60 * 60 * 1000));
  }
  if (ms != 0 && ms % (60 * 1000) == 0) {
    return fmt::format("{}m", ms / (60 * 1000));
  }
  if (ms % 1000 == 0) {
    return fmt::format("{}s", ms / 1000);
  }
  return fmt::format("{}ms", ms);
}

}  // namespace salesradar::server
