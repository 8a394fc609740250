// Writes a synthetic CRM export in the layout of the bundled sample
// (examples/data/crm-sales-opportunities): accounts.csv, products.csv, sales_teams.csv and
// sales_pipeline.csv, so that the sample's mapping files import it unchanged.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "common/result.h"

namespace salesradar::bench {

struct GeneratorOptions {
  int64_t opportunities = 1'000'000;
  int64_t accounts = 2'000;
  int64_t reps = 60;  // in teams of 6 under one manager each, teams spread over 3 regions
  uint64_t seed = 20171231;  // the same seed writes the same files
};

// Counts of what GeneratePipelineFiles wrote, for checks against an import.
struct GeneratedCounts {
  int64_t opportunities = 0;
  int64_t won = 0;
  int64_t won_value = 0;  // sum of close_value over won rows, in whole currency units
  int64_t without_account = 0;
};

// Writes the four CSV files into `directory`, creating it when missing and replacing files of
// the same names. Rows refer to accounts, products and reps by name, as the sample does.
// About a sixth of the open deals have no account, like the sample's open deals; every name
// referred to exists. Returns kUnavailable naming the file when a write fails.
Result<GeneratedCounts> GeneratePipelineFiles(const std::filesystem::path& directory,
                                              const GeneratorOptions& options);

}  // namespace salesradar::bench
