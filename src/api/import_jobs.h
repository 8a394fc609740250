// Import jobs behind /api/v1/imports: an uploaded CSV or XLSX file is stored under the upload
// directory (an XLSX workbook is converted to UTF-8 CSV there), previewed with a column mapping,
// and then imported by a background thread while the client polls the job for its progress and,
// at the end, its summary.
//
// The mapping is JSON with the keys of a mapping file (src/ingest/mapping.h, docs/import.md):
// {"external_id": "商机编号", "fields": {"name": "商机名称", "stage": {"column": "阶段", ...}}}.
// `entity` defaults to the job's entity; `source` and `csv` are ignored, because the file and its
// encoding come from the upload.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/locale.h"
#include "common/result.h"
#include "ingest/row_converter.h"
#include "store/audit.h"

namespace salesradar::api {

class StorePool;

enum class ImportJobState { kUploaded, kRunning, kSucceeded, kFailed, kCancelled };

// Returns "uploaded", "running", "succeeded", "failed" or "cancelled".
std::string_view ImportJobStateName(ImportJobState state);

struct ImportJob {
  int64_t id = 0;
  int64_t created_by = 0;  // user id
  std::string file_name;   // as uploaded
  std::string format;      // "csv" or "xlsx"
  std::string encoding;    // of the uploaded CSV: "UTF-8" or "GB18030"; "UTF-8" for XLSX
  std::string entity;      // "opportunity", "account" ...
  std::vector<std::string> header;  // the column names of the first row
  ImportJobState state = ImportJobState::kUploaded;
  int64_t data_rows = 0;   // records after the header
  int64_t rows_total = 0;  // data rows times the mapping's targets, known when the run starts
  int64_t rows_done = 0;
  nlohmann::json summary;  // per target counts and unresolved references; null until the end
  LocalizedText summary_text;  // the summary as `salesradar import` prints it
  std::vector<ingest::RowError> row_errors;  // the first kMaxRowErrors rejected rows' problems
  int64_t row_errors_total = 0;
  std::optional<std::string> error_zh;
  std::optional<std::string> error_en;
  Timestamp created_at;
  std::optional<Timestamp> started_at;
  std::optional<Timestamp> finished_at;
};

// The entities that an upload may import: opportunity, account, contact, lead and activity.
bool IsImportableEntity(std::string_view entity);

// Thread safety: every method may be called from any thread.
class ImportJobs {
 public:
  // Rows that a preview converts at most.
  static constexpr int kMaxPreviewRows = 100;
  // Row problems that a job keeps for its summary; the rest are only counted.
  static constexpr size_t kMaxRowErrors = 200;

  // `upload_dir` is created when missing. Jobs live in memory; a restart forgets them and the
  // files stay on disk for inspection (new job ids continue after the folders found there).
  static Result<std::unique_ptr<ImportJobs>> Create(StorePool& stores, const Clock& clock,
                                                    std::string upload_dir);
  virtual ~ImportJobs() = default;

  // Stores `content` and reads its header. Returns kInvalidArgument for an unknown entity, an
  // empty file, an undetectable encoding or a broken workbook, with the file name.
  virtual Result<ImportJob> Upload(int64_t user_id, std::string file_name, std::string entity,
                                   std::string content) = 0;

  // Converts the first `rows` data rows with `mapping` and returns
  // {mapping_ok, mapping_problems, header, rows: [{line, ok, record, references, errors}],
  //  suggested_mapping}. Messages are in `locale`. Writes nothing.
  virtual Result<nlohmann::json> Preview(int64_t job_id, const nlohmann::json& mapping, int rows,
                                         Locale locale) = 0;

  // Checks `mapping` against the file and starts the import on a background thread. Returns
  // kInvalidArgument for a mapping that does not fit and kFailedPrecondition when the job has
  // run already or is running. Record writes are audited with actor "import" and the job id
  // ("import-job-ID") as request id; the start and the end of the run with `audit`.
  virtual Result<ImportJob> Run(int64_t job_id, const nlohmann::json& mapping,
                                const store::AuditContext& audit) = 0;

  virtual Result<ImportJob> Get(int64_t job_id) const = 0;
  virtual std::vector<ImportJob> List() const = 0;

  // Asks a running job to stop after its current batch. kFailedPrecondition when it is not running.
  virtual Status Cancel(int64_t job_id) = 0;
};

}  // namespace salesradar::api
