// Import jobs behind /api/v1/imports: an uploaded CSV (or XLSX) file is stored under the data
// directory, previewed with a column mapping, and then imported by a background thread while the
// client polls the job for its progress and, at the end, its summary.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.h"
#include "common/result.h"

namespace salesradar::api {

class StorePool;

enum class ImportJobState { kUploaded, kRunning, kSucceeded, kFailed, kCancelled };

struct ImportJob {
  int64_t id = 0;
  int64_t created_by = 0;  // user id
  std::string file_name;   // as uploaded
  std::string entity;      // "opportunity", "account" ...
  ImportJobState state = ImportJobState::kUploaded;
  int64_t rows_total = 0;  // known after the file was scanned
  int64_t rows_done = 0;
  nlohmann::json summary;  // the importer's summary when finished
  std::optional<std::string> error_zh;
  std::optional<std::string> error_en;
  Timestamp created_at;
  std::optional<Timestamp> finished_at;
};

// Thread safety: every method may be called from any thread.
class ImportJobs {
 public:
  // `upload_dir` is created when missing. Jobs live in memory; a restart forgets unfinished ones
  // and the files stay on disk for inspection.
  static Result<std::unique_ptr<ImportJobs>> Create(StorePool& stores, const Clock& clock,
                                                    std::string upload_dir);
  virtual ~ImportJobs() = default;

  virtual Result<ImportJob> Upload(int64_t user_id, std::string file_name, std::string entity,
                                   std::string content) = 0;
  virtual Result<nlohmann::json> Preview(int64_t job_id, const nlohmann::json& mapping, int rows) = 0;
  virtual Result<ImportJob> Run(int64_t job_id, const nlohmann::json& mapping) = 0;
  virtual Result<ImportJob> Get(int64_t job_id) const = 0;
  virtual std::vector<ImportJob> List() const = 0;
  virtual Status Cancel(int64_t job_id) = 0;
};

}  // namespace salesradar::api
