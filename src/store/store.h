// The Store: SalesRadar's persistent state behind one interface. SQLite and PostgreSQL
// implement it; nothing here names a backend type. Every backend passes the contract
// tests in store/store_contract_test.cc.
//
// Errors. No method throws. Every method returns a Result or Status, and these codes mean:
//   kInvalidArgument   the input breaks the model's rules; the message names the value
//   kNotFound          a named row does not exist (only where a method documents it)
//   kFailedPrecondition  the call is not allowed now (Commit without Begin, Begin twice)
//   kUnavailable       the database is busy or locked beyond the busy timeout, or unreachable;
//                      retrying later may succeed
//   kResourceExhausted the disk is full
//   kDataLoss          the database is corrupt, or its schema is newer than this binary
//   kInternal          any other database failure; the message carries the backend's text
//
// Thread safety. A Store is NOT thread-safe: one thread at a time may use it and the cursors it
// returned, so a Store has at most one transaction. Open one Store per thread that needs the
// database. Several Stores (in one process or several) may use the same database, and each
// sees only what the others have committed. With SQLite there is one writer at a time: Begin
// (and an Upsert outside a transaction) waits up to the busy timeout for another writer, then
// returns kUnavailable.
//
// Visibility. The read methods that take a `const auth::Viewer* viewer` return only the rows
// that viewer may see (auth/visibility.h states the rule per role); the rule is applied in the
// query itself. A row that is not visible is treated as absent: GetRecord returns std::nullopt.
// A null viewer means system access (the command line, the importer, the rules engine) and
// returns every row; request handlers must always pass the signed-in user's viewer.
//
// Backends under construction. The viewer-aware reads and the methods for credentials,
// sessions, tokens and the audit log have default bodies that return kFailedPrecondition (or,
// for a null viewer, call the plain read), so that a backend compiles before it implements
// them. A backend is finished when it overrides all of them and passes the contract suite.
//
// Audit. Every write appends audit rows (store/audit.h) in the same transaction as the write,
// with the actor and request id of its AuditContext: one row per inserted or updated record,
// one per credentials, session or token change. AppendAudit adds rows for other events.
//
// Ownership. Open returns a Store that the caller owns. A cursor borrows its Store: destroy or
// finish every cursor before the Store, and write nothing through the Store while a cursor is
// open (REQUIRES).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "auth/visibility.h"
#include "common/clock.h"
#include "common/result.h"
#include "model/custom_field.h"
#include "model/entities.h"
#include "model/entity.h"
#include "rules/event.h"
#include "rules/state_store.h"
#include "store/alert_query.h"
#include "store/audit.h"
#include "store/auth_types.h"
#include "store/record_query.h"
#include "store/health_query.h"
#include "store/notify_store.h"
#include "store/rules_store.h"

namespace salesradar::store {

class ClusterStore;  // store/cluster_store.h

// A forward-only stream of rows that does not load the whole result into memory.
template <typename Row>
class Cursor {
 public:
  virtual ~Cursor() = default;

  // Reads the next row into `*row`. Returns true when a row was read, false at the end (and on
  // every later call), or the Error that stopped the read.
  virtual Result<bool> Next(Row* row) = 0;
};

enum class UpsertOutcome {
  kInserted,   // no row had this (kind, external_id); one was created
  kUpdated,    // the row existed and at least one given field changed
  kUnchanged,  // the row existed with exactly the given values; nothing was written
  kRejected,   // the record is invalid and nothing of it was written; `error` gives the reason
};

struct UpsertResult {
  UpsertOutcome outcome = UpsertOutcome::kRejected;
  int64_t id = 0;              // the row id; 0 when rejected
  std::optional<Error> error;  // set exactly when rejected
};

// Filters for OpenOpportunityCursor; an unset filter matches every opportunity.
struct OpportunityFilter {
  std::vector<std::string> stages;              // stage codes; empty means all
  std::optional<int64_t> owner_id;
  std::optional<int64_t> account_id;
  std::optional<int64_t> product_id;
  std::optional<model::CivilDate> engaged_on_or_before;
};

// The comparison that FindIdsByName applies to names.
enum class NameMatch {
  kExact,       // byte-for-byte equal
  kNormalized,  // equal after model::NameKey (case, full-width and white space folded)
};

struct OpenOptions {
  // The clock for created_at, updated_at and stage history times. nullptr means the system
  // clock. Not owned; it must outlive the Store.
  const Clock* clock = nullptr;
  int busy_timeout_ms = 5000;  // how long a write waits for another writer's lock
  // Appends an audit row for every record that Upsert inserts or updates. Turn it off only for
  // throwaway databases such as a benchmark's baseline: `audit verify` cannot show writes made
  // while it was off. Credential, session and token changes are audited either way.
  bool audit_record_writes = true;
};

class Store {
 public:
  virtual ~Store() = default;

  // ---- Transactions ----

  // Starts a transaction. Returns kFailedPrecondition when one is already open on this Store,
  // kUnavailable when another writer keeps the write lock past the busy timeout.
  virtual Status Begin() = 0;

  // Makes the open transaction durable. Returns kFailedPrecondition when none is open. When the
  // commit fails, the transaction is rolled back and nothing of it is kept.
  virtual Status Commit() = 0;

  // Discards the open transaction. Returns kFailedPrecondition when none is open.
  virtual Status Rollback() = 0;

  virtual bool InTransaction() const = 0;

  // ---- Writes ----

  // Inserts or updates `records` in order, by (kind, external_id), and returns one result per
  // record in the same order. Fields merge as model::Record describes. A record that fails
  // validation is rejected alone, and the others are still written. Validation covers the
  // built-in schema, the custom field definitions and every reference. Reference external ids
  // resolve against rows already stored, including earlier records of the same call.
  //
  // An upsert that changes an opportunity's stage (or inserts one) appends a stage history row.
  // Re-upserting identical values writes nothing, not even updated_at.
  //
  // Runs inside the open transaction, or in its own transaction when none is open. A database
  // failure returns an Error for the whole call; in its own transaction nothing is kept, inside
  // the caller's transaction the caller must Rollback.
  //
  // Each inserted or updated record appends one audit row (action "insert" or "update", the
  // entity kind's name, the row id) with the changed fields before and after, as JSON; unchanged
  // and rejected records append none. The audit rows of one call are written together.
  virtual Result<std::vector<UpsertResult>> Upsert(std::span<const model::Record> records,
                                                   const AuditContext& audit);

  // Upsert with the actor "system".
  virtual Result<std::vector<UpsertResult>> Upsert(std::span<const model::Record> records) = 0;

  // Creates or replaces the custom field definition (entity, name). Changing the type of a field
  // that already has stored values returns kFailedPrecondition; so does an enum list that drops a
  // value still in use.
  virtual Status PutCustomFieldDefinition(const model::CustomFieldDefinition& definition) = 0;

  // ---- Reads ----

  // Returns the custom field definitions of `kind`, ordered by name.
  virtual Result<std::vector<model::CustomFieldDefinition>> CustomFieldDefinitions(
      model::EntityKind kind) = 0;

  // Returns the id of the row with this external id, or std::nullopt when there is none.
  virtual Result<std::optional<int64_t>> FindIdByExternalId(model::EntityKind kind,
                                                            std::string_view external_id) = 0;

  // Returns the ids of every row of `kind` whose name matches `name`, ascending; empty when none
  // does, several when the name is ambiguous. Rows without a name (an opportunity's name is
  // optional) never match. Returns kInvalidArgument for a kind without a name (activity).
  virtual Result<std::vector<int64_t>> FindIdsByName(model::EntityKind kind, std::string_view name,
                                                     NameMatch match) = 0;

  // Returns the stored record of (kind, external_id), or std::nullopt when there is none or
  // `viewer` may not see it. The record has every built-in field, Null when unset, and every
  // custom field that has a value. Its references carry both the id and the external id.
  virtual Result<std::optional<model::Record>> GetRecord(model::EntityKind kind,
                                                         std::string_view external_id,
                                                         const auth::Viewer* viewer);
  virtual Result<std::optional<model::Record>> GetRecord(model::EntityKind kind,
                                                         std::string_view external_id) = 0;

  // Returns the number of rows of `kind`.
  virtual Result<int64_t> Count(model::EntityKind kind) = 0;

  // The small tables, loaded whole and ordered by id: the rows `viewer` may see, all of them
  // for a null viewer. Products are visible to every viewer.
  virtual Result<std::vector<model::OrgUnit>> ListOrgUnits(const auth::Viewer* viewer);
  virtual Result<std::vector<model::User>> ListUsers(const auth::Viewer* viewer);
  virtual Result<std::vector<model::Account>> ListAccounts(const auth::Viewer* viewer);
  virtual Result<std::vector<model::OrgUnit>> ListOrgUnits() = 0;
  virtual Result<std::vector<model::User>> ListUsers() = 0;
  virtual Result<std::vector<model::Account>> ListAccounts() = 0;
  virtual Result<std::vector<model::Product>> ListProducts() = 0;

  // Builds the viewer of the user `user_id` from the stored org tree (auth::ViewerFor).
  // Returns kNotFound when there is no such user, kInvalidArgument for an unknown role.
  virtual Result<auth::Viewer> ViewerForUser(int64_t user_id);

  // Streams the opportunities that match `filter` and that `viewer` may see (all of them for a
  // null viewer), ordered by id.
  virtual Result<std::unique_ptr<Cursor<model::Opportunity>>> OpenOpportunityCursor(
      const OpportunityFilter& filter, const auth::Viewer* viewer);

  // Streams the opportunities that match `filter`, ordered by id.
  virtual Result<std::unique_ptr<Cursor<model::Opportunity>>> OpenOpportunityCursor(
      const OpportunityFilter& filter) = 0;

  // Streams stage history ordered by (opportunity id, time of change); only the history of
  // `opportunity_id` when it is given.
  virtual Result<std::unique_ptr<Cursor<model::StageChange>>> OpenStageHistoryCursor(
      std::optional<int64_t> opportunity_id) = 0;

  // ---- Credentials ----

  // Stores the credentials of an existing user (created_at and updated_at from the store clock;
  // the given times are ignored). Returns kNotFound when the user does not exist and
  // kAlreadyExists when the user already has credentials or the login is taken (ignoring ASCII
  // case). Audited as "create" of "credentials" with the user id; the hash is never in the row.
  virtual Status CreateCredentials(const Credentials& credentials, const AuditContext& audit);

  // Return the credentials by login (ignoring ASCII case) or by user id, std::nullopt when none.
  virtual Result<std::optional<Credentials>> FindCredentialsByLogin(std::string_view login);
  virtual Result<std::optional<Credentials>> FindCredentialsByUser(int64_t user_id);

  // Replace the password hash, or disable or enable sign-in. Return kNotFound when the user has
  // no credentials. Audited ("set_password", "disable", "enable").
  virtual Status SetPasswordHash(int64_t user_id, std::string_view password_hash,
                                 const AuditContext& audit);
  virtual Status SetCredentialsDisabled(int64_t user_id, bool disabled,
                                        const AuditContext& audit);

  // ---- Sessions ----

  // Stores a new session. Returns kNotFound when the user does not exist and kAlreadyExists for
  // a repeated id hash. Audited as "create" of "session" with the user id.
  virtual Status CreateSession(const Session& session, const AuditContext& audit);

  // Returns the session with this id hash, std::nullopt when there is none. An expired session
  // is returned too: the caller compares expires_at with its clock.
  virtual Result<std::optional<Session>> FindSession(std::string_view id_hash);

  // Records activity: sets last_seen_at and expires_at. Not audited. kNotFound when missing.
  virtual Status TouchSession(std::string_view id_hash, Timestamp last_seen_at,
                              Timestamp expires_at);

  // Deletes one session (sign-out). kNotFound when missing. Audited as "delete" of "session".
  virtual Status DeleteSession(std::string_view id_hash, const AuditContext& audit);

  // Deletes every session with expires_at <= now and returns how many. Audited as one
  // "expire" row with the count when there were any.
  virtual Result<int64_t> DeleteExpiredSessions(Timestamp now);

  // ---- API tokens ----

  // Stores a token and returns its id. Returns kNotFound when the user does not exist and
  // kAlreadyExists for a repeated hash. Audited as "create" of "api_token" with the token id.
  virtual Result<int64_t> CreateApiToken(const NewApiToken& token, const AuditContext& audit);

  // Returns the token with this hash, revoked or not, std::nullopt when there is none.
  virtual Result<std::optional<ApiToken>> FindApiTokenByHash(std::string_view token_hash);

  // Returns the tokens of `user_id`, or of every user when it is not given, ordered by id.
  virtual Result<std::vector<ApiToken>> ListApiTokens(std::optional<int64_t> user_id);

  // Sets last_used_at. Not audited. kNotFound when missing.
  virtual Status TouchApiToken(int64_t id, Timestamp used_at);

  // Sets revoked_at to now; a revoked token stays revoked. kNotFound when missing.
  // Audited as "revoke" of "api_token".
  virtual Status RevokeApiToken(int64_t id, const AuditContext& audit);

  // ---- Audit ----

  // Appends one audit row for `event`, chained to the last row, and returns its id. Runs in the
  // open transaction or its own. Returns kInvalidArgument when the action, entity kind or actor
  // is empty.
  virtual Result<int64_t> AppendAudit(const AuditEvent& event, const AuditContext& audit);

  // Returns up to `limit` rows with id > after_id, ordered by id.
  virtual Result<std::vector<AuditEntry>> ListAudit(int64_t after_id, int limit);

  // Reads the whole audit log in id order and checks every row with CheckAuditRow. Stops at the
  // first broken row. Rows cut from the end of the log cannot be detected from the log alone;
  // compare last_id and last_hash with an earlier report for that.
  virtual Result<AuditChainReport> VerifyAuditChain();

  // ---- Rules engine (store/rules_store.h) ----

  // Appends `events` to the event log in one transaction (the open one or its own). An event
  // whose id is stored already is a duplicate: counted, left unchanged. Returns kInvalidArgument
  // naming the event for one that rules::ValidateEvent rejects; nothing is written then.
  virtual Result<AppendEventsResult> AppendEvents(std::span<const rules::Event> events);

  // Streams the events that match `filter`, ordered by (occurred_at, id).
  virtual Result<std::unique_ptr<Cursor<rules::Event>>> OpenEventCursor(const EventFilter& filter);

  // Stores `yaml` as version `version` of `pack_id`, makes it the active version and returns
  // the stored row, in one transaction. Returns kFailedPrecondition naming the newest stored
  // version when `version` is not above it. The caller checks the pack before.
  virtual Result<RulePackVersion> PublishRulePack(std::string_view pack_id, int64_t version,
                                                  std::string_view yaml,
                                                  std::string_view published_by);

  // Returns every stored version, ordered by pack id and version.
  virtual Result<std::vector<RulePackVersion>> ListRulePackVersions();

  // Opens the engine state (rules/state_store.h) kept in this database. The result borrows the
  // Store: destroy it first, and call its Apply only while the Store has no open transaction
  // (Apply returns kFailedPrecondition otherwise).
  virtual Result<std::unique_ptr<rules::EngineStateStore>> OpenEngineState();

  // OpenEngineState limited to `scope` (store/rules_store.h): the state of some buckets, with
  // Apply fenced by a lease. kFailedPrecondition for a backend without it.
  virtual Result<std::unique_ptr<rules::EngineStateStore>> OpenScopedEngineState(
      const EngineStateScope& scope);

  // ---- Cluster (store/cluster_store.h) ----

  // Opens the lease and node tables of this database for a node of a cluster. The result
  // borrows the Store: destroy it first. kFailedPrecondition for a backend without clusters.
  virtual Result<std::unique_ptr<ClusterStore>> OpenClusterStore();

  // ---- Notifications (store/notify_store.h) ----

  // Opens the notification tables of this database (channels, addresses, messages, the
  // outbox cursor). The result borrows the Store: destroy it first. Returns kFailedPrecondition
  // for a backend that does not implement them.
  virtual Result<std::unique_ptr<NotifyStore>> OpenNotifyStore();

  // ---- Reports ----

  // Returns the alerts raised in [filter.from, filter.to) whose owner `viewer` may see (by the
  // owner, as for subjects; a null viewer and admins see every alert, those without an owner
  // included), ordered by raised_at. Returns kFailedPrecondition for a backend without it.
  virtual Result<std::vector<HealthAlertRow>> ListHealthAlerts(const HealthAlertFilter& filter,
                                                               const auth::Viewer* viewer);

  // ---- Record queries (store/record_query.h) ----

  // Returns one page of `query.kind` rows that match the filter and that `viewer` may see (all
  // of them for a null viewer), in the query's sort order after `query.after`. Returns
  // kInvalidArgument as ValidateRecordQuery does.
  virtual Result<RecordPage> ListRecords(const RecordQuery& query, const auth::Viewer* viewer);

  // Returns the row `id` of `kind` as ListRecords shows it, or std::nullopt when there is none
  // or `viewer` may not see it.
  virtual Result<std::optional<RecordRow>> GetRecordById(model::EntityKind kind, int64_t id,
                                                         const auth::Viewer* viewer);

  // ---- Alert queries (store/alert_query.h) ----

  // Returns one page of the alerts that match `filter` and whose owner `viewer` may see (by the
  // owner, as ListHealthAlerts does; a null viewer and admins see every alert), in the filter's
  // sort order after `filter.after`. kInvalidArgument for a limit outside 1..500.
  virtual Result<AlertPage> ListAlerts(const AlertFilter& filter, const auth::Viewer* viewer);

  // Returns the alert `id` as ListAlerts shows it, or std::nullopt when there is none or
  // `viewer` may not see it.
  virtual Result<std::optional<AlertRow>> GetAlert(std::string_view id, const auth::Viewer* viewer);

  // Returns the history of alert `alert_id` ordered by sequence; empty when there is no such
  // alert. The caller checks visibility with GetAlert first.
  virtual Result<std::vector<rules::AlertHistoryEntry>> ListAlertHistory(std::string_view alert_id);

  // Return tickets ordered by id, or one ticket, whose alert `viewer` may see.
  virtual Result<std::vector<rules::Ticket>> ListTickets(const TicketFilter& filter,
                                                         const auth::Viewer* viewer);
  virtual Result<std::optional<rules::Ticket>> GetTicket(std::string_view id,
                                                         const auth::Viewer* viewer);

  // Returns up to `limit` events of the event log with seq > after_seq that no engine batch has
  // recorded as processed, ordered by seq: those a process committed and stopped before
  // processing.
  virtual Result<std::vector<StoredEvent>> ListUnprocessedEvents(int64_t after_seq, int limit);

  // ListUnprocessedEvents limited to the events whose subject falls in `buckets`
  // (store/subject_bucket.h); every bucket when it is empty.
  virtual Result<std::vector<StoredEvent>> ListUnprocessedEventsInBuckets(int64_t after_seq, int limit,
                                                                          std::span<const int> buckets);

  // Returns the number of alert changes in the outbox that no notifier has sent yet.
  virtual Result<int64_t> CountOutboxBacklog();

  // ---- Schema ----

  // Returns the schema version of the open database (the highest applied migration).
  virtual Result<int> SchemaVersion() = 0;
};

// Rolls back the Store's open transaction when it goes out of scope without Commit().
//
//   store::Transaction tx(*store);
//   SR_RETURN_IF_ERROR(tx.Begin());
//   SR_ASSIGN_OR_RETURN(auto results, store->Upsert(batch));
//   SR_RETURN_IF_ERROR(tx.Commit());
class Transaction {
 public:
  explicit Transaction(Store& store) : store_(store) {}
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  ~Transaction();

  Status Begin();
  Status Commit();

 private:
  Store& store_;
  bool open_ = false;
};

// Opens the database at `url_or_path` and applies pending migrations inside one transaction.
//
// Accepted forms: a file path ("salesradar.db", created when missing), "sqlite:PATH" or
// "sqlite://PATH", ":memory:" for a private in-memory database, and a libpq URL
// "postgresql://..." or "postgres://..." for PostgreSQL (store/postgres/pg_store.h). For
// PostgreSQL, kUnavailable also means that the server cannot be reached or rejects the login.
//
// Returns kDataLoss when the file is not a database, or when its schema version is newer than
// this binary supports; that message names both versions and tells the user to upgrade
// SalesRadar. Returns kUnavailable when the file cannot be opened or stays locked, and
// kInvalidArgument for an empty or unknown URL.
Result<std::unique_ptr<Store>> Open(std::string_view url_or_path, const OpenOptions& options = {});

// Returns the highest schema version this binary can migrate to.
int LatestSchemaVersion();

}  // namespace salesradar::store
