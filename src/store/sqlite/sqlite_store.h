// The SQLite implementation of Store: one connection in WAL mode, prepared statements cached
// per SQL text, migrations applied at open.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "common/logging.h"
#include "store/sqlite/columns.h"
#include "store/sqlite/sqlite_db.h"
#include "store/store.h"

namespace salesradar::store::sqlite {

// A custom field definition with its row id.
struct StoredDefinition {
  int64_t id = 0;
  model::CustomFieldDefinition definition;
};

class SqliteStore final : public Store {
 public:
  // Opens `path` (":memory:" for a private in-memory database), switches it to WAL, and applies
  // pending migrations. Errors as store::Open documents.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, const OpenOptions& options);

  Status Begin() override;
  Status Commit() override;
  Status Rollback() override;
  bool InTransaction() const override { return in_transaction_; }

  Result<std::vector<UpsertResult>> Upsert(std::span<const model::Record> records,
                                           const AuditContext& audit) override;
  Result<std::vector<UpsertResult>> Upsert(std::span<const model::Record> records) override {
    return Upsert(records, AuditContext::System());
  }
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
                                                 std::string_view external_id) override {
    return GetRecord(kind, external_id, nullptr);
  }

  Result<int64_t> Count(model::EntityKind kind) override;

  Result<std::vector<model::OrgUnit>> ListOrgUnits(const auth::Viewer* viewer) override;
  Result<std::vector<model::User>> ListUsers(const auth::Viewer* viewer) override;
  Result<std::vector<model::Account>> ListAccounts(const auth::Viewer* viewer) override;
  Result<std::vector<model::OrgUnit>> ListOrgUnits() override { return ListOrgUnits(nullptr); }
  Result<std::vector<model::User>> ListUsers() override { return ListUsers(nullptr); }
  Result<std::vector<model::Account>> ListAccounts() override { return ListAccounts(nullptr); }
  Result<std::vector<model::Product>> ListProducts() override;
  Result<auth::Viewer> ViewerForUser(int64_t user_id) override;

  Result<std::unique_ptr<Cursor<model::Opportunity>>> OpenOpportunityCursor(
      const OpportunityFilter& filter, const auth::Viewer* viewer) override;
  Result<std::unique_ptr<Cursor<model::Opportunity>>> OpenOpportunityCursor(
      const OpportunityFilter& filter) override {
    return OpenOpportunityCursor(filter, nullptr);
  }
  Result<std::unique_ptr<Cursor<model::StageChange>>> OpenStageHistoryCursor(
      std::optional<int64_t> opportunity_id) override;

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

  Result<int64_t> CreateApiToken(const NewApiToken& token, const AuditContext& audit) override;
  Result<std::optional<ApiToken>> FindApiTokenByHash(std::string_view token_hash) override;
  Result<std::vector<ApiToken>> ListApiTokens(std::optional<int64_t> user_id) override;
  Status TouchApiToken(int64_t id, Timestamp used_at) override;
  Status RevokeApiToken(int64_t id, const AuditContext& audit) override;

  Result<int64_t> AppendAudit(const AuditEvent& event, const AuditContext& audit) override;
  Result<std::vector<AuditEntry>> ListAudit(int64_t after_id, int limit) override;
  Result<AuditChainReport> VerifyAuditChain() override;

  // sqlite_events.cc, sqlite_rule_packs.cc
  Result<AppendEventsResult> AppendEvents(std::span<const rules::Event> events) override;
  Result<std::unique_ptr<Cursor<rules::Event>>> OpenEventCursor(const EventFilter& filter) override;
  Result<RulePackVersion> PublishRulePack(std::string_view pack_id, int64_t version,
                                          std::string_view yaml,
                                          std::string_view published_by) override;
  Result<std::vector<RulePackVersion>> ListRulePackVersions() override;
  Result<std::unique_ptr<rules::EngineStateStore>> OpenEngineState() override;
  // Scopes by buckets; a lease is kFailedPrecondition, since one SQLite node leases nothing.
  Result<std::unique_ptr<rules::EngineStateStore>> OpenScopedEngineState(
      const EngineStateScope& scope) override;
  Result<std::vector<StoredEvent>> ListUnprocessedEventsInBuckets(int64_t after_seq, int limit,
                                                                  std::span<const int> buckets) override;
  // sqlite_notify.cc
  Result<std::unique_ptr<NotifyStore>> OpenNotifyStore() override;

  // sqlite_health_query.cc
  Result<std::vector<HealthAlertRow>> ListHealthAlerts(const HealthAlertFilter& filter,
                                                       const auth::Viewer* viewer) override;

  // sqlite_record_query.cc
  Result<RecordPage> ListRecords(const RecordQuery& query, const auth::Viewer* viewer) override;

  // sqlite_alert_query.cc
  Result<AlertPage> ListAlerts(const AlertFilter& filter, const auth::Viewer* viewer) override;
  Result<std::optional<AlertRow>> GetAlert(std::string_view id, const auth::Viewer* viewer) override;
  Result<std::vector<rules::AlertHistoryEntry>> ListAlertHistory(std::string_view alert_id) override;
  Result<std::vector<rules::Ticket>> ListTickets(const TicketFilter& filter,
                                                 const auth::Viewer* viewer) override;
  Result<std::optional<rules::Ticket>> GetTicket(std::string_view id,
                                                 const auth::Viewer* viewer) override;
  Result<std::vector<StoredEvent>> ListUnprocessedEvents(int64_t after_seq, int limit) override;
  Result<int64_t> CountOutboxBacklog() override;

  Result<int> SchemaVersion() override;

 private:
  SqliteStore(std::unique_ptr<Connection> connection, const Clock* clock,
              bool audit_record_writes)
      : connection_(std::move(connection)),
        clock_(clock),
        audit_record_writes_(audit_record_writes) {}

  // ---- sqlite_audit.cc ----

  // Appends `events` as chained audit rows and returns the id of the last one (0 when `events`
  // is empty). REQUIRES: a transaction is open, so that no other writer moves the chain's end.
  Result<int64_t> WriteAuditRows(std::span<const AuditEvent> events, const AuditContext& audit);

  // Appends one audit row; the same contract as WriteAuditRows.
  Status WriteAuditRow(const AuditEvent& event, const AuditContext& audit);

  // ---- sqlite_credentials.cc ----

  // Returns kNotFound naming `user_id` when no user has that id.
  Status CheckUserExists(int64_t user_id);

  // Runs an UPDATE of one credentials row and returns kNotFound when it matched none.
  Status UpdateCredentials(int64_t user_id, const std::string& sql,
                           const std::function<void(Statement&)>& bind);

  // ---- sqlite_upsert.cc ----

  // Writes one record inside the open transaction. An Error is a database failure that ends
  // the whole batch; an invalid record comes back as a kRejected result.
  // Appends the audit event of an inserted or updated record to `*audit_events`.
  Result<UpsertResult> UpsertOne(const model::Record& record,
                                 std::vector<AuditEvent>* audit_events);

  // Resolves every Reference in `fields` to a checked id, using the schema of `kind` (built-in
  // fields) or `definitions` (custom fields). Returns a rejection error in `*rejection` when a
  // reference does not resolve.
  Status ResolveBuiltInReferences(const model::Record& record, model::FieldMap* fields,
                                  std::optional<Error>* rejection);
  Status ResolveCustomFields(const model::Record& record, bool is_insert,
                             model::FieldMap* values, std::optional<Error>* rejection);

  // Returns the id a reference points to in `target`, or std::nullopt when no row matches.
  Result<std::optional<int64_t>> ResolveReference(model::EntityKind target,
                                                  const model::Reference& reference);

  // INSERT and UPDATE texts by entity kind and the bit set of the fields they write.
  using SqlCache = std::map<std::pair<model::EntityKind, uint64_t>, std::string>;

  // Returns the SQL text cached in `*cache` for the fields that `fields` names, building it
  // with `build` on first use.
  static const std::string& CachedSql(SqlCache* cache, model::EntityKind kind,
                                      const model::FieldMap& fields,
                                      const std::function<std::string()>& build);

  Result<int64_t> InsertRow(const model::Record& record, const model::FieldMap& fields);
  Status UpdateRow(const model::Record& record, int64_t id, const model::FieldMap& changed);
  Status AppendStageChange(int64_t opportunity_id, const model::Value& from,
                           const model::Value& to);

  // ---- sqlite_custom_fields.cc ----

  // Returns the definitions of `kind`, from the cache when it has them and no other connection
  // has committed since they were read.
  Result<const std::vector<StoredDefinition>*> Definitions(model::EntityKind kind);

  // Empties definitions_ when another connection has committed since the last check
  // (PRAGMA data_version), since it may have changed a definition.
  Status ForgetDefinitionsChangedElsewhere();


  // Returns the stored custom values of the row `entity_id` of `kind`, by field name.
  Result<model::FieldMap> LoadCustomValues(model::EntityKind kind, int64_t entity_id);

  // Writes (or, for Null, deletes) one custom value.
  Status WriteCustomValue(const StoredDefinition& stored, int64_t entity_id,
                          const model::Value& value);

  Status CheckDefinitionChange(const StoredDefinition& old_definition,
                               const model::CustomFieldDefinition& new_definition);

  // ---- sqlite_reads.cc ----

  // Returns the row of (kind, external_id) when it exists and `viewer` sees it.
  Result<std::optional<StoredRow>> LoadRow(model::EntityKind kind, std::string_view external_id,
                                           const auth::Viewer* viewer = nullptr);
  Result<std::string> ExternalIdOf(model::EntityKind kind, int64_t id);

  template <typename Row>
  Result<std::vector<Row>> ListAll(model::EntityKind kind, Row (*convert)(const StoredRow&),
                                   const auth::Viewer* viewer);

  // ---- sqlite_record_query.cc ----

  // Sets the reference_names of `rows`.
  Status LoadReferenceNames(std::vector<RecordRow>* rows);

  // ---- sqlite_store.cc ----

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

  // Forgets every cached fact that a rolled-back transaction may have produced.
  void ClearCaches();

  Timestamp Now() const { return clock_->Now(); }

  std::unique_ptr<Connection> connection_;
  const Clock* clock_;  // not owned
  std::shared_ptr<spdlog::logger> logger_ = Logger("store");
  SqlCache insert_sql_;
  SqlCache update_sql_;
  bool in_transaction_ = false;
  bool audit_record_writes_;

  // Caches, valid only while nothing is rolled back; ClearCaches empties them. Rows are never
  // deleted through a Store, so a confirmed id stays valid after its transaction commits.
  std::map<model::EntityKind, std::vector<StoredDefinition>> definitions_;
  int64_t definitions_data_version_ = -1;  // PRAGMA data_version when definitions_ was checked
  std::map<model::EntityKind, std::unordered_set<int64_t>> known_ids_;
  std::map<model::EntityKind, std::unordered_map<std::string, int64_t>> ids_by_external_id_;
};

}  // namespace salesradar::store::sqlite
