#include "server/config_settings.h"

#include <cctz/time_zone.h>
#include <fmt/format.h>

#include "server/config_values.h"

namespace salesradar::server {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = 1024 * kKiB;
constexpr uint64_t kGiB = 1024 * kMiB;

Status ApplyListen(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.listen, ParseListenAddress(text));
  return OkStatus();
}

Status ApplyThreads(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, 1, 1024));
  config.threads = static_cast<int>(value);
  return OkStatus();
}

Status ApplyMaxConnections(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, 1, 1000000));
  config.max_connections = static_cast<int>(value);
  return OkStatus();
}

// Request bodies are held in memory, so the limit stays well below the memory of a small server.
Status ApplyMaxBodySize(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.max_body_bytes, ParseByteSize(text, 1, kGiB));
  return OkStatus();
}

Status ApplyMaxHeaderSize(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.max_header_bytes, ParseByteSize(text, kKiB, kMiB));
  return OkStatus();
}

Status ApplyIdleTimeout(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.idle_timeout, ParseDuration(text, milliseconds(1), hours(24)));
  return OkStatus();
}

Status ApplyRequestTimeout(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.request_timeout, ParseDuration(text, milliseconds(1), hours(24)));
  return OkStatus();
}

Status ApplyResponseTimeout(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.response_timeout, ParseDuration(text, milliseconds(1), hours(24)));
  return OkStatus();
}

Status ApplyShutdownTimeout(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.shutdown_timeout, ParseDuration(text, milliseconds(0), hours(1)));
  return OkStatus();
}

Status ApplyDataDir(std::string_view text, ServerConfig& config) {
  if (text.empty()) {
    return InvalidArgument("数据目录不能为空；请写一个目录路径，例如 /var/lib/salesradar",
                           "the data directory is empty; write a directory path such as "
                           "/var/lib/salesradar");
  }
  config.data_dir = std::string(text);
  return OkStatus();
}

Status ApplyDatabase(std::string_view text, ServerConfig& config) {
  config.database = std::string(text);
  return OkStatus();
}

Status ApplyLogLevel(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.log_level, ParseLogLevel(text));
  return OkStatus();
}

Status ApplySecureCookies(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.secure_cookies, ParseBoolean(text));
  return OkStatus();
}

Status ApplyIntakeQueueSize(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, 1, 10000000));
  config.intake_queue_size = static_cast<size_t>(value);
  return OkStatus();
}

Status ApplyStreamHeartbeat(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(config.stream_heartbeat_interval,
                      ParseDuration(text, milliseconds(10), hours(1)));
  return OkStatus();
}

Status ApplyStreamQueueSize(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, 1, 1000000));
  config.stream_queue_size = static_cast<size_t>(value);
  return OkStatus();
}

Status ApplyDigestWeekday(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, 1, 7));
  config.notify_digest_weekday = static_cast<int>(value);
  return OkStatus();
}

Status ApplyDigestHour(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, 0, 23));
  config.notify_digest_hour = static_cast<int>(value);
  return OkStatus();
}

Status ApplyClusterNodeId(std::string_view text, ServerConfig& config) {
  config.cluster_node_id = std::string(text);
  return OkStatus();
}

Status ApplyClusterPartitions(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, 1, 1024));
  config.cluster_partitions = static_cast<int>(value);
  return OkStatus();
}

Status ApplyClusterLeaseSeconds(std::string_view text, ServerConfig& config) {
  SR_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text, 1, 3600));
  config.cluster_lease = std::chrono::seconds(value);
  return OkStatus();
}

Status ApplyDigestTimeZone(std::string_view text, ServerConfig& config) {
  cctz::time_zone zone;
  if (text.empty() || !cctz::load_time_zone(std::string(text), &zone)) {
    return InvalidArgument(fmt::format("时区“{}”未知；请写 IANA 时区名，例如 Asia/Shanghai", text),
                           fmt::format("time zone '{}' is unknown; write an IANA zone name such as Asia/Shanghai",
                                       text));
  }
  config.notify_digest_time_zone = std::string(text);
  return OkStatus();
}

}  // namespace

const std::vector<SettingSpec>& SettingSpecs() {
  static const std::vector<SettingSpec> specs = {
      {{"server.listen", "SALESRADAR_LISTEN", "listen",
        "IP address and port to listen on, host:port (default 127.0.0.1:8080; port 0 picks a free "
        "port)"},
       SettingType::kListenAddress, ApplyListen},
      {{"server.threads", "SALESRADAR_THREADS", "threads",
        "I/O threads that also run the request handlers, 1 to 1024 (default 2)"},
       SettingType::kInteger, ApplyThreads},
      {{"server.max_connections", "SALESRADAR_MAX_CONNECTIONS", "max-connections",
        "open connections at most; more are closed at once (default 1024)"},
       SettingType::kInteger, ApplyMaxConnections},
      {{"server.max_body_size", "SALESRADAR_MAX_BODY_SIZE", "max-body-size",
        "largest request body, e.g. 8MiB; larger ones get 413 (default 8MiB, at most 1GiB)"},
       SettingType::kByteSize, ApplyMaxBodySize},
      {{"server.max_header_size", "SALESRADAR_MAX_HEADER_SIZE", "max-header-size",
        "largest request header, 1KiB to 1MiB; larger ones get 431 (default 16KiB)"},
       SettingType::kByteSize, ApplyMaxHeaderSize},
      {{"server.idle_timeout", "SALESRADAR_IDLE_TIMEOUT", "idle-timeout",
        "how long a kept-alive connection may wait for its next request (default 60s)"},
       SettingType::kDuration, ApplyIdleTimeout},
      {{"server.request_timeout", "SALESRADAR_REQUEST_TIMEOUT", "request-timeout",
        "time to receive one request, header and body, once it has started (default 30s)"},
       SettingType::kDuration, ApplyRequestTimeout},
      {{"server.response_timeout", "SALESRADAR_RESPONSE_TIMEOUT", "response-timeout",
        "time to send one response, or one write of a live stream (default 30s)"},
       SettingType::kDuration, ApplyResponseTimeout},
      {{"server.shutdown_timeout", "SALESRADAR_SHUTDOWN_TIMEOUT", "shutdown-timeout",
        "on stop, how long requests in flight may take to finish (default 10s)"},
       SettingType::kDuration, ApplyShutdownTimeout},
      {{"server.secure_cookies", "SALESRADAR_SECURE_COOKIES", "secure-cookies",
        "mark the sign-in cookies Secure, so browsers send them over HTTPS only; turn on behind "
        "an HTTPS proxy (default false)"},
       SettingType::kBoolean, ApplySecureCookies},
      {{"storage.data_dir", "SALESRADAR_DATA_DIR", "data-dir",
        "directory for the database and uploaded files (default data)"},
       SettingType::kString, ApplyDataDir},
      {{"storage.database", "SALESRADAR_DATABASE", "database",
        "SQLite database file or postgresql:// URL (default <data_dir>/salesradar.db)"},
       SettingType::kString, ApplyDatabase},
      {{"log.level", "SALESRADAR_LOG_LEVEL", "log-level",
        "trace, debug, info, warn, error or off (default info)"},
       SettingType::kLogLevel, ApplyLogLevel},
      {{"intake.queue_size", "SALESRADAR_INTAKE_QUEUE_SIZE", "intake-queue-size",
        "events waiting to be committed before event intake answers 429 (default 10000)"},
       SettingType::kInteger, ApplyIntakeQueueSize},
      {{"stream.heartbeat_interval", "SALESRADAR_STREAM_HEARTBEAT_INTERVAL",
        "stream-heartbeat-interval",
        "how often a quiet live stream sends a heartbeat comment (default 15s)"},
       SettingType::kDuration, ApplyStreamHeartbeat},
      {{"stream.queue_size", "SALESRADAR_STREAM_QUEUE_SIZE", "stream-queue-size",
        "events queued per live-stream client before a slow client is dropped (default 256)"},
       SettingType::kInteger, ApplyStreamQueueSize},
      {{"notify.digest_weekday", "SALESRADAR_NOTIFY_DIGEST_WEEKDAY", "notify-digest-weekday",
        "weekday of the weekly digest, 1 Monday to 7 Sunday; an admin can change it at run time "
        "(default 1)"},
       SettingType::kInteger, ApplyDigestWeekday},
      {{"notify.digest_hour", "SALESRADAR_NOTIFY_DIGEST_HOUR", "notify-digest-hour",
        "local hour of the weekly digest, 0 to 23 (default 9)"},
       SettingType::kInteger, ApplyDigestHour},
      {{"notify.digest_time_zone", "SALESRADAR_NOTIFY_DIGEST_TIME_ZONE", "notify-digest-time-zone",
        "IANA time zone of the weekly digest (default Asia/Shanghai)"},
       SettingType::kString, ApplyDigestTimeZone},
      {{"cluster.node_id", "SALESRADAR_CLUSTER_NODE_ID", "node-id",
        "this node's name in a cluster on PostgreSQL (default <hostname>-<pid>)"},
       SettingType::kString, ApplyClusterNodeId},
      {{"cluster.partitions", "SALESRADAR_CLUSTER_PARTITIONS", "cluster-partitions",
        "partitions of a new cluster on PostgreSQL, 1 to 1024; later nodes use the stored count "
        "(default 8)"},
       SettingType::kInteger, ApplyClusterPartitions},
      {{"cluster.lease_seconds", "SALESRADAR_CLUSTER_LEASE_SECONDS", "cluster-lease-seconds",
        "seconds a node's partition leases last without renewal, 1 to 3600 (default 15)"},
       SettingType::kInteger, ApplyClusterLeaseSeconds},
  };
  return specs;
}

const SettingSpec* FindSettingByKey(std::string_view key) {
  for (const SettingSpec& spec : SettingSpecs()) {
    if (spec.names.key == key) {
      return &spec;
    }
  }
  return nullptr;
}

const SettingSpec* FindSettingByFlag(std::string_view flag) {
  for (const SettingSpec& spec : SettingSpecs()) {
    if (spec.names.flag == flag) {
      return &spec;
    }
  }
  return nullptr;
}

LocalizedText ExpectedValueText(SettingType type) {
  switch (type) {
    case SettingType::kString:
      return {"应为带引号的字符串", "expected a quoted string"};
    case SettingType::kInteger:
      return {"应为不带引号的整数，例如 2", "expected a whole number without quotes, such as 2"};
    case SettingType::kByteSize:
      return {"应为字节数或带单位的字符串，例如 \"8MiB\"",
              "expected a number of bytes or a quoted size with a unit, such as \"8MiB\""};
    case SettingType::kDuration:
      return {"应为带单位的字符串，例如 \"30s\"", "expected a quoted duration with a unit, such as \"30s\""};
    case SettingType::kListenAddress:
      return {"应为字符串，例如 \"127.0.0.1:8080\"", "expected a quoted address, such as \"127.0.0.1:8080\""};
    case SettingType::kLogLevel:
      return {"应为字符串，例如 \"info\"", "expected a quoted log level, such as \"info\""};
    case SettingType::kBoolean:
      return {"应为不带引号的 true 或 false", "expected true or false without quotes"};
  }
  return {"", ""};
}

}  // namespace salesradar::server
