#include "cli/migrate_copy.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <filesystem>
#include <memory>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "common/logging.h"
#include "ingest/encoding.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_copy_text.h"
#include "store/postgres/pg_url.h"
#include "store/store.h"
#include "store/subject_bucket.h"

namespace salesradar::cli::migrate {
namespace {

using store::postgres::PgConnection;
using store::postgres::PgParams;
using store::postgres::PgResult;

// Parents before children: org_units, users and accounts reference their own rows, which one
// COPY accepts in any order because PostgreSQL checks foreign keys at the end of the statement.
constexpr std::array<std::string_view, 33> kCopiedTables = {
    "org_units",       "users",           "accounts",
    "contacts",        "products",        "leads",
    "opportunities",   "opportunity_stage_history", "activities",
    "custom_field_definitions", "custom_field_values", "credentials",
    "sessions",        "api_tokens",      "audit_log",
    "events",          "rule_pack_versions", "rule_windows",
    "rule_counters",   "alerts",          "alert_history",
    "tickets",         "processed_events", "alert_outbox",
    "notify_channels", "notify_addresses", "notify_messages",
    "notify_cursors",  "notify_settings", "cluster_settings",
    "leases",          "cluster_nodes",   "alert_actions",
};

// The tables whose bucket the copy derives from the subject when the source holds 0: the rows
// written before migration 0005_cluster added the column. alert_actions stores the bucket its
// writer computed and is copied as it is.
constexpr std::array<std::string_view, 5> kSubjectBucketTables = {
    "events", "rule_windows", "rule_counters", "alerts", "tickets"};

// Rows per COPY statement: bounds the client's buffer on large tables.
constexpr int64_t kRowsPerCopy = 50000;

constexpr int kLockTimeoutMs = 30000;

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using SqliteStatement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

struct TargetColumn {
  std::string name;
  bool boolean = false;
};

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

Error SqliteFailure(sqlite3* db, std::string_view operation) {
  return Error(ErrorCode::kInternal,
               fmt::format("读取源数据库失败（{}）：{}", operation, sqlite3_errmsg(db)),
               fmt::format("reading the source database failed ({}): {}", operation,
                           sqlite3_errmsg(db)));
}

Result<SqliteStatement> Prepare(sqlite3* db, const std::string& sql, std::string_view operation) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &raw, nullptr) != SQLITE_OK) {
    return SqliteFailure(db, operation);
  }
  return SqliteStatement(raw);
}

Result<SqliteHandle> OpenSourceReadOnly(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
  SqliteHandle db(raw);
  if (rc != SQLITE_OK) {
    return Error(ErrorCode::kUnavailable,
                 fmt::format("无法打开源数据库 '{}'：{}", path, sqlite3_errstr(rc)),
                 fmt::format("cannot open the source database '{}': {}", path,
                             sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(db.get(), kLockTimeoutMs);
  return db;
}

Result<int> ReadSourceVersion(sqlite3* db) {
  SR_ASSIGN_OR_RETURN(SqliteStatement exists,
                      Prepare(db,
                              "SELECT COUNT(*) FROM sqlite_master"
                              " WHERE type = 'table' AND name = 'schema_migrations'",
                              "find schema_migrations"));
  if (sqlite3_step(exists.get()) != SQLITE_ROW || sqlite3_column_int(exists.get(), 0) == 0) {
    return 0;
  }
  SR_ASSIGN_OR_RETURN(SqliteStatement version,
                      Prepare(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                              "read the schema version"));
  if (sqlite3_step(version.get()) != SQLITE_ROW) {
    return SqliteFailure(db, "read the schema version");
  }
  return sqlite3_column_int(version.get(), 0);
}

// Checks the source's version before store::Open would migrate it in place.
Status CheckSourceVersion(const MigrateOptions& options) {
  if (!std::filesystem::exists(options.source_path)) {
    return Error(ErrorCode::kNotFound,
                 fmt::format("源数据库 '{}' 不存在；--from 应指向现有的 SQLite 文件",
                             options.source_path),
                 fmt::format("the source database '{}' does not exist; --from must name an "
                             "existing SQLite file",
                             options.source_path));
  }
  SR_ASSIGN_OR_RETURN(SqliteHandle db, OpenSourceReadOnly(options.source_path));
  SR_ASSIGN_OR_RETURN(int version, ReadSourceVersion(db.get()));

  int latest = store::LatestSchemaVersion();
  if (version >= latest || options.migrate_source) {
    return OkStatus();
  }
  return Error(
      ErrorCode::kFailedPrecondition,
      fmt::format("源数据库 '{}' 的结构版本为 {}，低于本程序的版本 {}。打开它就会把它原地迁移到"
                  "版本 {}，旧版 SalesRadar 此后无法再打开它。请先备份该文件，再加 "
                  "--migrate-source 重试",
                  options.source_path, version, latest, latest),
      fmt::format("the source database '{}' has schema version {}, older than version {} of this "
                  "binary. Opening it migrates it in place to version {}, after which older "
                  "SalesRadar releases cannot open it. Back the file up, then retry with "
                  "--migrate-source",
                  options.source_path, version, latest, latest));
}

// Runs store::Open on both ends so that both reach this binary's schema version.
Result<int> MigrateBothSchemas(const MigrateOptions& options) {
  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> source, store::Open(options.source_path));
  SR_ASSIGN_OR_RETURN(int source_version, source->SchemaVersion());
  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> target, store::Open(options.target_url));
  SR_ASSIGN_OR_RETURN(int target_version, target->SchemaVersion());
  if (source_version != target_version) {
    return Error(ErrorCode::kFailedPrecondition,
                 fmt::format("源数据库的结构版本 {} 与目标数据库的版本 {} 不同", source_version,
                             target_version),
                 fmt::format("the source's schema version {} differs from the target's {}",
                             source_version, target_version));
  }
  return source_version;
}

// Rejects a source table that the copy would leave behind.
Status CheckEveryTableCopied(sqlite3* db) {
  SR_ASSIGN_OR_RETURN(SqliteStatement tables,
                      Prepare(db,
                              "SELECT name FROM sqlite_master WHERE type = 'table'"
                              " AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'"
                              " ORDER BY name",
                              "list tables"));
  while (sqlite3_step(tables.get()) == SQLITE_ROW) {
    std::string name = reinterpret_cast<const char*>(sqlite3_column_text(tables.get(), 0));
    if (std::find(kCopiedTables.begin(), kCopiedTables.end(), name) == kCopiedTables.end()) {
      return Error(ErrorCode::kFailedPrecondition,
                   fmt::format("源数据库有表 {}，但本程序的迁移命令不复制它；请使用与该数据库"
                               "版本一致的 SalesRadar",
                               name),
                   fmt::format("the source has table {}, which this binary's migrate does not "
                               "copy; use the SalesRadar release that matches the database",
                               name));
    }
  }
  return OkStatus();
}

Status CheckTargetEmpty(PgConnection& target) {
  for (std::string_view table : kCopiedTables) {
    SR_ASSIGN_OR_RETURN(PgResult any,
                        target.Query(fmt::format("SELECT EXISTS (SELECT 1 FROM {})", table),
                                     PgParams(), "check that the target is empty"));
    if (any.Bool(0, 0)) {
      return Error(
          ErrorCode::kFailedPrecondition,
          fmt::format("目标数据库不是空的：表 {} 已有数据。请指向一个新建的空数据库（例如 "
                      "DROP DATABASE 后重新 CREATE DATABASE），再重试",
                      table),
          fmt::format("the target database is not empty: table {} already holds rows. Point "
                      "--to at a newly created empty database (for example DROP DATABASE and "
                      "CREATE DATABASE again), then retry",
                      table));
    }
  }
  return OkStatus();
}

Result<std::vector<TargetColumn>> ReadTargetColumns(PgConnection& target,
                                                   std::string_view table) {
  PgParams params;
  params.AddText(table);
  SR_ASSIGN_OR_RETURN(PgResult columns,
                      target.Query("SELECT column_name, data_type FROM information_schema.columns"
                                   " WHERE table_schema = current_schema() AND table_name = $1"
                                   " ORDER BY ordinal_position",
                                   params, "read the target's columns"));
  std::vector<TargetColumn> result;
  for (int row = 0; row < columns.rows(); ++row) {
    result.push_back({std::string(columns.Text(row, 0)), columns.Text(row, 1) == "boolean"});
  }
  return result;
}

// Checks that the source table has exactly the target's columns.
Status CheckSourceColumns(sqlite3* db, std::string_view table,
                          const std::vector<TargetColumn>& target_columns) {
  SR_ASSIGN_OR_RETURN(SqliteStatement info,
                      Prepare(db, fmt::format("PRAGMA table_info({})", table), "read columns"));
  std::set<std::string> source_columns;
  while (sqlite3_step(info.get()) == SQLITE_ROW) {
    source_columns.insert(reinterpret_cast<const char*>(sqlite3_column_text(info.get(), 1)));
  }

  std::set<std::string> target_names;
  for (const TargetColumn& column : target_columns) {
    target_names.insert(column.name);
  }
  for (const std::string& name : source_columns) {
    if (!target_names.contains(name)) {
      return Error(ErrorCode::kFailedPrecondition,
                   fmt::format("目标数据库的表 {} 没有列 {}", table, name),
                   fmt::format("the target's table {} has no column {}", table, name));
    }
  }
  for (const std::string& name : target_names) {
    if (!source_columns.contains(name)) {
      return Error(ErrorCode::kFailedPrecondition,
                   fmt::format("源数据库的表 {} 没有列 {}", table, name),
                   fmt::format("the source's table {} has no column {}", table, name));
    }
  }
  return OkStatus();
}

// Computes the bucket of rows written before migration 0005 filled the column: those hold 0.
class BucketFiller {
 public:
  // Returns the column index of `bucket` in `columns`, or -1 when `table` has none to compute.
  static int BucketColumn(std::string_view table, const std::vector<TargetColumn>& columns) {
    if (std::find(kSubjectBucketTables.begin(), kSubjectBucketTables.end(), table) ==
        kSubjectBucketTables.end()) {
      return -1;
    }
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == "bucket") {
        return static_cast<int>(i);
      }
    }
    return -1;
  }

  // Returns the bucket to write for the current row of `row` in `table`.
  int64_t Bucket(std::string_view table, sqlite3_stmt* row,
                 const std::vector<TargetColumn>& columns, int bucket_column) {
    int64_t stored = sqlite3_column_int64(row, bucket_column);
    int64_t bucket = stored;
    if (table == "tickets") {
      // A ticket has no subject of its own; it lives in its alert's bucket.
      auto found = alert_buckets_.find(Text(row, columns, "alert_id"));
      bucket = stored != 0 || found == alert_buckets_.end() ? stored : found->second;
    } else if (stored == 0) {
      bucket = store::SubjectBucket(Text(row, columns, "subject_type"),
                                    Text(row, columns, "subject_id"));
    }

    if (table == "alerts") {
      alert_buckets_[Text(row, columns, "id")] = bucket;
    }
    return bucket;
  }

 private:
  static std::string Text(sqlite3_stmt* row, const std::vector<TargetColumn>& columns,
                          std::string_view name) {
    for (size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == name) {
        const unsigned char* text = sqlite3_column_text(row, static_cast<int>(i));
        return text == nullptr ? std::string() : reinterpret_cast<const char*>(text);
      }
    }
    return std::string();
  }

  std::unordered_map<std::string, int64_t> alert_buckets_;
};

// `row_number` counts from 1 in the table's storage order (rowid or primary key).
Error NotUtf8(std::string_view table, int64_t row_number, std::string_view column) {
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("源数据库表 {} 的第 {} 行，列 {} 不是有效的 UTF-8 文本，"
                           "PostgreSQL 不接受；请先在源数据库中修正该值",
                           table, row_number, column),
               fmt::format("table {} row {} column {} of the source is not valid UTF-8, which "
                           "PostgreSQL rejects; correct the value in the source first",
                           table, row_number, column));
}

// Appends the current row of `row`, the `row_number`th of `table`, to `out` as one line of
// COPY's text format. Column i of the statement is columns[i].
Status AppendRow(std::string_view table, sqlite3_stmt* row, int64_t row_number,
                 const std::vector<TargetColumn>& columns, int bucket_column,
                 BucketFiller& buckets, std::string* out) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) {
      out->push_back('\t');
    }
    int index = static_cast<int>(i);
    int type = sqlite3_column_type(row, index);

    if (index == bucket_column) {
      out->append(std::to_string(buckets.Bucket(table, row, columns, bucket_column)));
    } else if (type == SQLITE_NULL) {
      out->append(store::postgres::kCopyNull);
    } else if (columns[i].boolean) {
      out->push_back(sqlite3_column_int64(row, index) != 0 ? 't' : 'f');
    } else if (type == SQLITE_INTEGER) {
      out->append(std::to_string(sqlite3_column_int64(row, index)));
    } else {
      const char* bytes = reinterpret_cast<const char*>(sqlite3_column_text(row, index));
      std::string_view text(bytes, static_cast<size_t>(sqlite3_column_bytes(row, index)));
      if (ingest::FindInvalidUtf8(text) != std::string_view::npos) {
        return NotUtf8(table, row_number, columns[i].name);
      }
      AppendCopyText(text, out);
    }
  }
  out->push_back('\n');
  return OkStatus();
}

Result<int64_t> CopyTable(sqlite3* source, PgConnection& target, std::string_view table,
                          BucketFiller& buckets) {
  SR_ASSIGN_OR_RETURN(std::vector<TargetColumn> columns, ReadTargetColumns(target, table));
  SR_RETURN_IF_ERROR(CheckSourceColumns(source, table, columns));

  std::string column_list;
  for (const TargetColumn& column : columns) {
    column_list += (column_list.empty() ? "" : ", ") + column.name;
  }
  SR_ASSIGN_OR_RETURN(
      SqliteStatement rows,
      Prepare(source, fmt::format("SELECT {} FROM {}", column_list, table), "read rows"));
  std::string copy_sql = fmt::format("COPY {} ({}) FROM STDIN", table, column_list);
  std::string operation = fmt::format("copy {}", table);
  int bucket_column = BucketFiller::BucketColumn(table, columns);

  int64_t copied = 0;
  int64_t pending = 0;
  std::string data;
  int rc = SQLITE_ROW;
  while ((rc = sqlite3_step(rows.get())) == SQLITE_ROW) {
    SR_RETURN_IF_ERROR(
        AppendRow(table, rows.get(), copied + pending + 1, columns, bucket_column, buckets, &data));
    if (++pending == kRowsPerCopy) {
      SR_ASSIGN_OR_RETURN(int64_t sent, target.CopyIn(copy_sql, data, operation));
      copied += sent;
      pending = 0;
      data.clear();
    }
  }
  if (rc != SQLITE_DONE) {
    return SqliteFailure(source, operation);
  }
  if (pending > 0) {
    SR_ASSIGN_OR_RETURN(int64_t sent, target.CopyIn(copy_sql, data, operation));
    copied += sent;
  }
  return copied;
}

// Moves every identity sequence past the highest copied id, so that the next insert does not
// collide with a copied row.
Status ResetIdentitySequences(PgConnection& target) {
  SR_ASSIGN_OR_RETURN(PgResult identities,
                      target.Query("SELECT table_name, column_name FROM information_schema.columns"
                                   " WHERE table_schema = current_schema() AND is_identity = 'YES'"
                                   " ORDER BY table_name",
                                   PgParams(), "list identity columns"));
  for (int row = 0; row < identities.rows(); ++row) {
    std::string table(identities.Text(row, 0));
    std::string column(identities.Text(row, 1));
    // setval(seq, 1, false) on an empty table makes the next value 1 again.
    std::string sql = fmt::format(
        "SELECT setval(pg_get_serial_sequence('{0}', '{1}'),"
        " COALESCE((SELECT MAX({1}) FROM {0}), 1), (SELECT EXISTS (SELECT 1 FROM {0})))",
        table, column);
    SR_RETURN_IF_ERROR(target.Execute(sql, fmt::format("reset the sequence of {}", table)));
  }
  return OkStatus();
}

Result<std::vector<TableCopied>> CopyAllTables(sqlite3* source, PgConnection& target,
                                               const MigrateOptions& options) {
  std::vector<TableCopied> tables;
  BucketFiller buckets;
  for (std::string_view table : kCopiedTables) {
    auto start = std::chrono::steady_clock::now();
    SR_ASSIGN_OR_RETURN(int64_t rows, CopyTable(source, target, table, buckets));
    TableCopied copied{std::string(table), rows, SecondsSince(start)};
    if (options.on_table_copied) {
      options.on_table_copied(copied);
    }
    tables.push_back(std::move(copied));
  }
  SR_RETURN_IF_ERROR(ResetIdentitySequences(target));
  return tables;
}

}  // namespace

std::span<const std::string_view> CopiedTables() { return kCopiedTables; }

void AppendCopyText(std::string_view value, std::string* out) {
  store::postgres::AppendCopyText(value, out);
}

Result<MigrateSummary> CopySqliteToPostgres(const MigrateOptions& options) {
  auto start = std::chrono::steady_clock::now();
  SR_RETURN_IF_ERROR(CheckSourceVersion(options));
  SR_ASSIGN_OR_RETURN(int schema_version, MigrateBothSchemas(options));

  SR_ASSIGN_OR_RETURN(SqliteHandle source, OpenSourceReadOnly(options.source_path));
  SR_RETURN_IF_ERROR(CheckEveryTableCopied(source.get()));
  SR_ASSIGN_OR_RETURN(std::string display_url,
                      store::postgres::DisplayUrl(options.target_url));
  SR_ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> target,
                      PgConnection::Open(options.target_url, display_url, kLockTimeoutMs));

  // One read transaction on the source gives a consistent snapshot while a server writes to it.
  if (sqlite3_exec(source.get(), "BEGIN", nullptr, nullptr, nullptr) != SQLITE_OK) {
    return SqliteFailure(source.get(), "begin a read transaction");
  }
  SR_RETURN_IF_ERROR(target->Execute("BEGIN; SET client_encoding = 'UTF8'", "begin the copy"));
  SR_RETURN_IF_ERROR(CheckTargetEmpty(*target));

  Result<std::vector<TableCopied>> tables = CopyAllTables(source.get(), *target, options);
  if (!tables.ok()) {
    // The copy's error matters more than a failed rollback; closing the connection also
    // rolls back.
    (void)target->Execute("ROLLBACK", "roll the copy back");
    return tables.error();
  }
  SR_RETURN_IF_ERROR(target->Execute("COMMIT", "commit the copy"));

  MigrateSummary summary;
  summary.tables = std::move(*tables);
  for (const TableCopied& table : summary.tables) {
    summary.rows += table.rows;
  }
  summary.seconds = SecondsSince(start);
  summary.schema_version = schema_version;
  Logger("migrate")->info("copied {} rows in {} tables from {} to {} in {:.1f} s", summary.rows,
                          summary.tables.size(), options.source_path, display_url,
                          summary.seconds);
  return summary;
}

}  // namespace salesradar::cli::migrate
