// The importer against a real SQLite database file: encodings, broken rows, re-imports,
// references and the bundled CRM sample.
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/importer.h"
#include "ingest/mapping.h"
#include "store/store.h"

namespace salesradar::ingest {
namespace {

namespace fs = std::filesystem;
using model::EntityKind;

const fs::path kSourceDir = SALESRADAR_SOURCE_DIR;
const fs::path kTestData = kSourceDir / "tests/data/ingest";
const fs::path kSample = kSourceDir / "examples/data/crm-sales-opportunities";
const fs::path kExampleMappings = kSourceDir / "examples/mappings";

// Collects what the importer reports.
class RecordingObserver final : public ImportObserver {
 public:
  void OnRowError(std::string_view, const RowError& error) override { errors.push_back(error); }
  void OnProgress(std::string_view, int64_t, uint64_t, uint64_t) override {}

  std::vector<RowError> errors;
};

class ImportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    directory_ = fs::path(::testing::TempDir()) / "ingest_integration" / info->name();
    fs::remove_all(directory_);
    fs::create_directories(directory_);
    store_ = OpenStore("salesradar.db");
  }

  std::unique_ptr<store::Store> OpenStore(const std::string& name) {
    Result<std::unique_ptr<store::Store>> store = store::Open((directory_ / name).string());
    EXPECT_TRUE(store.ok()) << store.error().message_en();
    return store.ok() ? std::move(store).value() : nullptr;
  }

  fs::path WriteFile(const std::string& name, const std::string& text) {
    fs::path path = directory_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // Imports `csv` with the mapping at `mapping_path` into `store`. Fails the test on an error.
  std::vector<TargetSummary> Import(store::Store& store, const fs::path& mapping_path,
                                    const fs::path& csv, ImportOptions options = {}) {
    Result<Mapping> mapping = LoadMapping(mapping_path.string());
    EXPECT_TRUE(mapping.ok()) << mapping.error().message_en();
    if (!mapping.ok()) {
      return {};
    }
    mappings_.push_back(std::make_unique<Mapping>(std::move(mapping).value()));
    Importer importer(store, options, observer_);
    Result<PreparedFile> prepared = importer.Prepare(*mappings_.back(), csv.string());
    EXPECT_TRUE(prepared.ok()) << prepared.error().message_en();
    if (!prepared.ok()) {
      return {};
    }
    Result<std::vector<TargetSummary>> summaries = importer.Run(*prepared);
    EXPECT_TRUE(summaries.ok()) << summaries.error().message_en();
    return summaries.ok() ? std::move(summaries).value() : std::vector<TargetSummary>();
  }

  std::vector<TargetSummary> Import(const fs::path& mapping_path, const fs::path& csv,
                                    ImportOptions options = {}) {
    return Import(*store_, mapping_path, csv, options);
  }

  // Imports the Chinese teams, accounts and opportunities files with `suffix` (".bom", ...).
  void ImportChineseFiles(store::Store& store, const std::string& suffix) {
    Import(store, kTestData / "mappings/cn_teams.yaml", kTestData / ("cn_teams" + suffix + ".csv"));
    Import(store, kTestData / "mappings/cn_accounts.yaml",
           kTestData / ("cn_accounts" + suffix + ".csv"));
    Import(store, kTestData / "mappings/cn_opportunities.yaml",
           kTestData / ("cn_opportunities" + suffix + ".csv"));
  }

  // Imports the four files of the bundled CRM sample with the example mappings.
  std::vector<TargetSummary> ImportSample() {
    std::vector<TargetSummary> all;
    for (const char* name : {"sales_teams", "accounts", "products", "sales_pipeline"}) {
      std::vector<TargetSummary> summaries = Import(
          kExampleMappings / (std::string(name) + ".yaml"), kSample / (std::string(name) + ".csv"));
      all.insert(all.end(), summaries.begin(), summaries.end());
    }
    return all;
  }

  model::Record Get(store::Store& store, EntityKind kind, const std::string& external_id) {
    Result<std::optional<model::Record>> record = store.GetRecord(kind, external_id);
    EXPECT_TRUE(record.ok()) << record.error().message_en();
    if (!record.ok()) {
      return {};
    }
    EXPECT_TRUE(record->has_value()) << model::EntityKindName(kind) << " " << external_id;
    return record->value_or(model::Record{});
  }

  fs::path directory_;
  std::unique_ptr<store::Store> store_;
  RecordingObserver observer_;
  std::vector<std::unique_ptr<Mapping>> mappings_;
};

TEST_F(ImportTest, EncodingCopiesMatchUtf8Rows) {
  ImportChineseFiles(*store_, "");
  ASSERT_TRUE(observer_.errors.empty());

  const std::vector<std::pair<EntityKind, std::vector<std::string>>> expected_rows = {
      {EntityKind::kOrgUnit, {"region:华东", "region:华南"}},
      {EntityKind::kUser, {"王芳", "陈静", "张伟", "李娜", "刘洋", "赵敏"}},
      {EntityKind::kAccount, {"C001", "C002", "C003", "C004", "C005", "C006"}},
      {EntityKind::kOpportunity, {"O001", "O002", "O003", "O004", "O005", "O006"}},
  };
  for (const std::string suffix : {".bom", ".gbk"}) {
    std::unique_ptr<store::Store> copy = OpenStore("copy" + suffix + ".db");
    ASSERT_NE(copy, nullptr);
    ImportChineseFiles(*copy, suffix);
    EXPECT_TRUE(observer_.errors.empty()) << suffix;

    for (const auto& [kind, external_ids] : expected_rows) {
      EXPECT_EQ(*copy->Count(kind), *store_->Count(kind)) << suffix;
      for (const std::string& external_id : external_ids) {
        EXPECT_EQ(Get(*copy, kind, external_id), Get(*store_, kind, external_id))
            << suffix << " " << external_id;
      }
    }
  }
}

TEST_F(ImportTest, ChineseValuesAreParsedAndKept) {
  ImportChineseFiles(*store_, ".gbk");
  ASSERT_TRUE(observer_.errors.empty());

  model::Record huawei = Get(*store_, EntityKind::kAccount, "C001");
  EXPECT_EQ(huawei.fields.at("name"), model::Value(std::string("华为技术有限公司")));
  EXPECT_EQ(huawei.fields.at("revenue"), model::Value(model::Money{7'042'500'000, "CNY"}));

  // Full-width letters in the industry become ASCII because the mapping sets half_width.
  EXPECT_EQ(Get(*store_, EntityKind::kAccount, "C004").fields.at("industry"),
            model::Value(std::string("IT服务")));
  // The ideographic spaces around a name are trimmed; the one inside stays.
  EXPECT_EQ(Get(*store_, EntityKind::kAccount, "C006").fields.at("name"),
            model::Value(std::string("成都\u3000天府软件园")));

  model::Record terminal = Get(*store_, EntityKind::kAccount, "C005");
  const auto& parent = std::get<model::Reference>(terminal.fields.at("parent"));
  EXPECT_EQ(parent.external_id, "C001");

  model::Record deal = Get(*store_, EntityKind::kOpportunity, "O001");
  EXPECT_EQ(deal.fields.at("amount"), model::Value(model::Money{120'000'000, "CNY"}));
  EXPECT_EQ(deal.fields.at("stage"), model::Value(std::string("won")));
  EXPECT_EQ(std::get<model::Reference>(deal.fields.at("owner")).external_id, "张伟");
  // Full-width brackets in free text are kept.
  EXPECT_EQ(Get(*store_, EntityKind::kOpportunity, "O003").fields.at("name"),
            model::Value(std::string("字节跳动办公网络（一期）")));
  EXPECT_TRUE(model::IsNull(Get(*store_, EntityKind::kOpportunity, "O005").fields.at("account")));
}

TEST_F(ImportTest, BrokenRowsAreNamedWithTheirFileLines) {
  std::vector<TargetSummary> summaries = Import(kTestData / "mappings/broken_opportunities.yaml",
                                                kTestData / "broken_opportunities.csv");
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].rows_read, 9);
  EXPECT_EQ(summaries[0].inserted, 3);
  EXPECT_EQ(summaries[0].rejected, 6);

  std::map<int64_t, std::string> columns_by_line;
  for (const RowError& error : observer_.errors) {
    columns_by_line[error.line] = error.column;
  }
  std::map<int64_t, std::string> expected = {
      {3, "engage_date"},  // 2024-02-30
      {4, "stage"},        // Negotiating
      {5, "amount"},       // -5
      {6, "id"},           // empty id
      {10, ""},            // too few columns
      {11, ""},            // truncated last line
  };
  EXPECT_EQ(columns_by_line, expected);

  // The quoted field with a line break imports, and the row after it keeps its line number.
  EXPECT_EQ(Get(*store_, EntityKind::kOpportunity, "B006").fields.at("name"),
            model::Value(std::string("Two-line\nname, with a comma")));
  EXPECT_EQ(*store_->Count(EntityKind::kOpportunity), 3);
}

TEST_F(ImportTest, ReimportChangesNothing) {
  ImportSample();
  ASSERT_TRUE(observer_.errors.empty());

  std::vector<TargetSummary> again = ImportSample();
  int64_t unchanged = 0;
  for (const TargetSummary& summary : again) {
    EXPECT_EQ(summary.inserted, 0) << summary.file;
    EXPECT_EQ(summary.updated, 0) << summary.file;
    EXPECT_EQ(summary.rejected, 0) << summary.file;
    unchanged += summary.unchanged;
  }
  // 3 regions, 6 teams, 6 managers, 35 agents, 85 accounts, 7 products, 8,800 opportunities.
  EXPECT_EQ(unchanged, 3 + 6 + 6 + 35 + 85 + 7 + 8800);
}

TEST_F(ImportTest, ChangedRowIsUpdated) {
  fs::path mapping = kTestData / "mappings/broken_opportunities.yaml";
  fs::path first = WriteFile("v1.csv",
                             "id,name,stage,amount,engage_date\n"
                             "A1,First,Won,100,2024-01-05\n"
                             "A2,Second,Lost,0,2024-01-06\n"
                             "A3,Third,Engaging,,2024-01-07\n");
  Import(mapping, first);
  fs::path second = WriteFile("v2.csv",
                              "id,name,stage,amount,engage_date\n"
                              "A1,First,Won,100,2024-01-05\n"
                              "A2,Second,Lost,0,2024-01-06\n"
                              "A3,Third,Won,250.50,2024-01-07\n"
                              "A4,Fourth,Prospecting,,\n");
  std::vector<TargetSummary> summaries = Import(mapping, second);
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].inserted, 1);
  EXPECT_EQ(summaries[0].updated, 1);
  EXPECT_EQ(summaries[0].unchanged, 2);

  model::Record third = Get(*store_, EntityKind::kOpportunity, "A3");
  EXPECT_EQ(third.fields.at("stage"), model::Value(std::string("won")));
  EXPECT_EQ(third.fields.at("amount"), model::Value(model::Money{25050, "CNY"}));
}

TEST_F(ImportTest, BundledSampleImportsEveryOpportunity) {
  std::vector<TargetSummary> summaries = ImportSample();
  ASSERT_TRUE(observer_.errors.empty());
  ASSERT_EQ(summaries.size(), 7u);
  const TargetSummary& pipeline = summaries.back();
  EXPECT_EQ(pipeline.rows_read, 8800);
  EXPECT_EQ(pipeline.inserted, 8800);

  // The 1,425 open deals without an account are kept and listed as one empty value.
  ASSERT_EQ(pipeline.unresolved.size(), 1u);
  EXPECT_EQ(pipeline.unresolved[0].field, "account");
  EXPECT_EQ(pipeline.unresolved[0].counts, (std::map<std::string, int64_t>{{"", 1425}}));

  // Stage counts and the won amount, computed from the raw file with a plain split (the
  // file has no quoted fields).
  std::ifstream raw(kSample / "sales_pipeline.csv");
  std::string line;
  std::getline(raw, line);
  std::map<std::string, int64_t> raw_stages;
  int64_t raw_won_dollars = 0;
  while (std::getline(raw, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    std::vector<std::string> cells;
    std::stringstream cell_stream(line);
    std::string cell;
    while (std::getline(cell_stream, cell, ',')) {
      cells.push_back(cell);
    }
    ++raw_stages[cells.at(4)];
    if (cells.at(4) == "Won") {
      raw_won_dollars += std::stoll(cells.at(7));
    }
  }

  std::map<std::string, int64_t> stored_stages;
  int64_t stored_won_fen = 0;
  auto cursor = store_->OpenOpportunityCursor({});
  ASSERT_TRUE(cursor.ok());
  model::Opportunity opportunity;
  while (*(*cursor)->Next(&opportunity)) {
    std::string stage = opportunity.stage;
    stage[0] = static_cast<char>(stage[0] - 'a' + 'A');
    ++stored_stages[stage];
    if (opportunity.stage == model::kStageWon) {
      stored_won_fen += opportunity.amount->fen;
      EXPECT_EQ(opportunity.amount->currency, "USD");
    }
  }
  EXPECT_EQ(stored_stages, raw_stages);
  EXPECT_EQ(stored_won_fen, raw_won_dollars * 100);

  // "GTXPro" in the pipeline is mapped to the product "GTX Pro".
  model::Record deal = Get(*store_, EntityKind::kOpportunity, "Z063OYW0");
  EXPECT_EQ(std::get<model::Reference>(deal.fields.at("product")).external_id, "GTX Pro");
}

TEST_F(ImportTest, SampleAccountsGetParentsAndFixedSpelling) {
  Import(kExampleMappings / "accounts.yaml", kSample / "accounts.csv");
  ASSERT_TRUE(observer_.errors.empty());

  // dambase names its parent Inity, which comes later in the file.
  model::Record dambase = Get(*store_, EntityKind::kAccount, "dambase");
  EXPECT_EQ(std::get<model::Reference>(dambase.fields.at("parent")).external_id, "Inity");
  model::Record acme = Get(*store_, EntityKind::kAccount, "Acme Corporation");
  EXPECT_EQ(acme.fields.at("industry"), model::Value(std::string("technology")));
  EXPECT_EQ(acme.fields.at("revenue"), model::Value(model::Money{110'004'000'000, "USD"}));
}

TEST_F(ImportTest, ForwardParentsResolveWithoutExtraUpdates) {
  fs::path mapping = WriteFile("accounts.yaml",
                               "entity: account\nexternal_id: name\n"
                               "fields:\n  name: name\n  parent: parent\n");
  // A chain that points forwards (A -> B -> C) and a name that no row has.
  fs::path csv = WriteFile("accounts.csv", "name,parent\nA,B\nB,C\nC,\nD,Nowhere Ltd\n");
  std::vector<TargetSummary> first = Import(mapping, csv);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].inserted, 4);
  EXPECT_EQ(first[0].updated, 0);
  EXPECT_EQ(first[0].unresolved.at(0).counts,
            (std::map<std::string, int64_t>{{"", 1}, {"Nowhere Ltd", 1}}));

  EXPECT_EQ(std::get<model::Reference>(Get(*store_, EntityKind::kAccount, "A").fields.at("parent"))
                .external_id,
            "B");
  EXPECT_EQ(std::get<model::Reference>(Get(*store_, EntityKind::kAccount, "B").fields.at("parent"))
                .external_id,
            "C");
  EXPECT_TRUE(model::IsNull(Get(*store_, EntityKind::kAccount, "D").fields.at("parent")));

  std::vector<TargetSummary> second = Import(mapping, csv);
  EXPECT_EQ(second[0].unchanged, 4);
  EXPECT_EQ(second[0].updated, 0);
}

TEST_F(ImportTest, UnresolvedReferencesCountedPerValue) {
  Import(kExampleMappings / "products.yaml", kSample / "products.csv");
  Import(kExampleMappings / "sales_teams.yaml", kSample / "sales_teams.csv");
  fs::path csv = WriteFile(
      "pipeline.csv",
      "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
      "P1,Anna Snelling,GTXPro,Nobody Inc,Engaging,2017-01-02,,\n"
      "P2,Anna Snelling,GTX Mega,Nobody Inc,Engaging,2017-01-02,,\n"
      "P3,Anna Snelling,GTX Mega,,Engaging,2017-01-02,,\n"
      "P4,Someone Else,GTX Basic,,Engaging,2017-01-02,,\n");
  std::vector<TargetSummary> summaries = Import(kExampleMappings / "sales_pipeline.yaml", csv);
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].inserted, 1);  // P1; the rest miss a required product or owner
  EXPECT_EQ(summaries[0].rejected, 3);

  std::map<std::string, std::map<std::string, int64_t>> by_field;
  for (const UnresolvedReferences& unresolved : summaries[0].unresolved) {
    by_field[unresolved.field] = unresolved.counts;
  }
  EXPECT_EQ(by_field["owner"], (std::map<std::string, int64_t>{{"Someone Else", 1}}));
  EXPECT_EQ(by_field["product"], (std::map<std::string, int64_t>{{"GTX Mega", 2}}));
  EXPECT_EQ(by_field["account"], (std::map<std::string, int64_t>{{"", 2}, {"Nobody Inc", 2}}));

  // The optional account is left empty on the imported row.
  EXPECT_TRUE(model::IsNull(Get(*store_, EntityKind::kOpportunity, "P1").fields.at("account")));
}

TEST_F(ImportTest, DistinctRowsThatDisagreeAreRejected) {
  fs::path csv = WriteFile("teams.csv",
                           "sales_agent,manager,regional_office\n"
                           "A,Manager One,East\nB,Manager One,East\nC,Manager One,West\n");
  std::vector<TargetSummary> summaries = Import(kExampleMappings / "sales_teams.yaml", csv);
  ASSERT_EQ(summaries.size(), 4u);
  // The team target: Manager One's team appears under East, then under West.
  EXPECT_EQ(summaries[1].inserted, 1);
  EXPECT_EQ(summaries[1].duplicates, 1);
  EXPECT_EQ(summaries[1].rejected, 1);
  bool named = false;
  for (const RowError& error : observer_.errors) {
    named =
        named || (error.line == 4 && error.reason.en.find("repeats line 2") != std::string::npos);
  }
  EXPECT_TRUE(named);
}

TEST_F(ImportTest, DryRunWritesNothing) {
  ImportOptions options;
  options.dry_run = true;
  ASSERT_TRUE(store_->Begin().ok());
  std::vector<TargetSummary> summaries = Import(kTestData / "mappings/broken_opportunities.yaml",
                                                kTestData / "broken_opportunities.csv", options);
  ASSERT_TRUE(store_->Rollback().ok());
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].inserted, 3);
  EXPECT_EQ(*store_->Count(EntityKind::kOpportunity), 0);
}

TEST_F(ImportTest, MissingColumnFailsBeforeWriting) {
  Result<Mapping> mapping = LoadMapping((kExampleMappings / "sales_pipeline.yaml").string());
  ASSERT_TRUE(mapping.ok());
  fs::path csv = WriteFile("pipeline.csv", "opportunity_id,sales_agent\nX1,Anna\n");
  Importer importer(*store_, {}, observer_);
  Result<PreparedFile> prepared = importer.Prepare(*mapping, csv.string());
  ASSERT_FALSE(prepared.ok());
  EXPECT_NE(prepared.error().message_en().find("column 'deal_stage' is not in the header"),
            std::string::npos)
      << prepared.error().message_en();
  EXPECT_NE(prepared.error().message_en().find("sales_pipeline.yaml:"), std::string::npos);
}

TEST_F(ImportTest, CustomFieldIsCreatedAndFilled) {
  fs::path mapping = WriteFile("accounts.yaml",
                               "entity: account\nexternal_id: name\nfields:\n  name: name\n"
                               "custom_fields:\n"
                               "  tier: {column: tier, type: enum, allowed_values: [gold, silver],"
                               " label: 等级}\n");
  fs::path csv = WriteFile("accounts.csv", "name,tier\nA,gold\nB,Silver\nC,bronze\n");
  std::vector<TargetSummary> summaries = Import(mapping, csv);
  ASSERT_EQ(summaries.size(), 1u);
  EXPECT_EQ(summaries[0].created_custom_fields, (std::vector<std::string>{"tier"}));
  EXPECT_EQ(summaries[0].inserted, 2);
  EXPECT_EQ(summaries[0].rejected, 1);
  EXPECT_EQ(Get(*store_, EntityKind::kAccount, "B").custom_fields.at("tier"),
            model::Value(std::string("silver")));
}

}  // namespace
}  // namespace salesradar::ingest
