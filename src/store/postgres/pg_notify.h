// store::NotifyStore over PostgreSQL: the tables of migration 0004_notify.sql, with the same
// meaning and audit rows as the SQLite version (store/sqlite/sqlite_notify.cc). Writes run in the
// owning Store's transactions so that its audit rows join them.
#pragma once

#include "store/notify_settings_store.h"
#include "store/notify_store.h"
#include "store/postgres/pg_connection.h"
#include "store/store.h"

namespace salesradar::store::postgres {

class PgNotifyStore final : public NotifyStore, public NotifySettingsStore {
 public:
  PgNotifyStore(Store& store, PgConnection& connection, const Clock& clock)
      : store_(store), connection_(connection), clock_(clock) {}

  Result<int64_t> CreateChannel(const NotifyChannel& channel, const AuditContext& audit) override;
  Status UpdateChannel(const NotifyChannel& channel, const AuditContext& audit) override;
  Status DeleteChannel(int64_t id, const AuditContext& audit) override;
  Result<std::optional<NotifyChannel>> GetChannel(int64_t id) override;
  Result<std::vector<NotifyChannel>> ListChannels() override;

  Result<std::vector<NotifyAddress>> ListAddresses(std::string_view owner_kind,
                                                   std::string_view owner) override;
  Status ReplaceAddresses(std::string_view owner_kind, std::string_view owner,
                          std::span<const NotifyAddress> addresses,
                          const AuditContext& audit) override;

  Result<std::vector<OutboxRow>> ReadOutbox(const OutboxQuery& query) override;
  Result<int64_t> Cursor(std::string_view name) override;
  // One INSERT ... ON CONFLICT DO NOTHING over arrays of the messages' columns.
  Result<int64_t> Enqueue(std::span<const NotifyMessage> messages, std::string_view cursor_name,
                          int64_t cursor_position) override;
  Result<std::vector<NotifyMessage>> DueMessages(Timestamp now, int limit) override;
  Status UpdateMessages(std::span<const int64_t> ids, const NotifyMessageUpdate& update) override;
  Result<int64_t> MarkInterruptedMessages(std::string_view error) override;
  Result<std::vector<NotifyMessage>> ListMessages(const NotifyMessageFilter& filter) override;
  Status Resend(int64_t id, Timestamp now, const AuditContext& audit) override;
  Result<std::vector<NotifyStateCount>> CountMessages() override;

  // pg_notify_settings.cc
  Result<std::map<std::string, std::string>> NotifySettings() override;
  Status PutNotifySettings(const std::map<std::string, std::optional<std::string>>& values,
                           const AuditContext& audit) override;

 private:
  // Runs `work` in the Store's open transaction, or in its own.
  template <typename Work>
  auto InTransaction(Work&& work) -> decltype(work()) {
    if (store_.InTransaction()) {
      return work();
    }
    SR_RETURN_IF_ERROR(store_.Begin());
    auto result = work();
    if (!result.ok()) {
      // The work's error matters more than a failed rollback; Rollback logs its own failure.
      (void)store_.Rollback();
      return result;
    }
    SR_RETURN_IF_ERROR(store_.Commit());
    return result;
  }

  Status CheckNameFree(const std::string& name, int64_t own_id);
  Status PutSetting(const std::string& name, const std::optional<std::string>& value);
  Result<std::vector<NotifyMessage>> QueryMessages(const std::string& sql, const PgParams& params,
                                                   std::string_view operation);

  Store& store_;
  PgConnection& connection_;
  const Clock& clock_;
};

}  // namespace salesradar::store::postgres
