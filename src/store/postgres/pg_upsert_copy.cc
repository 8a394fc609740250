// UpsertBatch::Send: the planned writes of an Upsert, with the new rows of a large single-table
// batch in one COPY. Plan has already locked and read every external id of the batch and
// reserved the new rows' ids, so the new rows are plain inserts: COPY writes them directly, with
// no staging table or ON CONFLICT. A row that another transaction inserted meanwhile with the
// same external id fails the COPY with a unique violation (kAlreadyExists), as the pipelined
// INSERT would.
#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/logging.h"
#include "store/postgres/pg_copy_text.h"
#include "store/postgres/pg_upsert.h"

namespace salesradar::store::postgres {

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
  return connection_.RunPipeline(rest);
}

}  // namespace salesradar::store::postgres
