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

  Result<std::vector<UpsertResult>> Upsert(std::span<const model::Record> records) override;
  Status PutCustomFieldDefinition(const model::CustomFieldDefinition& definition) override;

  Result<std::vector<model::CustomFieldDefinition>> CustomFieldDefinitions(
      model::EntityKind kind) override;
  Result<std::optional<int64_t>> FindIdByExternalId(model::EntityKind kind,
                                                    std::string_view external_id) override;
  Result<std::vector<int64_t>> FindIdsByName(model::EntityKind kind, std::string_view name,
                                             NameMatch match) override;
  Result<std::optional<model::Record>> GetRecord(model::EntityKind kind,
                                                 std::string_view external_id) override;
  Result<int64_t> Count(model::EntityKind kind) override;

  Result<std::vector<model::OrgUnit>> ListOrgUnits() override;
  Result<std::vector<model::User>> ListUsers() override;
  Result<std::vector<model::Account>> ListAccounts() override;
  Result<std::vector<model::Product>> ListProducts() override;

  Result<std::unique_ptr<Cursor<model::Opportunity>>> OpenOpportunityCursor(
      const OpportunityFilter& filter) override;
  Result<std::unique_ptr<Cursor<model::StageChange>>> OpenStageHistoryCursor(
      std::optional<int64_t> opportunity_id) override;

  Result<int> SchemaVersion() override;

 private:
  SqliteStore(std::unique_ptr<Connection> connection, const Clock* clock)
      : connection_(std::move(connection)), clock_(clock) {}

  // ---- sqlite_upsert.cc ----

  // Writes one record inside the open transaction. An Error is a database failure that ends
  // the whole batch; an invalid record comes back as a kRejected result.
  Result<UpsertResult> UpsertOne(const model::Record& record);

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

  // Returns the definitions of `kind`, from the cache when it has them.
  Result<const std::vector<StoredDefinition>*> Definitions(model::EntityKind kind);

  // Returns the stored custom values of the row `entity_id` of `kind`, by field name.
  Result<model::FieldMap> LoadCustomValues(model::EntityKind kind, int64_t entity_id);

  // Writes (or, for Null, deletes) one custom value.
  Status WriteCustomValue(const StoredDefinition& stored, int64_t entity_id,
                          const model::Value& value);

  Status CheckDefinitionChange(const StoredDefinition& old_definition,
                               const model::CustomFieldDefinition& new_definition);

  // ---- sqlite_reads.cc ----

  Result<std::optional<StoredRow>> LoadRow(model::EntityKind kind, std::string_view external_id);
  Result<std::string> ExternalIdOf(model::EntityKind kind, int64_t id);

  template <typename Row>
  Result<std::vector<Row>> ListAll(model::EntityKind kind, Row (*convert)(const StoredRow&));

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

  // Caches, valid only while nothing is rolled back; ClearCaches empties them. Rows are never
  // deleted through a Store, so a confirmed id stays valid after its transaction commits.
  std::map<model::EntityKind, std::vector<StoredDefinition>> definitions_;
  std::map<model::EntityKind, std::unordered_set<int64_t>> known_ids_;
  std::map<model::EntityKind, std::unordered_map<std::string, int64_t>> ids_by_external_id_;
};

}  // namespace salesradar::store::sqlite
