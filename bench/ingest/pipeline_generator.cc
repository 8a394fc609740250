#include "bench/ingest/pipeline_generator.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace salesradar::bench {
namespace {

struct ProductRow {
  std::string_view name;
  std::string_view series;
  int64_t list_price;
};

// The sample's products and list prices.
constexpr std::array<ProductRow, 7> kProducts = {{{"GTX Basic", "GTX", 550},
                                                  {"GTX Pro", "GTX", 4821},
                                                  {"MG Special", "MG", 55},
                                                  {"MG Advanced", "MG", 3393},
                                                  {"GTX Plus Pro", "GTX", 5482},
                                                  {"GTX Plus Basic", "GTX", 1096},
                                                  {"GTK 500", "GTK", 26768}}};

constexpr std::array<std::string_view, 3> kRegions = {"Central", "East", "West"};
constexpr std::array<std::string_view, 5> kSectors = {"technolgy", "medical", "retail",
                                                      "software", "manufacturing"};

using FilePtr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

Result<FilePtr> OpenForWriting(const std::filesystem::path& path) {
  FilePtr file(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!file) {
    return Unavailable("无法写入文件 '" + path.string() + "'；请检查目录权限和磁盘空间",
                       "cannot write file '" + path.string() +
                           "'; check the folder's permissions and free disk space");
  }
  return file;
}

Status CloseFile(FilePtr file, const std::filesystem::path& path) {
  bool failed = std::ferror(file.get()) != 0;
  failed = std::fclose(file.release()) != 0 || failed;
  if (failed) {
    return Unavailable("写入文件 '" + path.string() + "' 失败；请检查磁盘空间",
                       "writing file '" + path.string() + "' failed; check free disk space");
  }
  return OkStatus();
}

// Account names alternate between Chinese and Latin names, so that the import's name matching
// and the report's width handling both see Chinese text at scale.
std::string AccountName(int64_t index) {
  return index % 2 == 0 ? fmt::format("华东精工{:04}", index) : fmt::format("Acme {:04}", index);
}

std::string RepName(int64_t index) { return fmt::format("Rep {:03}", index); }
std::string ManagerName(int64_t team) { return fmt::format("Manager {:02}", team); }

std::string FormatDate(std::chrono::sys_days day) {
  std::chrono::year_month_day date(day);
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

Status WriteReferenceFiles(const std::filesystem::path& directory,
                           const GeneratorOptions& options) {
  std::filesystem::path accounts_path = directory / "accounts.csv";
  SR_ASSIGN_OR_RETURN(FilePtr accounts, OpenForWriting(accounts_path));
  std::fputs("account,sector,year_established,revenue,employees,office_location,subsidiary_of\r\n",
             accounts.get());
  for (int64_t i = 0; i < options.accounts; ++i) {
    fmt::print(accounts.get(), "{},{},{},{}.{:02},{},United States,\r\n", AccountName(i),
               kSectors[static_cast<size_t>(i) % kSectors.size()], 1980 + i % 40,
               100 + i % 900, i % 100, 50 + i * 7 % 5000);
  }
  SR_RETURN_IF_ERROR(CloseFile(std::move(accounts), accounts_path));

  std::filesystem::path products_path = directory / "products.csv";
  SR_ASSIGN_OR_RETURN(FilePtr products, OpenForWriting(products_path));
  std::fputs("product,series,sales_price\r\n", products.get());
  for (const ProductRow& product : kProducts) {
    fmt::print(products.get(), "{},{},{}\r\n", product.name, product.series, product.list_price);
  }
  SR_RETURN_IF_ERROR(CloseFile(std::move(products), products_path));

  std::filesystem::path teams_path = directory / "sales_teams.csv";
  SR_ASSIGN_OR_RETURN(FilePtr teams, OpenForWriting(teams_path));
  std::fputs("sales_agent,manager,regional_office\r\n", teams.get());
  for (int64_t i = 0; i < options.reps; ++i) {
    int64_t team = i / 6;
    fmt::print(teams.get(), "{},{},{}\r\n", RepName(i), ManagerName(team),
               kRegions[static_cast<size_t>(team) % kRegions.size()]);
  }
  return CloseFile(std::move(teams), teams_path);
}

}  // namespace

Result<GeneratedCounts> GeneratePipelineFiles(const std::filesystem::path& directory,
                                              const GeneratorOptions& options) {
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  SR_RETURN_IF_ERROR(WriteReferenceFiles(directory, options));

  std::filesystem::path pipeline_path = directory / "sales_pipeline.csv";
  SR_ASSIGN_OR_RETURN(FilePtr pipeline, OpenForWriting(pipeline_path));
  std::fputs("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,"
             "close_value\r\n",
             pipeline.get());

  std::mt19937_64 random(options.seed);
  auto uniform = [&random](int64_t low, int64_t high) {
    return std::uniform_int_distribution<int64_t>(low, high)(random);
  };
  const std::chrono::sys_days first_engage = std::chrono::sys_days(
      std::chrono::year_month_day{std::chrono::year(2016), std::chrono::month(10),
                                  std::chrono::day(20)});

  GeneratedCounts counts;
  for (int64_t i = 0; i < options.opportunities; ++i) {
    const ProductRow& product = kProducts[static_cast<size_t>(uniform(0, kProducts.size() - 1))];
    std::string rep = RepName(uniform(0, options.reps - 1));
    std::string account = AccountName(uniform(0, options.accounts - 1));

    // The sample's mix: about 48 % won, 28 % lost, 18 % engaging, 6 % prospecting.
    int64_t draw = uniform(0, 99);
    std::string_view stage = "Prospecting";
    if (draw < 48) {
      stage = "Won";
    } else if (draw < 76) {
      stage = "Lost";
    } else if (draw < 94) {
      stage = "Engaging";
    }
    std::string engage_date;
    std::string close_date;
    std::string close_value;
    std::chrono::sys_days engage = first_engage + std::chrono::days(uniform(0, 430));
    if (stage != "Prospecting") {
      engage_date = FormatDate(engage);
    }
    if (stage == "Won" || stage == "Lost") {
      close_date = FormatDate(engage + std::chrono::days(uniform(1, 138)));
    }
    if (stage == "Won") {
      // Between 20 % below and 10 % above list, so some deals fall under a 15 % discount limit.
      int64_t value = product.list_price * uniform(80, 110) / 100;
      close_value = std::to_string(value);
      counts.won += 1;
      counts.won_value += value;
    } else if (stage == "Lost") {
      close_value = "0";
    } else if (uniform(0, 5) == 0) {
      account.clear();
      counts.without_account += 1;
    }

    fmt::print(pipeline.get(), "G{:09},{},{},{},{},{},{},{}\r\n", i, rep, product.name, account,
               stage, engage_date, close_date, close_value);
    counts.opportunities += 1;
  }
  SR_RETURN_IF_ERROR(CloseFile(std::move(pipeline), pipeline_path));
  return counts;
}

}  // namespace salesradar::bench
