// The store's side of notifications: channels, addresses, message rows and the reader cursor of
// alert_outbox (migration 0004_notify.sql). Store::OpenNotifyStore returns one.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "store/audit.h"

namespace salesradar::store {

// A robot, SMTP server or webhook. `config` is the JSON object of settings that are not secret;
// `sealed_secrets` is the output of notify::SecretBox::Seal and is never shown to anyone.
struct NotifyChannel {
  int64_t id = 0;
  std::string name;
  std::string kind;  // "wecom", "dingtalk", "feishu", "smtp" or "webhook"
  bool enabled = true;
  std::string config = "{}";
  std::string sealed_secrets;
  Timestamp created_at;
  Timestamp updated_at;
};

// Where one person or department is reached on one channel. `target` is the e-mail address for
// SMTP and empty for robots and webhooks (the channel itself is the destination).
struct NotifyAddress {
  int64_t id = 0;
  std::string owner_kind;  // "user" (owner: the user id in decimal) or "department"
  std::string owner;
  int64_t channel_id = 0;
  std::string target;
  std::string locale = "zh-CN";  // "zh-CN" or "en": the language of the messages
};

inline constexpr std::string_view kMessagePending = "pending";
inline constexpr std::string_view kMessageSending = "sending";
inline constexpr std::string_view kMessageSent = "sent";
inline constexpr std::string_view kMessageFailed = "failed";
inline constexpr std::string_view kMessageUnknown = "unknown";

struct NotifyMessage {
  int64_t id = 0;
  std::string source;  // "outbox:<seq>", "digest:<user id>:<week>", "test:<channel id>:<micros>"
  int64_t channel_id = 0;
  std::string target;
  std::string locale = "zh-CN";
  std::string body;  // JSON of notify::MessageEntry
  std::string state{kMessagePending};
  int64_t attempts = 0;
  Timestamp next_attempt_at;
  std::string last_error;
  Timestamp created_at;
  std::optional<Timestamp> sent_at;
};

// One row of alert_outbox, as the engine wrote it.
struct OutboxRow {
  int64_t seq = 0;
  std::string alert_id;
  std::string body;  // rules::AlertChangeToJson
  Timestamp created_at;
};

struct OutboxQuery {
  int64_t after_seq = 0;
  std::optional<Timestamp> created_from;  // created_at >= created_from
  int limit = 500;
};

struct NotifyMessageFilter {
  std::optional<std::string> state;
  std::optional<int64_t> channel_id;
  int64_t after_id = 0;  // for pagination, ordered by id
  int limit = 50;
};

// A change of state for a set of messages. Unset fields are left as they are.
struct NotifyMessageUpdate {
  std::string state;
  bool count_attempt = false;  // adds 1 to attempts
  std::optional<Timestamp> next_attempt_at;
  std::optional<std::string> last_error;
  std::optional<Timestamp> sent_at;
};

struct NotifyStateCount {
  int64_t channel_id = 0;
  std::string state;
  int64_t count = 0;
};

// Errors as store/store.h lists them. Writes that an admin makes (channels, addresses, resend)
// append audit rows in the same transaction; the worker's state changes are not audited.
// Not thread-safe; it borrows its Store (destroy it first) and uses the Store's transactions.
class NotifyStore {
 public:
  virtual ~NotifyStore() = default;

  // ---- Channels ----

  // Returns the new id. kAlreadyExists when the name is taken. Audited as "create" of
  // "notify_channel" without the sealed secrets.
  virtual Result<int64_t> CreateChannel(const NotifyChannel& channel, const AuditContext& audit) = 0;
  // Replaces name, enabled, config and sealed_secrets. kNotFound, kAlreadyExists. Audited.
  virtual Status UpdateChannel(const NotifyChannel& channel, const AuditContext& audit) = 0;
  // Deletes the channel with its addresses and messages. kNotFound. Audited.
  virtual Status DeleteChannel(int64_t id, const AuditContext& audit) = 0;
  virtual Result<std::optional<NotifyChannel>> GetChannel(int64_t id) = 0;
  virtual Result<std::vector<NotifyChannel>> ListChannels() = 0;  // ordered by id

  // ---- Addresses ----

  // Returns the addresses of one owner, or of every owner when `owner_kind` is empty; ordered
  // by id.
  virtual Result<std::vector<NotifyAddress>> ListAddresses(std::string_view owner_kind,
                                                           std::string_view owner) = 0;
  // Replaces every address of (owner_kind, owner) by `addresses` (their owner fields are
  // ignored). kNotFound naming a channel id that does not exist. Audited as one "update" of
  // "notify_address" with entity id "<owner_kind>:<owner>".
  virtual Status ReplaceAddresses(std::string_view owner_kind, std::string_view owner,
                                  std::span<const NotifyAddress> addresses, const AuditContext& audit) = 0;

  // ---- Outbox and messages ----

  virtual Result<std::vector<OutboxRow>> ReadOutbox(const OutboxQuery& query) = 0;

  // Returns the position stored under `name`, 0 when none is.
  virtual Result<int64_t> Cursor(std::string_view name) = 0;

  // Inserts `messages` whose (source, channel_id, target) is new, skips the others, and, when
  // `cursor_name` is not empty, stores `cursor_position` under it, all in one transaction.
  // Returns the number inserted.
  virtual Result<int64_t> Enqueue(std::span<const NotifyMessage> messages, std::string_view cursor_name,
                                  int64_t cursor_position) = 0;

  // Returns up to `limit` pending messages with next_attempt_at <= now, ordered by id.
  virtual Result<std::vector<NotifyMessage>> DueMessages(Timestamp now, int limit) = 0;

  // Applies `update` to every message of `ids` in one transaction.
  virtual Status UpdateMessages(std::span<const int64_t> ids, const NotifyMessageUpdate& update) = 0;

  // Marks every message left in 'sending' by a stopped process as 'unknown' and returns their
  // number. Run once at worker start, before any send.
  virtual Result<int64_t> MarkInterruptedMessages(std::string_view error) = 0;

  virtual Result<std::vector<NotifyMessage>> ListMessages(const NotifyMessageFilter& filter) = 0;

  // Sets a failed or unknown message back to pending, due now, with attempts 0. kNotFound;
  // kFailedPrecondition naming the state for a message that is pending, sending or sent.
  // Audited as "resend" of "notify_message".
  virtual Status Resend(int64_t id, Timestamp now, const AuditContext& audit) = 0;

  // Returns the number of messages per channel and state.
  virtual Result<std::vector<NotifyStateCount>> CountMessages() = 0;
};

}  // namespace salesradar::store
