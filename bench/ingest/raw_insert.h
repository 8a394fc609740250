// The baseline of the import benchmark: the same opportunity rows written to SQLite by a plain
// loop, one prepared INSERT in one transaction, with nothing of SalesRadar in between.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/result.h"

namespace salesradar::bench {

struct RawInsertResult {
  int64_t rows = 0;
  double seconds = 0;      // wall-clock time of BEGIN, the inserts and COMMIT
  double cpu_seconds = 0;  // user plus system CPU time of the same span
};

// Returns the user plus system CPU seconds that `who` (RUSAGE_SELF or RUSAGE_CHILDREN) used.
double CpuSeconds(int who);

// Reads the generated sales_pipeline.csv, accounts.csv, products.csv and sales_teams.csv from
// `data_directory` into memory (not timed), creates a fresh database at `database` with the
// store's opportunities table (the same columns, constraints and indexes, in WAL mode with
// synchronous=NORMAL and foreign keys on, as the store opens it) and tables for the rows it
// refers to, then times inserting every opportunity row: names are resolved to ids through
// hash maps and the stage is lower-cased inside the timed loop.
//
// The files must come from GeneratePipelineFiles, which never quotes a field.
// Returns kUnavailable when a file cannot be read, kInternal with SQLite's message when a
// statement fails.
Result<RawInsertResult> RunRawInsert(const std::filesystem::path& data_directory,
                                     const std::filesystem::path& database);

}  // namespace salesradar::bench
