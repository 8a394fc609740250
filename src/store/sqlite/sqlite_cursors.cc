// Cursors that step one SQLite statement per Next call, so that only the current row is in
// memory.
#include <functional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/sqlite/row_conversion.h"
#include "store/sqlite/sqlite_store.h"
#include "store/sqlite/visibility_sql.h"

namespace salesradar::store::sqlite {
namespace {

using model::EntityKind;

// Owns its statement, so that several cursors can be open at once. Finalising the statement
// ends SQLite's implicit read transaction.
template <typename Row>
class StatementCursor final : public Cursor<Row> {
 public:
  using Reader = std::function<Row(const Statement&)>;

  StatementCursor(std::unique_ptr<Statement> statement, Reader reader)
      : statement_(std::move(statement)), reader_(std::move(reader)) {}

  Result<bool> Next(Row* row) override {
    if (done_) {
      return false;
    }
    Result<bool> stepped = statement_->Step();
    if (!stepped.ok() || !*stepped) {
      done_ = true;
      statement_->Reset();
      return stepped;
    }
    *row = reader_(*statement_);
    return true;
  }

 private:
  std::unique_ptr<Statement> statement_;
  Reader reader_;
  bool done_ = false;
};

model::StageChange ReadStageChange(const Statement& statement) {
  model::StageChange change;
  change.opportunity_id = statement.Int(0);
  change.from_stage = statement.Text(1);
  change.to_stage = statement.Text(2);
  change.changed_at = FromUnixMicros(statement.Int(3));
  return change;
}

}  // namespace

Result<std::unique_ptr<Cursor<model::Opportunity>>> SqliteStore::OpenOpportunityCursor(
    const OpportunityFilter& filter, const auth::Viewer* viewer) {
  std::vector<std::string> conditions;
  if (!filter.stages.empty()) {
    std::string placeholders;
    for (size_t i = 0; i < filter.stages.size(); ++i) {
      placeholders += i == 0 ? "?" : ", ?";
    }
    conditions.push_back(fmt::format("stage IN ({})", placeholders));
  }
  if (filter.owner_id) {
    conditions.push_back("owner_id = ?");
  }
  if (filter.account_id) {
    conditions.push_back("account_id = ?");
  }
  if (filter.product_id) {
    conditions.push_back("product_id = ?");
  }
  if (filter.engaged_on_or_before) {
    conditions.push_back("engage_date <= ?");  // ISO dates compare correctly as text
  }
  if (viewer != nullptr) {
    // Last, because it uses named parameters, which are numbered after the positional ones.
    conditions.push_back(
        VisibilityCondition(EntityKind::kOpportunity, "opportunities", *viewer));
  }

  std::string sql = SelectRowSql(EntityKind::kOpportunity);
  if (!conditions.empty()) {
    sql += fmt::format(" WHERE {}", fmt::join(conditions, " AND "));
  }
  sql += " ORDER BY id";
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> statement,
                      Statement::Prepare(connection_->handle(), sql));

  int index = 1;
  for (const std::string& stage : filter.stages) {
    statement->BindText(index++, stage);
  }
  for (const std::optional<int64_t>& id : {filter.owner_id, filter.account_id, filter.product_id}) {
    if (id) {
      statement->BindInt(index++, *id);
    }
  }
  if (filter.engaged_on_or_before) {
    statement->BindText(index++, model::FormatIsoDate(*filter.engaged_on_or_before));
  }
  if (viewer != nullptr) {
    BindViewer(*statement, *viewer);
  }

  auto reader = [](const Statement& row) {
    return ToOpportunity(ReadStoredRow(row, EntityKind::kOpportunity));
  };
  return std::unique_ptr<Cursor<model::Opportunity>>(
      new StatementCursor<model::Opportunity>(std::move(statement), reader));
}

Result<std::unique_ptr<Cursor<model::StageChange>>> SqliteStore::OpenStageHistoryCursor(
    std::optional<int64_t> opportunity_id) {
  std::string sql =
      "SELECT opportunity_id, from_stage, to_stage, changed_at FROM opportunity_stage_history";
  if (opportunity_id) {
    sql += " WHERE opportunity_id = ?";
  }
  sql += " ORDER BY opportunity_id, changed_at, id";
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> statement,
                      Statement::Prepare(connection_->handle(), sql));
  if (opportunity_id) {
    statement->BindInt(1, *opportunity_id);
  }

  return std::unique_ptr<Cursor<model::StageChange>>(
      new StatementCursor<model::StageChange>(std::move(statement), &ReadStageChange));
}

}  // namespace salesradar::store::sqlite
