// The CSV importer: reads files with a mapping, converts rows, resolves references and writes
// the records through the Store in batches.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/result.h"
#include "ingest/encoding.h"
#include "ingest/mapping.h"
#include "ingest/row_converter.h"
#include "store/store.h"

namespace salesradar::ingest {

struct ImportOptions {
  // Rows per transaction. A killed import keeps only whole batches; running it again completes
  // the job, because upserts by external id are idempotent. Fewer commits are faster: 5000
  // took about 20 % less wall time than 1000 for 200,000 generated pipeline rows (ingest_bench
  // data, 2-core VM, one measurement each way).
  size_t batch_size = 5000;
  // Overrides the mapping's csv.encoding when set.
  std::optional<EncodingChoice> encoding;
  // Convert, resolve and upsert without committing: the importer then opens no transactions
  // of its own, and the caller begins one before the import and rolls it back after.
  bool dry_run = false;
  // Request id of the audit rows that the writes append (actor "import"); may be empty.
  std::string job_id;
  // When set and true, Run stops at its next progress report (every few hundred rows) with
  // kFailedPrecondition; the batches committed before stay. Not owned.
  const std::atomic<bool>* cancel = nullptr;
};

// Unresolved values of one reference field: each distinct value (possibly "") and its count.
struct UnresolvedReferences {
  std::string field;
  std::string column;
  model::EntityKind target = model::EntityKind::kAccount;
  bool required = false;  // true: the rows were rejected; false: kept with the field empty
  std::map<std::string, int64_t> counts;
  int64_t values_not_listed = 0;  // occurrences of distinct values beyond the listed maximum
};

// Counts for one target of one file. rows_read equals the sum of the other row counts.
struct TargetSummary {
  std::string file;
  model::EntityKind entity = model::EntityKind::kAccount;
  std::string description;  // the target's description from the mapping, may be empty
  int64_t rows_read = 0;
  int64_t inserted = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t rejected = 0;
  int64_t duplicates = 0;  // rows of a `distinct` target that repeat an earlier row
  std::vector<UnresolvedReferences> unresolved;
  std::vector<std::string> created_custom_fields;
};

// Receives what happens during an import. Called on the importing thread.
class ImportObserver {
 public:
  virtual ~ImportObserver() = default;

  // A row was rejected; called once per problem, so a row may produce several calls.
  virtual void OnRowError(std::string_view file, const RowError& error) = 0;

  // Called every few hundred rows with the rows read so far and the file's bytes consumed.
  virtual void OnProgress(std::string_view file, int64_t rows, uint64_t bytes_read,
                          uint64_t file_size) = 0;
};

// A file checked against its mapping and ready to import.
struct PreparedFile {
  const Mapping* mapping = nullptr;
  std::string csv_path;
  EncodingChoice encoding = EncodingChoice::kAuto;
  std::vector<std::string> header;
  std::vector<RowConverter> converters;  // one per target of the mapping
};

// Not thread-safe; one importer per Store.
class Importer {
 public:
  // Distinct unresolved values listed per reference field; further ones are only counted.
  static constexpr size_t kMaxListedUnresolved = 1000;

  // `store` and `observer` must outlive the importer.
  Importer(store::Store& store, ImportOptions options, ImportObserver& observer);

  // Opens `csv_path`, detects its encoding, reads the header and binds every target of
  // `mapping` to it, and checks the mapping's custom fields against the stored definitions.
  // Writes nothing. Errors mean the input or the mapping must change before an import can
  // run: kNotFound for a missing file, kInvalidArgument for an undetectable encoding, an empty
  // file, a column missing from the header or a custom field whose stored type differs.
  // `mapping` must outlive the result.
  Result<PreparedFile> Prepare(const Mapping& mapping, const std::string& csv_path);

  // Imports a prepared file: every target in mapping order, each a pass over the file.
  // Rejected rows go to the observer and into the counts; the others are committed in batches.
  // Returns an error only when the import cannot go on: the file becomes unreadable or invalid
  // in its encoding, or the database fails. The batches committed before the error stay.
  Result<std::vector<TargetSummary>> Run(const PreparedFile& file);

 private:
  struct TargetRun;
  enum class Resolution { kResolved, kRejected, kDeferred };

  Status CreateCustomFields(const TargetMapping& target, TargetSummary& summary);
  Result<TargetSummary> RunTarget(const PreparedFile& file, size_t target_index);
  Status ProcessRow(TargetRun& run, ConvertedRow& row);
  Result<Resolution> ResolveReferences(TargetRun& run, ConvertedRow& row, bool allow_defer);
  Status AddToBatch(TargetRun& run, ConvertedRow& row, Resolution resolution);
  Result<std::optional<int64_t>> LookUp(const FieldMapping& field, const std::string& key,
                                        bool* ambiguous);
  void CountUnresolved(TargetRun& run, const PendingReference& reference);
  bool CheckDistinct(TargetRun& run, const ConvertedRow& row);
  Status FlushBatch(TargetRun& run);
  Status ResolveDeferred(TargetRun& run);
  void ReportError(TargetRun& run, RowError error);
  void ForgetMissing(model::EntityKind kind);

  store::Store& store_;
  ImportOptions options_;
  ImportObserver& observer_;

  // Reference lookups by (target kind, key type, text). std::nullopt caches a miss until rows
  // of that kind are written.
  std::unordered_map<std::string, std::optional<int64_t>> lookup_cache_;
  // Cached misses per entity kind, so that ForgetMissing skips kinds without any.
  std::map<model::EntityKind, int64_t> cached_misses_;
};

}  // namespace salesradar::ingest
