// UpsertBatch::Send: the planned writes of an Upsert, with the new rows of a large single-table
// batch in one COPY, and long runs of the same plain INSERT among the other writes (audit rows,
// stage history) in one COPY each. Plan has already locked and read every external id of the batch and
// reserved the new rows' ids, so the new rows are plain inserts: COPY writes them directly, with
// no staging table or ON CONFLICT. A row that another transaction inserted meanwhile with the
// same external id fails the COPY with a unique violation (kAlreadyExists), as the pipelined
// INSERT would.
#include <algorithm>
#include <optional>
#include <regex>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/logging.h"
#include "store/postgres/pg_copy_text.h"
#include "store/postgres/pg_upsert.h"

namespace salesradar::store::postgres {
namespace {

// Runs of at least this many identical plain INSERTs among the other writes (audit rows, stage
// history) also go through COPY; shorter runs stay in the pipeline, where they cost no extra
// round trip.
constexpr size_t kMinCopyRun = 100;

// The table and columns of "INSERT INTO t (a, b) VALUES ($1, $2)" with no other clause, or
// nothing: only such a command means the same as a COPY of its parameters.
struct PlainInsert {
  std::string table;
  std::string columns;
};

std::optional<PlainInsert> ParsePlainInsert(const std::string& sql) {
  static const std::regex kPlainInsert(
      R"(INSERT INTO ([a-z_]+) \(([a-z_, ]+)\) VALUES \(\$1(, \$[0-9]+)*\))");
  std::smatch match;
  if (!std::regex_match(sql, match, kPlainInsert)) {
    return std::nullopt;
  }

  // The parameters must be $1, $2 ... in column order, so that COPY's fields line up.
  std::string columns = match[2].str();
  size_t column_count = static_cast<size_t>(std::count(columns.begin(), columns.end(), ',')) + 1;
  std::string placeholders;
  for (size_t i = 1; i <= column_count; ++i) {
    placeholders += fmt::format("{}${}", i == 1 ? "" : ", ", i);
  }
  if (!sql.ends_with("VALUES (" + placeholders + ")")) {
    return std::nullopt;
  }
  return PlainInsert{match[1].str(), std::move(columns)};
}

// Appends the parameters of `command` as one line of COPY's text format.
void AppendCopyLine(const PgCommand& command, std::string* data) {
  std::vector<const char*> values = command.params.Pointers();
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) {
      data->push_back('\t');
    }
    if (values[i] == nullptr) {
      data->append(kCopyNull);
    } else {
      AppendCopyText(values[i], data);
    }
  }
  data->push_back('\n');
}

// Sends `commands` in order: each run of kMinCopyRun or more identical plain INSERTs as one
// COPY, everything between them in pipeline mode.
Status SendCoalesced(PgConnection& connection, std::vector<PgCommand>& commands) {
  size_t pipeline_start = 0;
  size_t i = 0;
  while (i < commands.size()) {
    size_t run_end = i + 1;
    while (run_end < commands.size() && commands[run_end].sql == commands[i].sql) {
      ++run_end;
    }
    std::optional<PlainInsert> insert =
        run_end - i >= kMinCopyRun ? ParsePlainInsert(commands[i].sql) : std::nullopt;
    if (!insert) {
      i = run_end;
      continue;
    }

    std::span<const PgCommand> before(commands.data() + pipeline_start, i - pipeline_start);
    SR_RETURN_IF_ERROR(connection.RunPipeline(before));
    std::string data;
    for (size_t c = i; c < run_end; ++c) {
      AppendCopyLine(commands[c], &data);
    }
    Result<int64_t> copied =
        connection.CopyIn(fmt::format("COPY {} ({}) FROM STDIN", insert->table, insert->columns),
                          data, fmt::format("copy rows into {}", insert->table));
    if (!copied.ok()) {
      return copied.error();
    }
    pipeline_start = run_end;
    i = run_end;
  }
  std::span<const PgCommand> rest(commands.data() + pipeline_start,
                                  commands.size() - pipeline_start);
  return connection.RunPipeline(rest);
}

}  // namespace

bool UpsertBatch::CanCopyInserts(int64_t copy_threshold) const {
  if (inserts_.empty() || static_cast<int64_t>(inserts_.size()) < copy_threshold) {
    return false;
  }
  // Rows of several tables stay in pipeline order, where a row may reference one inserted
  // before it. Within one table, one COPY accepts references in any order, because PostgreSQL
  // checks foreign keys at the end of the statement.
  return std::all_of(inserts_.begin(), inserts_.end(), [this](const PlannedInsert& insert) {
    return insert.table == inserts_.front().table;
  });
}

Status UpsertBatch::Send(int64_t copy_threshold) {
  if (!CanCopyInserts(copy_threshold)) {
    return connection_.RunPipeline(commands_);
  }
  return SendWithCopy();
}

Status UpsertBatch::SendWithCopy() {
  // Records with different fields insert different columns: the COPY takes them all, and a row
  // without a column gets NULL there, as the INSERT that leaves it out does.
  std::vector<std::string> columns;
  for (const PlannedInsert& insert : inserts_) {
    for (const std::string& column : insert.columns) {
      if (std::find(columns.begin(), columns.end(), column) == columns.end()) {
        columns.push_back(column);
      }
    }
  }

  std::string data;
  std::unordered_set<size_t> copied_commands;
  for (const PlannedInsert& insert : inserts_) {
    std::vector<const char*> values = commands_[insert.command_index].params.Pointers();
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c > 0) {
        data.push_back('\t');
      }
      auto at = std::find(insert.columns.begin(), insert.columns.end(), columns[c]);
      const char* value =
          at == insert.columns.end() ? nullptr : values[static_cast<size_t>(at - insert.columns.begin())];
      if (value == nullptr) {
        data.append(kCopyNull);
      } else {
        AppendCopyText(value, &data);
      }
    }
    data.push_back('\n');
    copied_commands.insert(insert.command_index);
  }

  std::string column_list = fmt::format("{}", fmt::join(columns, ", "));
  const std::string& table = inserts_.front().table;
  SR_ASSIGN_OR_RETURN(int64_t copied,
                      connection_.CopyIn(fmt::format("COPY {} ({}) FROM STDIN", table, column_list),
                                         data, fmt::format("copy new rows into {}", table)));
  Logger("store")->debug("upsert: copied {} new rows into {}", copied, table);

  std::vector<PgCommand> rest;
  rest.reserve(commands_.size() - copied_commands.size());
  for (size_t i = 0; i < commands_.size(); ++i) {
    if (!copied_commands.contains(i)) {
      rest.push_back(std::move(commands_[i]));
    }
  }
  return SendCoalesced(connection_, rest);
}

}  // namespace salesradar::store::postgres
