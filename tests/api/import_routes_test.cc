// Import routes over real HTTP: upload, preview with row errors, a background run with progress
// and its summary, for UTF-8 and GBK CSV and an XLSX workbook (tests/data/ingest).
#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

#include "api_test_env.h"
#include "model/entity.h"

namespace salesradar::api::testing {
namespace {

using nlohmann::json;

constexpr std::string_view kXlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

std::string ReadData(std::string_view name) {
  std::ifstream in(std::string(SALESRADAR_SOURCE_DIR) + "/tests/data/ingest/" + std::string(name), std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// tests/data/ingest/mappings/broken_opportunities.yaml as JSON.
json BrokenMapping() {
  return {{"external_id", "id"},
          {"fields",
           {{"name", "name"},
            {"stage", "stage"},
            {"amount", {{"column", "amount"}, {"currency", "CNY"}}},
            {"engage_date", {{"column", "engage_date"}, {"formats", {"YYYY-MM-DD"}}}}}}};
}

// The Chinese opportunity columns without the references (customer and owner).
json ChineseMapping() {
  json dates = {"YYYY-MM-DD", "YYYY/M/D", "YYYY年M月D日"};
  return {{"external_id", "商机编号"},
          {"fields",
           {{"name", "商机名称"},
            {"stage",
             {{"column", "阶段"},
              {"values", {{"初步接触", "prospecting"}, {"洽谈中", "engaging"}, {"赢单", "won"}, {"输单", "lost"}}}}},
            {"amount", {{"column", "金额"}, {"unit", "yuan"}}},
            {"engage_date", {{"column", "开始日期"}, {"formats", dates}}},
            {"close_date", {{"column", "结束日期"}, {"formats", dates}}}}}};
}

class ImportRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_ = ApiTestEnv::Start();
    ASSERT_NE(env_, nullptr);
    admin_ = std::make_unique<ApiClient>(env_->SignIn("admin"));
    admin_->SetAcceptLanguage("en");
  }

  ApiResponse Upload(const std::string& content, std::string_view type, std::string_view query) {
    return admin_->Send("POST", "/api/v1/imports?" + std::string(query), content, type);
  }

  // Polls the job until it leaves the running state; fails the test after 20 s.
  json WaitForJob(int64_t id) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      ApiResponse job = admin_->Get("/api/v1/imports/" + std::to_string(id));
      EXPECT_EQ(job.status, 200) << job.body;
      if (job.json["state"] != "running") return job.json;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "import job " << id << " still running";
    return nullptr;
  }

  int64_t OpportunityCount() {
    StoreLease store = env_->Store();
    auto count = store->Count(model::EntityKind::kOpportunity);
    return count.ok() ? *count : -1;
  }

  std::unique_ptr<ApiTestEnv> env_;
  std::unique_ptr<ApiClient> admin_;
};

TEST_F(ImportRoutesTest, CsvUploadPreviewRunSummary) {
  ApiResponse upload = Upload(ReadData("broken_opportunities.csv"), "text/csv",
                              "entity=opportunity&file_name=broken.csv");
  ASSERT_EQ(upload.status, 201) << upload.body;
  EXPECT_EQ(upload.json["state"], "uploaded");
  EXPECT_EQ(upload.json["format"], "csv");
  EXPECT_EQ(upload.json["encoding"], "UTF-8");
  EXPECT_EQ(upload.json["header"], json({"id", "name", "stage", "amount", "engage_date"}));
  EXPECT_EQ(upload.json["data_rows"], 9);
  int64_t id = upload.json["id"];

  ApiResponse preview = admin_->Post("/api/v1/imports/" + std::to_string(id) + "/preview",
                                     {{"mapping", BrokenMapping()}, {"rows", 4}});
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.json["mapping_ok"], true);
  const json& rows = preview.json["rows"];
  ASSERT_EQ(rows.size(), 4u) << preview.body;
  EXPECT_EQ(rows[0]["ok"], true);
  EXPECT_EQ(rows[0]["record"]["external_id"], "B001");
  EXPECT_EQ(rows[0]["record"]["fields"]["stage"], "won");
  EXPECT_EQ(rows[1]["ok"], false);
  EXPECT_EQ(rows[1]["line"], 3);
  ASSERT_FALSE(rows[1]["errors"].empty());
  EXPECT_EQ(rows[1]["errors"][0]["column"], "engage_date");
  EXPECT_EQ(rows[1]["errors"][0]["value"], "2024-02-30");
  EXPECT_EQ(rows[2]["errors"][0]["column"], "stage");
  EXPECT_EQ(OpportunityCount(), 0) << "a preview must write nothing";

  ApiResponse run = admin_->Post("/api/v1/imports/" + std::to_string(id) + "/run", {{"mapping", BrokenMapping()}});
  ASSERT_EQ(run.status, 202) << run.body;
  EXPECT_EQ(run.json["rows_total"], 9);

  json job = WaitForJob(id);
  ASSERT_EQ(job["state"], "succeeded") << job;
  EXPECT_EQ(job["rows_done"], 9);
  EXPECT_EQ(job["summary"]["totals"]["rows_read"], 9);
  EXPECT_EQ(job["summary"]["totals"]["inserted"], 3) << job;
  EXPECT_EQ(job["summary"]["totals"]["rejected"], 6) << job;
  EXPECT_FALSE(job["row_errors"].empty());
  EXPECT_TRUE(job["summary_text"].is_string());
  EXPECT_EQ(OpportunityCount(), 3);

  ApiResponse again = admin_->Post("/api/v1/imports/" + std::to_string(id) + "/run", {{"mapping", BrokenMapping()}});
  EXPECT_EQ(again.status, 409) << again.body;
  EXPECT_EQ(admin_->Post("/api/v1/imports/" + std::to_string(id) + "/cancel").status, 409);

  ApiResponse list = admin_->Get("/api/v1/imports");
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json["items"].size(), 1u);
  EXPECT_EQ(list.json["items"][0]["state"], "succeeded");

  StoreLease store = env_->Store();
  auto audit = store->ListAudit(0, 500);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> job_actions;
  int record_rows = 0;
  for (const store::AuditEntry& entry : *audit) {
    if (entry.entity_kind == "import_job") job_actions.push_back(entry.action);
    if (entry.entity_kind == "opportunity" && entry.actor == "import") ++record_rows;
  }
  EXPECT_EQ(job_actions, (std::vector<std::string>{"upload", "import_start", "import_finish"}));
  EXPECT_EQ(record_rows, 3);
}

TEST_F(ImportRoutesTest, GbkCsvIsDetectedAndImported) {
  ApiResponse upload = Upload(ReadData("cn_opportunities.gbk.csv"), "text/csv; charset=gbk",
                              "entity=opportunity&file_name=gbk.csv");
  ASSERT_EQ(upload.status, 201) << upload.body;
  EXPECT_EQ(upload.json["encoding"], "GB18030");
  EXPECT_EQ(upload.json["header"][0], "商机编号");
  int64_t id = upload.json["id"];

  ApiResponse preview = admin_->Post("/api/v1/imports/" + std::to_string(id) + "/preview", {{"mapping", ChineseMapping()}});
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.json["rows"][0]["record"]["fields"]["name"], "华为 5G 基站电源采购");
  // The customer and owner columns are not mapped; suggestions name the fields.
  EXPECT_EQ(preview.json["suggested_mapping"]["客户"], "account");
  EXPECT_EQ(preview.json["suggested_mapping"]["负责人"], "owner");

  ASSERT_EQ(admin_->Post("/api/v1/imports/" + std::to_string(id) + "/run", {{"mapping", ChineseMapping()}}).status, 202);
  json job = WaitForJob(id);
  ASSERT_EQ(job["state"], "succeeded") << job;
  EXPECT_EQ(job["summary"]["totals"]["inserted"], 6) << job;
  EXPECT_EQ(OpportunityCount(), 6);
}

TEST_F(ImportRoutesTest, XlsxUploadPreviewRun) {
  ApiResponse upload = Upload(ReadData("opportunities.xlsx"), kXlsxType, "entity=opportunity&file_name=deals.xlsx");
  ASSERT_EQ(upload.status, 201) << upload.body;
  EXPECT_EQ(upload.json["format"], "xlsx");
  EXPECT_EQ(upload.json["data_rows"], 3);
  EXPECT_EQ(upload.json["header"][7], "结束日期");
  int64_t id = upload.json["id"];

  ApiResponse preview = admin_->Post("/api/v1/imports/" + std::to_string(id) + "/preview", {{"mapping", ChineseMapping()}});
  ASSERT_EQ(preview.status, 200) << preview.body;
  const json& rows = preview.json["rows"];
  ASSERT_EQ(rows.size(), 3u) << preview.body;
  EXPECT_EQ(rows[0]["record"]["fields"]["engage_date"], "2024-01-05");
  EXPECT_EQ(rows[0]["record"]["fields"]["close_date"], "2024-03-01");
  EXPECT_EQ(rows[2]["ok"], false);
  EXPECT_EQ(rows[2]["errors"].size(), 2u) << rows[2];

  ASSERT_EQ(admin_->Post("/api/v1/imports/" + std::to_string(id) + "/run", {{"mapping", ChineseMapping()}}).status, 202);
  json job = WaitForJob(id);
  ASSERT_EQ(job["state"], "succeeded") << job;
  EXPECT_EQ(job["summary"]["totals"]["inserted"], 2) << job;
  EXPECT_EQ(job["summary"]["totals"]["rejected"], 1) << job;
}

TEST_F(ImportRoutesTest, MappingProblemsInPreview) {
  ApiResponse upload = Upload(ReadData("broken_opportunities.csv"), "text/csv", "entity=opportunity");
  ASSERT_EQ(upload.status, 201) << upload.body;
  std::string path = "/api/v1/imports/" + std::to_string(upload.json["id"].get<int64_t>());

  json missing_column = BrokenMapping();
  missing_column["fields"]["name"] = "title";
  ApiResponse preview = admin_->Post(path + "/preview", {{"mapping", missing_column}});
  ASSERT_EQ(preview.status, 200) << preview.body;
  EXPECT_EQ(preview.json["mapping_ok"], false);
  EXPECT_NE(preview.json["mapping_problems"][0].get<std::string>().find("title"), std::string::npos) << preview.body;
  EXPECT_EQ(preview.json["suggested_mapping"]["name"], "name");

  ApiResponse run = admin_->Post(path + "/run", {{"mapping", missing_column}});
  EXPECT_EQ(run.status, 400) << run.body;
  EXPECT_EQ(admin_->Post(path + "/preview", {{"mapping", "id"}}).status, 400);
  EXPECT_EQ(admin_->Post(path + "/preview", {{"mapping", BrokenMapping()}, {"rows", 0}}).status, 400);
}

TEST_F(ImportRoutesTest, BadUploadParameters) {
  std::string csv = ReadData("broken_opportunities.csv");
  ApiResponse no_entity = Upload(csv, "text/csv", "file_name=a.csv");
  EXPECT_EQ(no_entity.status, 400);
  EXPECT_NE(no_entity.body.find("entity"), std::string::npos) << no_entity.body;

  ApiResponse bad_entity = Upload(csv, "text/csv", "entity=product");
  EXPECT_EQ(bad_entity.status, 400);
  EXPECT_NE(bad_entity.body.find("product"), std::string::npos) << bad_entity.body;

  ApiResponse bad_type = Upload(csv, "application/json", "entity=opportunity");
  EXPECT_EQ(bad_type.status, 400);
  EXPECT_NE(bad_type.body.find("Content-Type"), std::string::npos) << bad_type.body;

  ApiResponse broken_workbook = Upload("PK\x03\x04 not really a zip", kXlsxType, "entity=opportunity");
  EXPECT_EQ(broken_workbook.status, 400) << broken_workbook.body;

  EXPECT_EQ(Upload("", "text/csv", "entity=opportunity").status, 400);
  EXPECT_EQ(admin_->Get("/api/v1/imports/999").status, 404);

  ApiClient manager = env_->SignIn("mgr_sh");
  EXPECT_EQ(manager.Send("POST", "/api/v1/imports?entity=opportunity", csv, "text/csv").status, 403);
  EXPECT_EQ(manager.Get("/api/v1/imports").status, 403);
}

}  // namespace
}  // namespace salesradar::api::testing
