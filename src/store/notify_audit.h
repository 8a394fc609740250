// The audit-log forms of notification channels and addresses shared by both backends, and the
// error for a missing channel.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "common/error.h"
#include "store/notify_store.h"

namespace salesradar::store {

// Returns the audited form of `channel` as JSON text: everything but the sealed secrets, of
// which only their presence is recorded.
std::string ChannelAuditJson(const NotifyChannel& channel);

// Returns the audited form of a person's or department's channel addresses as a JSON array.
std::string AddressesAuditJson(std::span<const NotifyAddress> addresses);

// Returns the not-found error for notification channel `id`.
Error ChannelNotFound(int64_t id);

}  // namespace salesradar::store
