// PLACEHOLDER so that App links; the owner of import jobs replaces this file.
#include "api/import_jobs.h"

#include "common/error.h"

namespace salesradar::api {
namespace {

Error NotYet() { return Error(ErrorCode::kFailedPrecondition, "导入任务尚未接入", "import jobs are not wired yet"); }

class PlaceholderImportJobs : public ImportJobs {
 public:
  Result<ImportJob> Upload(int64_t, std::string, std::string, std::string) override { return NotYet(); }
  Result<nlohmann::json> Preview(int64_t, const nlohmann::json&, int) override { return NotYet(); }
  Result<ImportJob> Run(int64_t, const nlohmann::json&) override { return NotYet(); }
  Result<ImportJob> Get(int64_t) const override { return NotYet(); }
  std::vector<ImportJob> List() const override { return {}; }
  Status Cancel(int64_t) override { return NotYet(); }
};

}  // namespace

Result<std::unique_ptr<ImportJobs>> ImportJobs::Create(StorePool&, const Clock&, std::string) {
  return std::unique_ptr<ImportJobs>(new PlaceholderImportJobs());
}

}  // namespace salesradar::api
