// The PostgreSQL implementation of Store: one libpq connection per Store, named prepared
// statements prepared once per connection, batched writes in pipeline mode, migrations applied
// at open under an advisory lock.
//
// Types: times are BIGINT UTC microseconds and money BIGINT fen plus a currency code, as in
// SQLite; civil dates are DATE. Isolation is PostgreSQL's READ COMMITTED: an Upsert locks the
// stored rows of its batch (SELECT ... FOR UPDATE) before it compares them, so two Stores that
// update the same row run one after the other instead of losing an update. Two Stores that
// insert the same new external id at once: the later one fails with kAlreadyExists when the
// first commits, and retrying the call turns its insert into an update.
#pragma once

#include <memory>
#include <string>

#include "common/logging.h"
#include "store/postgres/pg_columns.h"
#include "store/postgres/pg_connection.h"
#include "store/store.h"

namespace salesradar::store::postgres {

class PgStore final : public Store {
 public:
  // Connects to `url`, a libpq URL such as "postgresql://salesradar@db.internal/salesradar"
  // (parameters such as "?options=-csearch_path%3Dtenant1" are passed to libpq), and applies
  // pending migrations. Errors as store::Open documents; kUnavailable when the server cannot
  // be reached or rejects the login, kInvalidArgument when libpq cannot parse the URL.
  static Result<std::unique_ptr<Store>> Open(const std::string& url, const OpenOptions& options);

  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  bool InTransaction() const override { return in_transaction_; }

  // The number of new rows of one table from which an Upsert sends them with COPY instead of
  // pipelined INSERTs (UpsertBatch::Send). Benchmarks set it to compare the two paths.
  static constexpr int64_t kDefaultCopyThreshold = 1000;
  void set_copy_threshold(int64_t rows) { copy_threshold_ = rows; }

  using Store::GetRecord;
  using Store::ListAccounts;
  using Store::ListOrgUnits;
  using Store::ListUsers;
  using Store::OpenOpportunityCursor;
  using Store::Upsert;

  // Appends one audit row per inserted or updated record unless OpenOptions turned that off.
  Result<std::vector<UpsertResult>> Upsert(std::span<const model::Record> records,
                                           const AuditContext& audit) override;
  Result<std::vector<UpsertResult>> Upsert(std::span<const model::Record> records) override;
  Status PutCustomFieldDefinition(const model::CustomFieldDefinition& definition) override;

  Result<std::vector<model::CustomFieldDefinition>> CustomFieldDefinitions(
      model::EntityKind kind) override;
  Result<std::optional<int64_t>> FindIdByExternalId(model::EntityKind kind,
                                                    std::string_view external_id) override;
  Result<std::vector<int64_t>> FindIdsByName(model::EntityKind kind, std::string_view name,
                                             NameMatch match) override;
  Result<std::optional<model::Record>> GetRecord(model::EntityKind kind,
                                                 std::string_view external_id,
                                                 const auth::Viewer* viewer) override;
  Result<std::optional<model::Record>> GetRecord(model::EntityKind kind,
                                                 std::string_view external_id) override;
  Result<int64_t> Count(model::EntityKind kind) override;

  Result<std::vector<model::OrgUnit>> ListOrgUnits(const auth::Viewer* viewer) override;
  Result<std::vector<model::User>> ListUsers(const auth::Viewer* viewer) override;
  Result<std::vector<model::Account>> ListAccounts(const auth::Viewer* viewer) override;
  Result<std::vector<model::Product>> ListProducts() override;
  Result<std::vector<model::OrgUnit>> ListOrgUnits() override;
  Result<std::vector<model::User>> ListUsers() override;
  Result<std::vector<model::Account>> ListAccounts() override;
  Result<auth::Viewer> ViewerForUser(int64_t user_id) override;

  // Cursors read pages of rows by keyset (WHERE key > last key ORDER BY key LIMIT n), so they
  // hold no server resource and several may be open at once. Each page is its own statement:
  // outside a transaction, rows committed by others between two pages may appear in later
  // pages.
  Result<std::unique_ptr<Cursor<model::Opportunity>>> OpenOpportunityCursor(
      const OpportunityFilter& filter, const auth::Viewer* viewer) override;
  Result<std::unique_ptr<Cursor<model::Opportunity>>> OpenOpportunityCursor(
      const OpportunityFilter& filter) override;
  Result<std::unique_ptr<Cursor<model::StageChange>>> OpenStageHistoryCursor(
      std::optional<int64_t> opportunity_id) override;

  // ---- pg_audit.cc ----

  Result<int64_t> AppendAudit(const AuditEvent& event, const AuditContext& audit) override;
  Result<std::vector<AuditEntry>> ListAudit(int64_t after_id, int limit) override;
  Result<AuditChainReport> VerifyAuditChain() override;

  // ---- pg_credentials.cc ----

  Status CreateCredentials(const Credentials& credentials, const AuditContext& audit) override;
  Result<std::optional<Credentials>> FindCredentialsByLogin(std::string_view login) override;
  Result<std::optional<Credentials>> FindCredentialsByUser(int64_t user_id) override;
  Status SetPasswordHash(int64_t user_id, std::string_view password_hash,
                         const AuditContext& audit) override;
  Status SetCredentialsDisabled(int64_t user_id, bool disabled,
                                const AuditContext& audit) override;

  Status CreateSession(const Session& session, const AuditContext& audit) override;
  Result<std::optional<Session>> FindSession(std::string_view id_hash) override;
  Status TouchSession(std::string_view id_hash, Timestamp last_seen_at,
                      Timestamp expires_at) override;
  Status DeleteSession(std::string_view id_hash, const AuditContext& audit) override;
  Result<int64_t> DeleteExpiredSessions(Timestamp now) override;

  // ---- pg_tokens.cc ----

  Result<int64_t> CreateApiToken(const NewApiToken& token, const AuditContext& audit) override;
  Result<std::optional<ApiToken>> FindApiTokenByHash(std::string_view token_hash) override;
  Result<std::vector<ApiToken>> ListApiTokens(std::optional<int64_t> user_id) override;
  Status TouchApiToken(int64_t id, Timestamp used_at) override;
  Status RevokeApiToken(int64_t id, const AuditContext& audit) override;

  // ---- pg_record_query.cc ----

  Result<RecordPage> ListRecords(const RecordQuery& query, const auth::Viewer* viewer) override;

  Result<int> SchemaVersion() override;

  // ---- pg_alert_query.cc, pg_health_query.cc, pg_notify.cc ----

  Result<AlertPage> ListAlerts(const AlertFilter& filter, const auth::Viewer* viewer) override;
  Result<std::optional<AlertRow>> GetAlert(std::string_view id,
                                           const auth::Viewer* viewer) override;
  Result<std::vector<rules::AlertHistoryEntry>> ListAlertHistory(
      std::string_view alert_id) override;
  Result<std::vector<rules::Ticket>> ListTickets(const TicketFilter& filter,
                                                 const auth::Viewer* viewer) override;
  Result<std::optional<rules::Ticket>> GetTicket(std::string_view id,
                                                 const auth::Viewer* viewer) override;
  Result<std::vector<HealthAlertRow>> ListHealthAlerts(const HealthAlertFilter& filter,
                                                       const auth::Viewer* viewer) override;
  Result<std::unique_ptr<NotifyStore>> OpenNotifyStore() override;

  // ---- pg_events.cc ----

  // One statement and one round trip per batch; sends NOTIFY salesradar_events at its commit.
  Result<AppendEventsResult> AppendEvents(std::span<const rules::Event> events) override;
  Result<std::unique_ptr<Cursor<rules::Event>>> OpenEventCursor(const EventFilter& filter) override;
  Result<std::vector<StoredEvent>> ListUnprocessedEvents(int64_t after_seq, int limit) override;
  Result<std::vector<StoredEvent>> ListUnprocessedEventsInBuckets(int64_t after_seq, int limit,
                                                                  std::span<const int> buckets) override;
  Result<int64_t> CountOutboxBacklog() override;

  // ---- pg_rule_packs.cc ----

  Result<RulePackVersion> PublishRulePack(std::string_view pack_id, int64_t version,
                                          std::string_view yaml,
                                          std::string_view published_by) override;
  Result<std::vector<RulePackVersion>> ListRulePackVersions() override;

  // ---- pg_engine_state.cc ----

  Result<std::unique_ptr<rules::EngineStateStore>> OpenEngineState() override;
  Result<std::unique_ptr<rules::EngineStateStore>> OpenScopedEngineState(
      const EngineStateScope& scope) override;

  // ---- pg_cluster.cc ----

  Result<std::unique_ptr<ClusterStore>> OpenClusterStore() override;

 private:
  PgStore(std::unique_ptr<PgConnection> connection, const Clock* clock, bool audit_record_writes)
      : connection_(std::move(connection)),
        clock_(clock),
        audit_record_writes_(audit_record_writes) {}

  // ---- pg_audit.cc ----

  // Queues `events` as chained audit rows at the end of `commands`, after locking the end of
  // the chain for this transaction. REQUIRES: an open transaction.
  Status AppendAuditCommands(std::span<const AuditEvent> events, const AuditContext& audit,
                             std::vector<PgCommand>* commands, int64_t* last_id);

  // Appends one audit row now and returns its id. REQUIRES: an open transaction.
  Result<int64_t> WriteAuditRow(const AuditEvent& event, const AuditContext& audit);

  // ---- pg_credentials.cc ----

  // Returns kNotFound naming `user_id` when no user has that id.
  Status CheckUserExists(int64_t user_id);

  // ---- pg_reads.cc ----

  Result<std::string> ExternalIdOf(model::EntityKind kind, int64_t id);

  template <typename Row>
  Result<std::vector<Row>> ListAll(model::EntityKind kind, Row (*convert)(const StoredRow&),
                                   const auth::Viewer* viewer);

  // Returns the row of (kind, external_id) when it exists and `viewer` may see it.
  Result<std::optional<StoredRow>> LoadRow(model::EntityKind kind, std::string_view external_id,
                                           const auth::Viewer* viewer);

  // ---- pg_store.cc ----

  // Runs `work` (returning a Result or Status) inside the open transaction, or inside its own
  // transaction when none is open: committed when `work` succeeds, rolled back when it fails.
  template <typename Work>
  auto WithTransaction(Work&& work) -> decltype(work()) {
    if (in_transaction_) {
      return work();
    }
    SR_RETURN_IF_ERROR(Begin());
    auto result = work();
    if (!result.ok()) {
      // The work's error matters more than a failed rollback; Rollback logs its own failure.
      (void)Rollback();
      return result;
    }
    SR_RETURN_IF_ERROR(Commit());
    return result;
  }

  std::unique_ptr<PgConnection> connection_;
  const Clock* clock_;  // not owned
  std::shared_ptr<spdlog::logger> logger_ = Logger("store");
  bool audit_record_writes_;
  bool in_transaction_ = false;
  int64_t copy_threshold_ = kDefaultCopyThreshold;
};

}  // namespace salesradar::store::postgres
