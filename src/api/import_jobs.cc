#include "api/import_jobs.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "api/import_mapping.h"
#include "api/import_preview.h"
#include "api/store_pool.h"
#include "common/error.h"
#include "common/logging.h"
#include "ingest/importer.h"
#include "ingest/summary_text.h"
#include "ingest/xlsx_reader.h"
#include "model/entity.h"

namespace salesradar::api {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kZipMagic = "PK\x03\x04";

Error JobNotFound(int64_t job_id) {
  return NotFound(fmt::format("导入任务 {} 不存在", job_id), fmt::format("import job {} not found", job_id));
}

json UnresolvedJson(const ingest::UnresolvedReferences& unresolved) {
  json values = json::array();
  for (const auto& [value, count] : unresolved.counts) values.push_back({{"value", value}, {"count", count}});
  return {{"field", unresolved.field},
          {"column", unresolved.column},
          {"target", model::EntityKindName(unresolved.target)},
          {"required", unresolved.required},
          {"values", std::move(values)},
          {"values_not_listed", unresolved.values_not_listed}};
}

json SummaryJson(const std::vector<ingest::TargetSummary>& summaries) {
  json targets = json::array();
  json totals = {{"rows_read", 0}, {"inserted", 0}, {"updated", 0}, {"unchanged", 0}, {"rejected", 0}, {"duplicates", 0}};
  for (const ingest::TargetSummary& summary : summaries) {
    json unresolved = json::array();
    for (const ingest::UnresolvedReferences& item : summary.unresolved) unresolved.push_back(UnresolvedJson(item));
    targets.push_back({{"entity", model::EntityKindName(summary.entity)},
                       {"description", summary.description},
                       {"rows_read", summary.rows_read},
                       {"inserted", summary.inserted},
                       {"updated", summary.updated},
                       {"unchanged", summary.unchanged},
                       {"rejected", summary.rejected},
                       {"duplicates", summary.duplicates},
                       {"unresolved", std::move(unresolved)},
                       {"created_custom_fields", summary.created_custom_fields}});
    for (const char* key : {"rows_read", "inserted", "updated", "unchanged", "rejected", "duplicates"}) {
      totals[key] = totals[key].get<int64_t>() + targets.back()[key].get<int64_t>();
    }
  }
  return {{"targets", std::move(targets)}, {"totals", std::move(totals)}};
}

// One job with what only the runner needs.
struct JobEntry {
  ImportJob job;
  std::string csv_path;  // the uploaded CSV, or the CSV converted from the workbook
  std::shared_ptr<std::atomic<bool>> cancel = std::make_shared<std::atomic<bool>>(false);
};

class ImportJobsImpl;

// Receives the importer's progress and row problems on the job's thread.
class JobObserver final : public ingest::ImportObserver {
 public:
  JobObserver(ImportJobsImpl& jobs, int64_t job_id, int64_t rows_per_pass)
      : jobs_(jobs), job_id_(job_id), rows_per_pass_(rows_per_pass) {}

  void OnRowError(std::string_view file, const ingest::RowError& error) override;
  void OnProgress(std::string_view file, int64_t rows, uint64_t bytes_read, uint64_t file_size) override;

 private:
  ImportJobsImpl& jobs_;
  int64_t job_id_;
  int64_t rows_per_pass_;
  int64_t passes_done_ = 0;
  int64_t last_rows_ = 0;
};

class ImportJobsImpl final : public ImportJobs {
 public:
  ImportJobsImpl(StorePool& stores, const Clock& clock, std::string upload_dir, int64_t next_id)
      : stores_(stores), clock_(clock), upload_dir_(std::move(upload_dir)), next_id_(next_id) {}

  ~ImportJobsImpl() override {
    std::vector<std::thread> threads;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      for (auto& [id, entry] : jobs_) entry.cancel->store(true);
      threads.swap(threads_);
    }
    for (std::thread& thread : threads) thread.join();
  }

  Result<ImportJob> Upload(int64_t user_id, std::string file_name, std::string entity, std::string content) override;
  Result<json> Preview(int64_t job_id, const json& mapping, int rows, Locale locale) override;
  Result<ImportJob> Run(int64_t job_id, const json& mapping, const store::AuditContext& audit) override;

  Result<ImportJob> Get(int64_t job_id) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = jobs_.find(job_id);
    if (found == jobs_.end()) return JobNotFound(job_id);
    return found->second.job;
  }

  std::vector<ImportJob> List() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<ImportJob> jobs;
    for (auto it = jobs_.rbegin(); it != jobs_.rend(); ++it) jobs.push_back(it->second.job);
    return jobs;
  }

  Status Cancel(int64_t job_id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = jobs_.find(job_id);
    if (found == jobs_.end()) return JobNotFound(job_id);
    if (found->second.job.state != ImportJobState::kRunning) {
      return Error(ErrorCode::kFailedPrecondition, fmt::format("导入任务 {} 没有在运行，无法取消", job_id),
                   fmt::format("import job {} is not running, so it cannot be cancelled", job_id));
    }
    found->second.cancel->store(true);
    Logger("ingest")->info("import job {}: cancel requested", job_id);
    return OkStatus();
  }

  // Called by the observer on the job's thread.
  void UpdateProgress(int64_t job_id, int64_t rows_done) {
    std::lock_guard<std::mutex> lock(mutex_);
    ImportJob& job = jobs_.at(job_id).job;
    job.rows_done = std::min(rows_done, job.rows_total);
  }

  void AddRowError(int64_t job_id, const ingest::RowError& error) {
    std::lock_guard<std::mutex> lock(mutex_);
    ImportJob& job = jobs_.at(job_id).job;
    ++job.row_errors_total;
    if (job.row_errors.size() < kMaxRowErrors) job.row_errors.push_back(error);
  }

 private:
  Result<JobEntry> Snapshot(int64_t job_id) const {
    std::lock_guard<std::mutex> lock(mutex_);
    auto found = jobs_.find(job_id);
    if (found == jobs_.end()) return JobNotFound(job_id);
    return found->second;
  }

  void RunJob(int64_t job_id, std::shared_ptr<const ingest::Mapping> mapping, store::AuditContext audit);
  void Finish(int64_t job_id, const Result<std::vector<ingest::TargetSummary>>& result, bool cancelled);
  void Audit(int64_t job_id, std::string action, const json& after, const store::AuditContext& audit);

  StorePool& stores_;
  const Clock& clock_;
  const std::string upload_dir_;
  mutable std::mutex mutex_;
  int64_t next_id_;
  std::map<int64_t, JobEntry> jobs_;
  std::vector<std::thread> threads_;
};

void JobObserver::OnRowError(std::string_view, const ingest::RowError& error) { jobs_.AddRowError(job_id_, error); }

void JobObserver::OnProgress(std::string_view, int64_t rows, uint64_t, uint64_t) {
  // Each target of the mapping is one pass over the file, and each pass counts from zero.
  if (rows < last_rows_) ++passes_done_;
  last_rows_ = rows;
  jobs_.UpdateProgress(job_id_, passes_done_ * rows_per_pass_ + rows);
}

Result<ImportJob> ImportJobsImpl::Upload(int64_t user_id, std::string file_name, std::string entity,
                                         std::string content) {
  if (!IsImportableEntity(entity)) {
    Error error = InvalidArgument("参数 entity 的值 '" + entity + "' 无效；可用的值：opportunity, account, contact, lead, activity",
                                  "parameter entity has the invalid value '" + entity +
                                      "'; accepted values: opportunity, account, contact, lead, activity");
    error.AddDetail("parameter", "entity");
    return error;
  }

  int64_t job_id = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    job_id = next_id_++;
  }
  fs::path folder = fs::path(upload_dir_) / fmt::format("job-{}", job_id);
  std::error_code ec;
  fs::create_directories(folder, ec);
  bool is_xlsx = std::string_view(content).starts_with(kZipMagic);
  fs::path original = folder / (is_xlsx ? "upload.xlsx" : "upload.csv");
  {
    std::ofstream out(original, std::ios::binary);
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    if (!out) {
      Logger("ingest")->error("import job {}: cannot write {}", job_id, original.string());
      return Unavailable("上传的文件无法保存；请检查数据目录的空间和权限",
                         "the uploaded file cannot be stored; check the space and permissions of the data folder");
    }
  }

  JobEntry entry;
  entry.csv_path = original.string();
  if (is_xlsx) {
    entry.csv_path = (folder / "converted.csv").string();
    Result<int64_t> converted = ingest::ConvertXlsxToCsv(original.string(), entry.csv_path);
    if (!converted.ok()) {
      Error error = converted.error();
      error.Wrap("文件 '" + file_name + "'", "file '" + file_name + "'");
      return error;
    }
  }
  SR_ASSIGN_OR_RETURN(CsvShape shape, ReadCsvShape(entry.csv_path, file_name));

  ImportJob& job = entry.job;
  job.id = job_id;
  job.created_by = user_id;
  job.file_name = std::move(file_name);
  job.format = is_xlsx ? "xlsx" : "csv";
  job.encoding = shape.encoding;
  job.entity = std::move(entity);
  job.header = std::move(shape.header);
  job.data_rows = shape.data_rows;
  job.created_at = clock_.Now();

  Logger("ingest")->info("import job {}: {} uploaded by user {} ({} bytes, {}, {} rows)", job_id, job.file_name,
                         user_id, content.size(), job.format, job.data_rows);
  std::lock_guard<std::mutex> lock(mutex_);
  jobs_[job_id] = entry;
  return entry.job;
}

Result<json> ImportJobsImpl::Preview(int64_t job_id, const json& mapping, int rows, Locale locale) {
  SR_ASSIGN_OR_RETURN(JobEntry entry, Snapshot(job_id));
  json out = {{"job_id", job_id}, {"header", entry.job.header}, {"rows", json::array()}};

  Result<ingest::Mapping> parsed = MappingFromJson(mapping, entry.job.entity);
  if (!parsed.ok() && parsed.error().code() != ErrorCode::kInvalidArgument) return parsed.error();
  if (!parsed.ok()) {
    out["mapping_ok"] = false;
    out["mapping_problems"] = json::array({parsed.error().message(locale)});
    out["suggested_mapping"] = SuggestMapping(entry.job.header, entry.job.entity, nullptr);
    return out;
  }

  SR_ASSIGN_OR_RETURN(StoreLease store, stores_.Acquire());
  ingest::ImportOptions options;
  options.dry_run = true;
  JobObserver unused_observer(*this, job_id, 0);
  ingest::Importer importer(*store, options, unused_observer);
  Result<ingest::PreparedFile> prepared = importer.Prepare(*parsed, entry.csv_path);
  out["suggested_mapping"] = SuggestMapping(entry.job.header, entry.job.entity, &*parsed);
  if (!prepared.ok()) {
    if (prepared.error().code() != ErrorCode::kInvalidArgument) return prepared.error();
    out["mapping_ok"] = false;
    out["mapping_problems"] = json::array({prepared.error().message(locale)});
    return out;
  }

  out["mapping_ok"] = true;
  out["mapping_problems"] = json::array();
  SR_ASSIGN_OR_RETURN(out["rows"], PreviewRows(*prepared, rows, locale));
  return out;
}

Result<ImportJob> ImportJobsImpl::Run(int64_t job_id, const json& mapping, const store::AuditContext& audit) {
  SR_ASSIGN_OR_RETURN(JobEntry entry, Snapshot(job_id));
  SR_ASSIGN_OR_RETURN(ingest::Mapping parsed, MappingFromJson(mapping, entry.job.entity));
  auto shared_mapping = std::make_shared<const ingest::Mapping>(std::move(parsed));

  {
    // The file must fit the mapping before the job starts, so that the request gets the error.
    SR_ASSIGN_OR_RETURN(StoreLease store, stores_.Acquire());
    JobObserver unused_observer(*this, job_id, 0);
    ingest::Importer importer(*store, {}, unused_observer);
    SR_RETURN_IF_ERROR(importer.Prepare(*shared_mapping, entry.csv_path));
  }

  std::lock_guard<std::mutex> lock(mutex_);
  JobEntry& stored = jobs_.at(job_id);
  if (stored.job.state != ImportJobState::kUploaded) {
    return Error(ErrorCode::kFailedPrecondition,
                 fmt::format("导入任务 {} 已运行过（状态 {}）；请重新上传文件", job_id, ImportJobStateName(stored.job.state)),
                 fmt::format("import job {} has run already (state {}); upload the file again", job_id,
                             ImportJobStateName(stored.job.state)));
  }
  stored.job.state = ImportJobState::kRunning;
  stored.job.rows_total = stored.job.data_rows * static_cast<int64_t>(shared_mapping->targets.size());
  stored.job.started_at = clock_.Now();
  threads_.emplace_back([this, job_id, shared_mapping, audit] { RunJob(job_id, shared_mapping, audit); });
  return stored.job;
}

void ImportJobsImpl::RunJob(int64_t job_id, std::shared_ptr<const ingest::Mapping> mapping,
                            store::AuditContext audit) {
  Result<JobEntry> entry = Snapshot(job_id);
  if (!entry.ok()) return;
  Audit(job_id, "import_start",
        {{"file_name", entry->job.file_name}, {"entity", entry->job.entity}, {"rows", entry->job.data_rows}}, audit);

  Result<std::vector<ingest::TargetSummary>> result = [&]() -> Result<std::vector<ingest::TargetSummary>> {
    SR_ASSIGN_OR_RETURN(StoreLease store, stores_.Acquire());
    ingest::ImportOptions options;
    options.job_id = fmt::format("import-job-{}", job_id);
    options.cancel = entry->cancel.get();
    JobObserver observer(*this, job_id, entry->job.data_rows);
    ingest::Importer importer(*store, options, observer);
    SR_ASSIGN_OR_RETURN(ingest::PreparedFile file, importer.Prepare(*mapping, entry->csv_path));
    return importer.Run(file);
  }();

  bool cancelled = entry->cancel->load();
  Finish(job_id, result, cancelled);
  Result<ImportJob> finished = Get(job_id);
  if (finished.ok()) {
    Audit(job_id, "import_finish",
          {{"state", ImportJobStateName(finished->state)},
           {"totals", finished->summary.is_object() ? finished->summary["totals"] : json(nullptr)}},
          audit);
  }
}

void ImportJobsImpl::Finish(int64_t job_id, const Result<std::vector<ingest::TargetSummary>>& result,
                            bool cancelled) {
  std::lock_guard<std::mutex> lock(mutex_);
  ImportJob& job = jobs_.at(job_id).job;
  job.finished_at = clock_.Now();
  if (result.ok()) {
    job.state = ImportJobState::kSucceeded;
    job.rows_done = job.rows_total;
    job.summary = SummaryJson(*result);
    job.summary_text = {ingest::FormatSummary(*result, Locale::kChinese), ingest::FormatSummary(*result, Locale::kEnglish)};
    Logger("ingest")->info("import job {}: finished, {} rows", job_id, job.rows_total);
    return;
  }
  job.state = cancelled ? ImportJobState::kCancelled : ImportJobState::kFailed;
  job.error_zh = result.error().message_zh();
  job.error_en = result.error().message_en();
  Logger("ingest")->error("import job {}: {}: {}", job_id, ImportJobStateName(job.state), result.error().ToLogString());
}

void ImportJobsImpl::Audit(int64_t job_id, std::string action, const json& after, const store::AuditContext& audit) {
  Status appended = [&]() -> Status {
    SR_ASSIGN_OR_RETURN(StoreLease store, stores_.Acquire());
    SR_RETURN_IF_ERROR(
        store->AppendAudit({std::move(action), "import_job", std::to_string(job_id), std::nullopt, after.dump()}, audit));
    return OkStatus();
  }();
  if (!appended.ok()) {
    Logger("ingest")->error("import job {}: audit row failed: {}", job_id, appended.error().ToLogString());
  }
}

// New job ids continue after the job folders left by an earlier process.
int64_t NextJobId(const std::string& upload_dir) {
  int64_t highest = 0;
  std::error_code ec;
  for (const fs::directory_entry& folder : fs::directory_iterator(upload_dir, ec)) {
    std::string name = folder.path().filename().string();
    if (!name.starts_with("job-")) continue;
    highest = std::max<int64_t>(highest, std::atoll(name.c_str() + 4));
  }
  return highest + 1;
}

}  // namespace

std::string_view ImportJobStateName(ImportJobState state) {
  switch (state) {
    case ImportJobState::kUploaded: return "uploaded";
    case ImportJobState::kRunning: return "running";
    case ImportJobState::kSucceeded: return "succeeded";
    case ImportJobState::kFailed: return "failed";
    case ImportJobState::kCancelled: return "cancelled";
  }
  return "failed";
}

bool IsImportableEntity(std::string_view entity) {
  return entity == "opportunity" || entity == "account" || entity == "contact" || entity == "lead" ||
         entity == "activity";
}

Result<std::unique_ptr<ImportJobs>> ImportJobs::Create(StorePool& stores, const Clock& clock, std::string upload_dir) {
  std::error_code ec;
  fs::create_directories(upload_dir, ec);
  if (ec) {
    return Unavailable(fmt::format("无法创建上传目录 '{}'：{}", upload_dir, ec.message()),
                       fmt::format("cannot create the upload folder '{}': {}", upload_dir, ec.message()));
  }
  int64_t next_id = NextJobId(upload_dir);
  return std::unique_ptr<ImportJobs>(new ImportJobsImpl(stores, clock, std::move(upload_dir), next_id));
}

}  // namespace salesradar::api
