#include "store/notify_audit.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace salesradar::store {

std::string ChannelAuditJson(const NotifyChannel& channel) {
  nlohmann::json config = nlohmann::json::parse(channel.config, nullptr, false);
  return nlohmann::json{{"name", channel.name},
                        {"kind", channel.kind},
                        {"enabled", channel.enabled},
                        {"config", config.is_discarded() ? nlohmann::json(nullptr) : config},
                        {"secrets_set", !channel.sealed_secrets.empty()}}
      .dump();
}

std::string AddressesAuditJson(std::span<const NotifyAddress> addresses) {
  nlohmann::json rows = nlohmann::json::array();
  for (const NotifyAddress& address : addresses) {
    rows.push_back({{"channel_id", address.channel_id}, {"target", address.target}, {"locale", address.locale}});
  }
  return rows.dump();
}

Error ChannelNotFound(int64_t id) {
  return NotFound(fmt::format("通知渠道 {} 不存在", id), fmt::format("notification channel {} does not exist", id));
}

}  // namespace salesradar::store
