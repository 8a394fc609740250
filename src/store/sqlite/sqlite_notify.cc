// store::NotifyStore over the SQLite backend: the tables of migration 0004_notify.sql. Writes run
// in the owning Store's transactions so that its audit rows join them.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/notify_audit.h"
#include "store/notify_settings_store.h"
#include "store/sqlite/sqlite_store.h"

namespace salesradar::store::sqlite {
namespace {

constexpr const char* kChannelColumns =
    "SELECT id, name, kind, enabled, config, sealed_secrets, created_at, updated_at FROM notify_channels";
constexpr const char* kMessageColumns =
    "SELECT id, source, channel_id, target, locale, body, state, attempts, next_attempt_at, last_error, "
    "created_at, sent_at FROM notify_messages";

NotifyChannel ReadChannel(const Statement& row) {
  NotifyChannel channel;
  channel.id = row.Int(0);
  channel.name = row.Text(1);
  channel.kind = row.Text(2);
  channel.enabled = row.Int(3) != 0;
  channel.config = row.Text(4);
  channel.sealed_secrets = row.Text(5);
  channel.created_at = FromUnixMicros(row.Int(6));
  channel.updated_at = FromUnixMicros(row.Int(7));
  return channel;
}

NotifyMessage ReadMessage(const Statement& row) {
  NotifyMessage message;
  message.id = row.Int(0);
  message.source = row.Text(1);
  message.channel_id = row.Int(2);
  message.target = row.Text(3);
  message.locale = row.Text(4);
  message.body = row.Text(5);
  message.state = row.Text(6);
  message.attempts = row.Int(7);
  message.next_attempt_at = FromUnixMicros(row.Int(8));
  message.last_error = row.Text(9);
  message.created_at = FromUnixMicros(row.Int(10));
  if (!row.IsNull(11)) message.sent_at = FromUnixMicros(row.Int(11));
  return message;
}

Error ChannelNameTaken(const std::string& name) {
  return Error(ErrorCode::kAlreadyExists, fmt::format("通知渠道名称“{}”已被使用；请换一个名称", name),
               fmt::format("notification channel name '{}' is taken; choose another name", name));
}

class SqliteNotifyStore final : public NotifyStore, public NotifySettingsStore {
 public:
  SqliteNotifyStore(Store& store, Connection& connection, const Clock& clock)
      : store_(store), connection_(connection), clock_(clock) {}

  Result<int64_t> CreateChannel(const NotifyChannel& channel, const AuditContext& audit) override {
    return InTransaction([&]() -> Result<int64_t> {
      SR_RETURN_IF_ERROR(CheckNameFree(channel.name, 0));
      SR_ASSIGN_OR_RETURN(StatementLease insert,
                          connection_.Cached("INSERT INTO notify_channels (name, kind, enabled, config, sealed_secrets, "
                                             "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"));
      int64_t now = ToUnixMicros(clock_.Now());
      insert->BindText(1, channel.name);
      insert->BindText(2, channel.kind);
      insert->BindInt(3, channel.enabled ? 1 : 0);
      insert->BindText(4, channel.config);
      insert->BindText(5, channel.sealed_secrets);
      insert->BindInt(6, now);
      insert->BindInt(7, now);
      SR_RETURN_IF_ERROR(insert->Run());
      int64_t id = sqlite3_last_insert_rowid(connection_.handle());

      SR_RETURN_IF_ERROR(
          store_.AppendAudit({"create", "notify_channel", std::to_string(id), std::nullopt, ChannelAuditJson(channel)},
                             audit));
      return id;
    });
  }

  Status UpdateChannel(const NotifyChannel& channel, const AuditContext& audit) override {
    return InTransaction([&]() -> Status {
      SR_ASSIGN_OR_RETURN(std::optional<NotifyChannel> before, GetChannel(channel.id));
      if (!before) return ChannelNotFound(channel.id);
      SR_RETURN_IF_ERROR(CheckNameFree(channel.name, channel.id));

      SR_ASSIGN_OR_RETURN(StatementLease update,
                          connection_.Cached("UPDATE notify_channels SET name = ?, enabled = ?, config = ?, "
                                             "sealed_secrets = ?, updated_at = ? WHERE id = ?"));
      update->BindText(1, channel.name);
      update->BindInt(2, channel.enabled ? 1 : 0);
      update->BindText(3, channel.config);
      update->BindText(4, channel.sealed_secrets);
      update->BindInt(5, ToUnixMicros(clock_.Now()));
      update->BindInt(6, channel.id);
      SR_RETURN_IF_ERROR(update->Run());

      NotifyChannel after = channel;
      after.kind = before->kind;
      SR_ASSIGN_OR_RETURN(int64_t audit_id,
                          store_.AppendAudit({"update", "notify_channel", std::to_string(channel.id),
                                              ChannelAuditJson(*before), ChannelAuditJson(after)},
                                             audit));
      (void)audit_id;
      return OkStatus();
    });
  }

  Status DeleteChannel(int64_t id, const AuditContext& audit) override {
    return InTransaction([&]() -> Status {
      SR_ASSIGN_OR_RETURN(std::optional<NotifyChannel> before, GetChannel(id));
      if (!before) return ChannelNotFound(id);

      // Children first, so that the delete does not depend on PRAGMA foreign_keys.
      for (const char* sql : {"DELETE FROM notify_messages WHERE channel_id = ?",
                              "DELETE FROM notify_addresses WHERE channel_id = ?",
                              "DELETE FROM notify_channels WHERE id = ?"}) {
        SR_ASSIGN_OR_RETURN(StatementLease remove, connection_.Cached(sql));
        remove->BindInt(1, id);
        SR_RETURN_IF_ERROR(remove->Run());
      }
      SR_ASSIGN_OR_RETURN(int64_t audit_id,
                          store_.AppendAudit({"delete", "notify_channel", std::to_string(id),
                                              ChannelAuditJson(*before), std::nullopt},
                                             audit));
      (void)audit_id;
      return OkStatus();
    });
  }

  Result<std::optional<NotifyChannel>> GetChannel(int64_t id) override {
    SR_ASSIGN_OR_RETURN(StatementLease select, connection_.Cached(std::string(kChannelColumns) + " WHERE id = ?"));
    select->BindInt(1, id);
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    if (!has_row) return std::optional<NotifyChannel>();
    return std::optional<NotifyChannel>(ReadChannel(*select));
  }

  Result<std::vector<NotifyChannel>> ListChannels() override {
    SR_ASSIGN_OR_RETURN(StatementLease select, connection_.Cached(std::string(kChannelColumns) + " ORDER BY id"));
    std::vector<NotifyChannel> channels;
    while (true) {
      SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
      if (!has_row) break;
      channels.push_back(ReadChannel(*select));
    }
    return channels;
  }

  Result<std::vector<NotifyAddress>> ListAddresses(std::string_view owner_kind, std::string_view owner) override {
    std::string sql = "SELECT id, owner_kind, owner, channel_id, target, locale FROM notify_addresses";
    if (!owner_kind.empty()) sql += " WHERE owner_kind = ? AND owner = ?";
    sql += " ORDER BY id";
    SR_ASSIGN_OR_RETURN(StatementLease select, connection_.Cached(sql));
    if (!owner_kind.empty()) {
      select->BindText(1, owner_kind);
      select->BindText(2, owner);
    }

    std::vector<NotifyAddress> addresses;
    while (true) {
      SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
      if (!has_row) break;
      NotifyAddress address;
      address.id = select->Int(0);
      address.owner_kind = select->Text(1);
      address.owner = select->Text(2);
      address.channel_id = select->Int(3);
      address.target = select->Text(4);
      address.locale = select->Text(5);
      addresses.push_back(std::move(address));
    }
    return addresses;
  }

  Status ReplaceAddresses(std::string_view owner_kind, std::string_view owner,
                          std::span<const NotifyAddress> addresses, const AuditContext& audit) override {
    return InTransaction([&]() -> Status {
      SR_ASSIGN_OR_RETURN(std::vector<NotifyAddress> before, ListAddresses(owner_kind, owner));
      for (const NotifyAddress& address : addresses) {
        SR_ASSIGN_OR_RETURN(std::optional<NotifyChannel> channel, GetChannel(address.channel_id));
        if (!channel) return ChannelNotFound(address.channel_id);
      }

      SR_ASSIGN_OR_RETURN(StatementLease remove,
                          connection_.Cached("DELETE FROM notify_addresses WHERE owner_kind = ? AND owner = ?"));
      remove->BindText(1, owner_kind);
      remove->BindText(2, owner);
      SR_RETURN_IF_ERROR(remove->Run());

      for (const NotifyAddress& address : addresses) {
        SR_ASSIGN_OR_RETURN(StatementLease insert,
                            connection_.Cached("INSERT OR IGNORE INTO notify_addresses (owner_kind, owner, channel_id, "
                                               "target, locale) VALUES (?, ?, ?, ?, ?)"));
        insert->BindText(1, owner_kind);
        insert->BindText(2, owner);
        insert->BindInt(3, address.channel_id);
        insert->BindText(4, address.target);
        insert->BindText(5, address.locale);
        SR_RETURN_IF_ERROR(insert->Run());
      }

      std::string entity_id = fmt::format("{}:{}", owner_kind, owner);
      SR_ASSIGN_OR_RETURN(int64_t audit_id,
                          store_.AppendAudit({"update", "notify_address", entity_id, AddressesAuditJson(before),
                                              AddressesAuditJson(addresses)},
                                             audit));
      (void)audit_id;
      return OkStatus();
    });
  }

  Result<std::vector<OutboxRow>> ReadOutbox(const OutboxQuery& query) override {
    SR_ASSIGN_OR_RETURN(StatementLease select,
                        connection_.Cached("SELECT seq, alert_id, body, created_at FROM alert_outbox "
                                           "WHERE seq > ? AND created_at >= ? ORDER BY seq LIMIT ?"));
    select->BindInt(1, query.after_seq);
    select->BindInt(2, query.created_from ? ToUnixMicros(*query.created_from) : INT64_MIN);
    select->BindInt(3, query.limit);

    std::vector<OutboxRow> rows;
    while (true) {
      SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
      if (!has_row) break;
      rows.push_back({select->Int(0), select->Text(1), select->Text(2), FromUnixMicros(select->Int(3))});
    }
    return rows;
  }

  Result<int64_t> Cursor(std::string_view name) override {
    SR_ASSIGN_OR_RETURN(StatementLease select,
                        connection_.Cached("SELECT position FROM notify_cursors WHERE name = ?"));
    select->BindText(1, name);
    SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
    return has_row ? select->Int(0) : int64_t{0};
  }

  Result<int64_t> Enqueue(std::span<const NotifyMessage> messages, std::string_view cursor_name,
                          int64_t cursor_position) override {
    return InTransaction([&]() -> Result<int64_t> {
      int64_t inserted = 0;
      for (const NotifyMessage& message : messages) {
        SR_ASSIGN_OR_RETURN(StatementLease insert,
                            connection_.Cached("INSERT OR IGNORE INTO notify_messages (source, channel_id, target, "
                                               "locale, body, state, attempts, next_attempt_at, created_at) "
                                               "VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)"));
        insert->BindText(1, message.source);
        insert->BindInt(2, message.channel_id);
        insert->BindText(3, message.target);
        insert->BindText(4, message.locale);
        insert->BindText(5, message.body);
        insert->BindInt(6, ToUnixMicros(message.next_attempt_at));
        insert->BindInt(7, ToUnixMicros(clock_.Now()));
        SR_RETURN_IF_ERROR(insert->Run());
        inserted += sqlite3_changes(connection_.handle());
      }

      if (!cursor_name.empty()) {
        SR_ASSIGN_OR_RETURN(StatementLease upsert,
                            connection_.Cached("INSERT INTO notify_cursors (name, position) VALUES (?, ?) "
                                               "ON CONFLICT (name) DO UPDATE SET position = excluded.position"));
        upsert->BindText(1, cursor_name);
        upsert->BindInt(2, cursor_position);
        SR_RETURN_IF_ERROR(upsert->Run());
      }
      return inserted;
    });
  }

  Result<std::vector<NotifyMessage>> DueMessages(Timestamp now, int limit) override {
    SR_ASSIGN_OR_RETURN(StatementLease select,
                        connection_.Cached(std::string(kMessageColumns) +
                                           " WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY id LIMIT ?"));
    select->BindInt(1, ToUnixMicros(now));
    select->BindInt(2, limit);
    return ReadMessages(*select);
  }

  Status UpdateMessages(std::span<const int64_t> ids, const NotifyMessageUpdate& update) override {
    return InTransaction([&]() -> Status {
      SR_ASSIGN_OR_RETURN(
          StatementLease statement,
          connection_.Cached("UPDATE notify_messages SET state = ?, attempts = attempts + ?, "
                             "next_attempt_at = COALESCE(?, next_attempt_at), last_error = COALESCE(?, last_error), "
                             "sent_at = COALESCE(?, sent_at) WHERE id = ?"));
      for (int64_t id : ids) {
        statement->BindText(1, update.state);
        statement->BindInt(2, update.count_attempt ? 1 : 0);
        if (update.next_attempt_at) statement->BindInt(3, ToUnixMicros(*update.next_attempt_at));
        if (update.last_error) statement->BindText(4, *update.last_error);
        if (update.sent_at) statement->BindInt(5, ToUnixMicros(*update.sent_at));
        statement->BindInt(6, id);
        SR_RETURN_IF_ERROR(statement->Run());
        statement->Reset();
      }
      return OkStatus();
    });
  }

  Result<int64_t> MarkInterruptedMessages(std::string_view error) override {
    return InTransaction([&]() -> Result<int64_t> {
      SR_ASSIGN_OR_RETURN(StatementLease update,
                          connection_.Cached("UPDATE notify_messages SET state = 'unknown', last_error = ? "
                                             "WHERE state = 'sending'"));
      update->BindText(1, error);
      SR_RETURN_IF_ERROR(update->Run());
      return int64_t{sqlite3_changes(connection_.handle())};
    });
  }

  Result<std::vector<NotifyMessage>> ListMessages(const NotifyMessageFilter& filter) override {
    SR_ASSIGN_OR_RETURN(StatementLease select,
                        connection_.Cached(std::string(kMessageColumns) +
                                           " WHERE id > ? AND (? IS NULL OR state = ?) AND (? IS NULL OR channel_id = ?)"
                                           " ORDER BY id LIMIT ?"));
    select->BindInt(1, filter.after_id);
    if (filter.state) {
      select->BindText(2, *filter.state);
      select->BindText(3, *filter.state);
    }
    if (filter.channel_id) {
      select->BindInt(4, *filter.channel_id);
      select->BindInt(5, *filter.channel_id);
    }
    select->BindInt(6, filter.limit);
    return ReadMessages(*select);
  }

  Status Resend(int64_t id, Timestamp now, const AuditContext& audit) override {
    return InTransaction([&]() -> Status {
      SR_ASSIGN_OR_RETURN(StatementLease select,
                          connection_.Cached("SELECT state FROM notify_messages WHERE id = ?"));
      select->BindInt(1, id);
      SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
      if (!has_row) {
        return NotFound(fmt::format("通知消息 {} 不存在", id), fmt::format("notification message {} does not exist", id));
      }
      std::string state = select->Text(0);
      if (state != kMessageFailed && state != kMessageUnknown) {
        return Error(ErrorCode::kFailedPrecondition,
                     fmt::format("通知消息 {} 的状态是 {}；只能重发 failed 或 unknown 状态的消息", id, state),
                     fmt::format("notification message {} is {}; only failed or unknown messages can be resent", id,
                                 state));
      }

      SR_ASSIGN_OR_RETURN(StatementLease update,
                          connection_.Cached("UPDATE notify_messages SET state = 'pending', attempts = 0, "
                                             "next_attempt_at = ? WHERE id = ?"));
      update->BindInt(1, ToUnixMicros(now));
      update->BindInt(2, id);
      SR_RETURN_IF_ERROR(update->Run());
      SR_ASSIGN_OR_RETURN(int64_t audit_id,
                          store_.AppendAudit({"resend", "notify_message", std::to_string(id),
                                              nlohmann::json{{"state", state}}.dump(),
                                              nlohmann::json{{"state", "pending"}}.dump()},
                                             audit));
      (void)audit_id;
      return OkStatus();
    });
  }

  Result<std::vector<NotifyStateCount>> CountMessages() override {
    SR_ASSIGN_OR_RETURN(StatementLease select,
                        connection_.Cached("SELECT channel_id, state, COUNT(*) FROM notify_messages "
                                           "GROUP BY channel_id, state ORDER BY channel_id, state"));
    std::vector<NotifyStateCount> counts;
    while (true) {
      SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
      if (!has_row) break;
      counts.push_back({select->Int(0), select->Text(1), select->Int(2)});
    }
    return counts;
  }

  Result<std::map<std::string, std::string>> NotifySettings() override {
    SR_ASSIGN_OR_RETURN(StatementLease select, connection_.Cached("SELECT name, value FROM notify_settings"));
    std::map<std::string, std::string> settings;
    while (true) {
      SR_ASSIGN_OR_RETURN(bool has_row, select->Step());
      if (!has_row) break;
      settings[select->Text(0)] = select->Text(1);
    }
    return settings;
  }

  Status PutNotifySettings(const std::map<std::string, std::optional<std::string>>& values,
                           const AuditContext& audit) override {
    return InTransaction([&]() -> Status {
      SR_ASSIGN_OR_RETURN(auto before, NotifySettings());
      for (const auto& [name, value] : values) SR_RETURN_IF_ERROR(PutSetting(name, value));

      SR_ASSIGN_OR_RETURN(auto after, NotifySettings());
      SR_ASSIGN_OR_RETURN(int64_t audit_id, store_.AppendAudit({"update", "notify_settings", "notify",
                                                                nlohmann::json(before).dump(),
                                                                nlohmann::json(after).dump()},
                                                               audit));
      (void)audit_id;
      return OkStatus();
    });
  }

 private:
  Status PutSetting(const std::string& name, const std::optional<std::string>& value) {
    if (!value) {
      SR_ASSIGN_OR_RETURN(StatementLease remove, connection_.Cached("DELETE FROM notify_settings WHERE name = ?"));
      remove->BindText(1, name);
      return remove->Run();
    }
    SR_ASSIGN_OR_RETURN(StatementLease upsert,
                        connection_.Cached("INSERT INTO notify_settings (name, value) VALUES (?, ?) "
                                           "ON CONFLICT (name) DO UPDATE SET value = excluded.value"));
    upsert->BindText(1, name);
    upsert->BindText(2, *value);
    return upsert->Run();
  }

  // Runs `work` in the Store's open transaction, or in its own.
  template <typename Work>
  auto InTransaction(Work&& work) -> decltype(work()) {
    if (store_.InTransaction()) return work();
    SR_RETURN_IF_ERROR(store_.Begin());
    auto result = work();
    if (!result.ok()) {
      (void)store_.Rollback();
      return result;
    }
    SR_RETURN_IF_ERROR(store_.Commit());
    return result;
  }

  Status CheckNameFree(const std::string& name, int64_t own_id) {
    SR_ASSIGN_OR_RETURN(StatementLease select,
                        connection_.Cached("SELECT 1 FROM notify_channels WHERE name = ? AND id <> ?"));
    select->BindText(1, name);
    select->BindInt(2, own_id);
    SR_ASSIGN_OR_RETURN(bool taken, select->Step());
    if (taken) return ChannelNameTaken(name);
    return OkStatus();
  }

  static Result<std::vector<NotifyMessage>> ReadMessages(Statement& select) {
    std::vector<NotifyMessage> messages;
    while (true) {
      SR_ASSIGN_OR_RETURN(bool has_row, select.Step());
      if (!has_row) break;
      messages.push_back(ReadMessage(select));
    }
    return messages;
  }

  Store& store_;
  Connection& connection_;
  const Clock& clock_;
};

}  // namespace

Result<std::unique_ptr<NotifyStore>> SqliteStore::OpenNotifyStore() {
  return std::unique_ptr<NotifyStore>(std::make_unique<SqliteNotifyStore>(*this, *connection_, *clock_));
}

}  // namespace salesradar::store::sqlite

namespace salesradar::store {

Result<NotifySettingsStore*> NotifySettingsOf(NotifyStore& notify) {
  auto* settings = dynamic_cast<NotifySettingsStore*>(&notify);
  if (settings == nullptr) {
    return Error(ErrorCode::kFailedPrecondition, "此数据库后端尚不支持通知设置；请使用 SQLite",
                 "this database backend does not store notification settings yet; use SQLite");
  }
  return settings;
}

}  // namespace salesradar::store
