#include "store/postgres/pg_notify.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/notify_audit.h"
#include "store/postgres/pg_store.h"

namespace salesradar::store::postgres {
namespace {

constexpr const char* kChannelColumns =
    "SELECT id, name, kind, enabled, config, sealed_secrets, created_at, updated_at"
    " FROM notify_channels";
constexpr const char* kMessageColumns =
    "SELECT id, source, channel_id, target, locale, body, state, attempts, next_attempt_at,"
    " last_error, created_at, sent_at FROM notify_messages";

NotifyChannel ReadChannel(const PgResult& result, int row) {
  NotifyChannel channel;
  channel.id = result.Int(row, 0);
  channel.name = std::string(result.Text(row, 1));
  channel.kind = std::string(result.Text(row, 2));
  channel.enabled = result.Bool(row, 3);
  channel.config = std::string(result.Text(row, 4));
  channel.sealed_secrets = std::string(result.Text(row, 5));
  channel.created_at = FromUnixMicros(result.Int(row, 6));
  channel.updated_at = FromUnixMicros(result.Int(row, 7));
  return channel;
}

NotifyMessage ReadMessage(const PgResult& result, int row) {
  NotifyMessage message;
  message.id = result.Int(row, 0);
  message.source = std::string(result.Text(row, 1));
  message.channel_id = result.Int(row, 2);
  message.target = std::string(result.Text(row, 3));
  message.locale = std::string(result.Text(row, 4));
  message.body = std::string(result.Text(row, 5));
  message.state = std::string(result.Text(row, 6));
  message.attempts = result.Int(row, 7);
  message.next_attempt_at = FromUnixMicros(result.Int(row, 8));
  message.last_error = std::string(result.Text(row, 9));
  message.created_at = FromUnixMicros(result.Int(row, 10));
  if (!result.IsNull(row, 11)) {
    message.sent_at = FromUnixMicros(result.Int(row, 11));
  }
  return message;
}

Error ChannelNameTaken(const std::string& name) {
  return Error(ErrorCode::kAlreadyExists,
               fmt::format("通知渠道名称“{}”已被使用；请换一个名称", name),
               fmt::format("notification channel name '{}' is taken; choose another name", name));
}

template <typename T>
void AddOptional(PgParams* params, const std::optional<T>& value) {
  if (!value) {
    params->AddNull();
  } else if constexpr (std::is_same_v<T, std::string>) {
    params->AddText(*value);
  } else {
    params->AddInt(*value);
  }
}

std::optional<int64_t> OptionalMicros(const std::optional<Timestamp>& time) {
  if (!time) {
    return std::nullopt;
  }
  return ToUnixMicros(*time);
}

}  // namespace

// ---- Channels ----

Result<int64_t> PgNotifyStore::CreateChannel(const NotifyChannel& channel,
                                             const AuditContext& audit) {
  return InTransaction([&]() -> Result<int64_t> {
    SR_RETURN_IF_ERROR(CheckNameFree(channel.name, 0));

    int64_t now = ToUnixMicros(clock_.Now());
    PgParams params;
    params.AddText(channel.name);
    params.AddText(channel.kind);
    params.AddBool(channel.enabled);
    params.AddText(channel.config);
    params.AddText(channel.sealed_secrets);
    params.AddInt(now);
    params.AddInt(now);
    SR_ASSIGN_OR_RETURN(
        PgResult inserted,
        connection_.Query(
            "INSERT INTO notify_channels (name, kind, enabled, config, sealed_secrets,"
            " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)"
            " RETURNING id",
            params, "insert notification channel"));
    int64_t id = inserted.Int(0, 0);

    SR_RETURN_IF_ERROR(store_.AppendAudit(
        {"create", "notify_channel", std::to_string(id), std::nullopt, ChannelAuditJson(channel)},
        audit));
    return id;
  });
}

Status PgNotifyStore::UpdateChannel(const NotifyChannel& channel, const AuditContext& audit) {
  return InTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(std::optional<NotifyChannel> before, GetChannel(channel.id));
    if (!before) {
      return ChannelNotFound(channel.id);
    }
    SR_RETURN_IF_ERROR(CheckNameFree(channel.name, channel.id));

    PgParams params;
    params.AddText(channel.name);
    params.AddBool(channel.enabled);
    params.AddText(channel.config);
    params.AddText(channel.sealed_secrets);
    params.AddInt(ToUnixMicros(clock_.Now()));
    params.AddInt(channel.id);
    SR_RETURN_IF_ERROR(
        connection_.Query("UPDATE notify_channels SET name = $1, enabled = $2, config = $3,"
                          " sealed_secrets = $4, updated_at = $5 WHERE id = $6",
                          params, "update notification channel"));

    NotifyChannel after = channel;
    after.kind = before->kind;
    SR_RETURN_IF_ERROR(store_.AppendAudit({"update", "notify_channel", std::to_string(channel.id),
                                           ChannelAuditJson(*before), ChannelAuditJson(after)},
                                          audit));
    return OkStatus();
  });
}

Status PgNotifyStore::DeleteChannel(int64_t id, const AuditContext& audit) {
  return InTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(std::optional<NotifyChannel> before, GetChannel(id));
    if (!before) {
      return ChannelNotFound(id);
    }

    // The channel's addresses and messages go with it (ON DELETE CASCADE).
    PgParams params;
    params.AddInt(id);
    SR_RETURN_IF_ERROR(connection_.Query("DELETE FROM notify_channels WHERE id = $1", params,
                                         "delete notification channel"));
    SR_RETURN_IF_ERROR(store_.AppendAudit(
        {"delete", "notify_channel", std::to_string(id), ChannelAuditJson(*before), std::nullopt},
        audit));
    return OkStatus();
  });
}

Result<std::optional<NotifyChannel>> PgNotifyStore::GetChannel(int64_t id) {
  PgParams params;
  params.AddInt(id);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_.Query(std::string(kChannelColumns) + " WHERE id = $1", params,
                                        "read notification channel"));
  if (result.rows() == 0) {
    return std::optional<NotifyChannel>();
  }
  return std::optional<NotifyChannel>(ReadChannel(result, 0));
}

Result<std::vector<NotifyChannel>> PgNotifyStore::ListChannels() {
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_.Query(std::string(kChannelColumns) + " ORDER BY id", PgParams(),
                                        "list notification channels"));
  std::vector<NotifyChannel> channels;
  for (int row = 0; row < result.rows(); ++row) {
    channels.push_back(ReadChannel(result, row));
  }
  return channels;
}

Status PgNotifyStore::CheckNameFree(const std::string& name, int64_t own_id) {
  PgParams params;
  params.AddText(name);
  params.AddInt(own_id);
  SR_ASSIGN_OR_RETURN(
      PgResult result,
      connection_.Query("SELECT 1 FROM notify_channels WHERE name = $1 AND id <> $2", params,
                        "check notification channel name"));
  if (result.rows() > 0) {
    return ChannelNameTaken(name);
  }
  return OkStatus();
}

// ---- Addresses ----

Result<std::vector<NotifyAddress>> PgNotifyStore::ListAddresses(std::string_view owner_kind,
                                                                std::string_view owner) {
  std::string sql =
      "SELECT id, owner_kind, owner, channel_id, target, locale FROM notify_addresses";
  PgParams params;
  if (!owner_kind.empty()) {
    sql += " WHERE owner_kind = $1 AND owner = $2";
    params.AddText(owner_kind);
    params.AddText(owner);
  }
  sql += " ORDER BY id";
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_.Query(sql, params, "list notification addresses"));

  std::vector<NotifyAddress> addresses;
  for (int row = 0; row < result.rows(); ++row) {
    NotifyAddress address;
    address.id = result.Int(row, 0);
    address.owner_kind = std::string(result.Text(row, 1));
    address.owner = std::string(result.Text(row, 2));
    address.channel_id = result.Int(row, 3);
    address.target = std::string(result.Text(row, 4));
    address.locale = std::string(result.Text(row, 5));
    addresses.push_back(std::move(address));
  }
  return addresses;
}

Status PgNotifyStore::ReplaceAddresses(std::string_view owner_kind, std::string_view owner,
                                       std::span<const NotifyAddress> addresses,
                                       const AuditContext& audit) {
  return InTransaction([&]() -> Status {
    SR_ASSIGN_OR_RETURN(std::vector<NotifyAddress> before, ListAddresses(owner_kind, owner));
    for (const NotifyAddress& address : addresses) {
      SR_ASSIGN_OR_RETURN(std::optional<NotifyChannel> channel, GetChannel(address.channel_id));
      if (!channel) {
        return ChannelNotFound(address.channel_id);
      }
    }

    PgParams remove;
    remove.AddText(owner_kind);
    remove.AddText(owner);
    SR_RETURN_IF_ERROR(
        connection_.Query("DELETE FROM notify_addresses WHERE owner_kind = $1 AND owner = $2",
                          remove, "delete notification addresses"));

    for (const NotifyAddress& address : addresses) {
      PgParams insert;
      insert.AddText(owner_kind);
      insert.AddText(owner);
      insert.AddInt(address.channel_id);
      insert.AddText(address.target);
      insert.AddText(address.locale);
      SR_RETURN_IF_ERROR(connection_.Query(
          "INSERT INTO notify_addresses (owner_kind, owner, channel_id, target, locale)"
          " VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
          insert, "insert notification address"));
    }

    std::string entity_id = fmt::format("{}:{}", owner_kind, owner);
    SR_RETURN_IF_ERROR(
        store_.AppendAudit({"update", "notify_address", entity_id, AddressesAuditJson(before),
                            AddressesAuditJson(addresses)},
                           audit));
    return OkStatus();
  });
}

// ---- Outbox and messages ----

Result<std::vector<OutboxRow>> PgNotifyStore::ReadOutbox(const OutboxQuery& query) {
  PgParams params;
  params.AddInt(query.after_seq);
  params.AddInt(query.created_from ? ToUnixMicros(*query.created_from) : INT64_MIN);
  params.AddInt(query.limit);
  SR_ASSIGN_OR_RETURN(
      PgResult result,
      connection_.Query("SELECT seq, alert_id, body, created_at FROM alert_outbox"
                        " WHERE seq > $1 AND created_at >= $2 ORDER BY seq LIMIT $3",
                        params, "read alert outbox"));
  std::vector<OutboxRow> rows;
  for (int row = 0; row < result.rows(); ++row) {
    rows.push_back({result.Int(row, 0), std::string(result.Text(row, 1)),
                    std::string(result.Text(row, 2)), FromUnixMicros(result.Int(row, 3))});
  }
  return rows;
}

Result<int64_t> PgNotifyStore::Cursor(std::string_view name) {
  PgParams params;
  params.AddText(name);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_.Query("SELECT position FROM notify_cursors WHERE name = $1",
                                        params, "read notification cursor"));
  return result.rows() > 0 ? result.Int(0, 0) : int64_t{0};
}

Result<int64_t> PgNotifyStore::Enqueue(std::span<const NotifyMessage> messages,
                                       std::string_view cursor_name, int64_t cursor_position) {
  return InTransaction([&]() -> Result<int64_t> {
    int64_t inserted = 0;
    if (!messages.empty()) {
      std::vector<std::string> sources, targets, locales, bodies;
      std::vector<int64_t> channels, due;
      for (const NotifyMessage& message : messages) {
        sources.push_back(message.source);
        channels.push_back(message.channel_id);
        targets.push_back(message.target);
        locales.push_back(message.locale);
        bodies.push_back(message.body);
        due.push_back(ToUnixMicros(message.next_attempt_at));
      }
      PgParams params;
      params.AddText(ArrayLiteral(sources));
      params.AddText(ArrayLiteral(channels));
      params.AddText(ArrayLiteral(targets));
      params.AddText(ArrayLiteral(locales));
      params.AddText(ArrayLiteral(bodies));
      params.AddText(ArrayLiteral(due));
      params.AddInt(ToUnixMicros(clock_.Now()));
      SR_ASSIGN_OR_RETURN(
          PgResult result,
          connection_.Query(
              "INSERT INTO notify_messages (source, channel_id, target, locale, body, state,"
              " attempts, next_attempt_at, created_at)"
              " SELECT m.source, m.channel_id, m.target, m.locale, m.body, 'pending', 0, m.due, $7"
              " FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[],"
              " $6::bigint[]) WITH ORDINALITY AS m (source, channel_id, target, locale, body, due, "
              "n)"
              " ORDER BY m.n ON CONFLICT (source, channel_id, target) DO NOTHING",
              params, "enqueue notification messages"));
      inserted = result.affected_rows();
    }

    if (!cursor_name.empty()) {
      PgParams cursor;
      cursor.AddText(cursor_name);
      cursor.AddInt(cursor_position);
      SR_RETURN_IF_ERROR(
          connection_.Query("INSERT INTO notify_cursors (name, position) VALUES ($1, $2)"
                            " ON CONFLICT (name) DO UPDATE SET position = excluded.position",
                            cursor, "store notification cursor"));
    }
    return inserted;
  });
}

Result<std::vector<NotifyMessage>> PgNotifyStore::DueMessages(Timestamp now, int limit) {
  PgParams params;
  params.AddInt(ToUnixMicros(now));
  params.AddInt(limit);
  return QueryMessages(
      std::string(kMessageColumns) +
          " WHERE state = 'pending' AND next_attempt_at <= $1 ORDER BY id LIMIT $2",
      params, "read due notification messages");
}

Status PgNotifyStore::UpdateMessages(std::span<const int64_t> ids,
                                     const NotifyMessageUpdate& update) {
  if (ids.empty()) {
    return OkStatus();
  }
  PgParams params;
  params.AddText(update.state);
  params.AddInt(update.count_attempt ? 1 : 0);
  AddOptional(&params, OptionalMicros(update.next_attempt_at));
  AddOptional(&params, update.last_error);
  AddOptional(&params, OptionalMicros(update.sent_at));
  params.AddText(ArrayLiteral(ids));
  SR_RETURN_IF_ERROR(connection_.Query(
      "UPDATE notify_messages SET state = $1, attempts = attempts + $2,"
      " next_attempt_at = COALESCE($3::bigint, next_attempt_at),"
      " last_error = COALESCE($4::text, last_error), sent_at = COALESCE($5::bigint, sent_at)"
      " WHERE id = ANY($6::bigint[])",
      params, "update notification messages"));
  return OkStatus();
}

Result<int64_t> PgNotifyStore::MarkInterruptedMessages(std::string_view error) {
  PgParams params;
  params.AddText(error);
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_.Query("UPDATE notify_messages SET state = 'unknown',"
                                        " last_error = $1 WHERE state = 'sending'",
                                        params, "mark interrupted notification messages"));
  return result.affected_rows();
}

Result<std::vector<NotifyMessage>> PgNotifyStore::ListMessages(const NotifyMessageFilter& filter) {
  PgParams params;
  params.AddInt(filter.after_id);
  AddOptional(&params, filter.state);
  AddOptional(&params, filter.channel_id);
  params.AddInt(filter.limit);
  return QueryMessages(std::string(kMessageColumns) +
                           " WHERE id > $1 AND ($2::text IS NULL OR state = $2)"
                           " AND ($3::bigint IS NULL OR channel_id = $3) ORDER BY id LIMIT $4",
                       params, "list notification messages");
}

Status PgNotifyStore::Resend(int64_t id, Timestamp now, const AuditContext& audit) {
  return InTransaction([&]() -> Status {
    PgParams select;
    select.AddInt(id);
    SR_ASSIGN_OR_RETURN(
        PgResult result,
        connection_.Query("SELECT state FROM notify_messages WHERE id = $1 FOR UPDATE", select,
                          "read notification message"));
    if (result.rows() == 0) {
      return NotFound(fmt::format("通知消息 {} 不存在", id),
                      fmt::format("notification message {} does not exist", id));
    }
    std::string state(result.Text(0, 0));
    if (state != kMessageFailed && state != kMessageUnknown) {
      return Error(
          ErrorCode::kFailedPrecondition,
          fmt::format("通知消息 {} 的状态是 {}；只能重发 failed 或 unknown 状态的消息", id, state),
          fmt::format("notification message {} is {}; only failed or unknown messages "
                      "can be resent",
                      id, state));
    }

    PgParams update;
    update.AddInt(ToUnixMicros(now));
    update.AddInt(id);
    SR_RETURN_IF_ERROR(
        connection_.Query("UPDATE notify_messages SET state = 'pending', attempts = 0,"
                          " next_attempt_at = $1 WHERE id = $2",
                          update, "resend notification message"));
    SR_RETURN_IF_ERROR(store_.AppendAudit(
        {"resend", "notify_message", std::to_string(id), nlohmann::json{{"state", state}}.dump(),
         nlohmann::json{{"state", "pending"}}.dump()},
        audit));
    return OkStatus();
  });
}

Result<std::vector<NotifyStateCount>> PgNotifyStore::CountMessages() {
  SR_ASSIGN_OR_RETURN(PgResult result,
                      connection_.Query("SELECT channel_id, state, COUNT(*) FROM notify_messages"
                                        " GROUP BY channel_id, state"
                                        " ORDER BY channel_id, state COLLATE \"C\"",
                                        PgParams(), "count notification messages"));
  std::vector<NotifyStateCount> counts;
  for (int row = 0; row < result.rows(); ++row) {
    counts.push_back({result.Int(row, 0), std::string(result.Text(row, 1)), result.Int(row, 2)});
  }
  return counts;
}

Result<std::vector<NotifyMessage>> PgNotifyStore::QueryMessages(const std::string& sql,
                                                                const PgParams& params,
                                                                std::string_view operation) {
  SR_ASSIGN_OR_RETURN(PgResult result, connection_.Query(sql, params, operation));
  std::vector<NotifyMessage> messages;
  for (int row = 0; row < result.rows(); ++row) {
    messages.push_back(ReadMessage(result, row));
  }
  return messages;
}

// ---- pg_store.h ----

Result<std::unique_ptr<NotifyStore>> PgStore::OpenNotifyStore() {
  return std::unique_ptr<NotifyStore>(
      std::make_unique<PgNotifyStore>(*this, *connection_, *clock_));
}

}  // namespace salesradar::store::postgres
