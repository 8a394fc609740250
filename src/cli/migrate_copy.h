// Copies a whole SQLite installation into an empty PostgreSQL database of the same schema
// version, for `salesradar migrate`. Rows keep their ids; COPY FROM STDIN carries the data and
// one transaction covers the whole copy, so a failure leaves the target empty.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace salesradar::cli::migrate {

// Returns every table that the copy writes, in an order where each table comes after the
// tables its foreign keys reference. schema_migrations is not copied: opening the target with
// store::Open already brings it to the same version.
std::span<const std::string_view> CopiedTables();

// One table's figures, reported as soon as its rows are in.
struct TableCopied {
  std::string table;
  int64_t rows = 0;
  double seconds = 0;
};

struct MigrateOptions {
  std::string source_path;  // an SQLite file; a missing file is an error, never created
  std::string target_url;   // postgresql://...
  // Lets an older source be migrated in place to this binary's schema version before the copy.
  bool migrate_source = false;
  std::function<void(const TableCopied&)> on_table_copied;
};

struct MigrateSummary {
  std::vector<TableCopied> tables;
  int64_t rows = 0;
  double seconds = 0;
  int schema_version = 0;
};

// Opens both databases with store::Open, which runs pending migrations. Checks that the target
// contains no rows and that the source has no table missing from CopiedTables(). Then copies
// every table and resets every identity sequence of the target to the highest copied id.
//
// Errors: kNotFound for a missing source file; kFailedPrecondition for a source older than
// this binary without `migrate_source`, for a target that already holds rows (naming the
// table), for a source table or column that the target lacks; kInvalidArgument for a text
// value that is not UTF-8 (naming table, row and column). Store and server errors pass through.
Result<MigrateSummary> CopySqliteToPostgres(const MigrateOptions& options);

// Appends `value` to `out` as one field of COPY's text format: backslash, tab, newline and
// carriage return are escaped, so the field cannot end early or split a row.
void AppendCopyText(std::string_view value, std::string* out);

}  // namespace salesradar::cli::migrate
