// Cursors that read pages of rows by keyset: each page is "WHERE key > last key ORDER BY key
// LIMIT kPageSize", so that at most one page is in memory and nothing stays open on the server.
#include <functional>
#include <limits>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "store/postgres/pg_store.h"
#include "store/postgres/pg_visibility.h"
#include "store/sqlite/row_conversion.h"

namespace salesradar::store::postgres {
namespace {

using model::EntityKind;

constexpr int kPageSize = 1000;

// Walks pages that `fetch` returns until one is shorter than kPageSize. `fetch` remembers the
// key of the last row it returned.
template <typename Row>
class PageCursor final : public Cursor<Row> {
 public:
  using Fetch = std::function<Result<std::vector<Row>>()>;

  explicit PageCursor(Fetch fetch) : fetch_(std::move(fetch)) {}

  Result<bool> Next(Row* row) override {
    if (next_ == page_.size()) {
      if (last_page_) {
        return false;
      }
      Result<std::vector<Row>> page = fetch_();
      if (!page.ok()) {
        last_page_ = true;
        page_.clear();
        next_ = 0;
        return page.error();
      }
      page_ = std::move(page).value();
      next_ = 0;
      last_page_ = page_.size() < static_cast<size_t>(kPageSize);
      if (page_.empty()) {
        return false;
      }
    }
    *row = std::move(page_[next_++]);
    return true;
  }

 private:
  Fetch fetch_;
  std::vector<Row> page_;
  size_t next_ = 0;
  bool last_page_ = false;
};

// Returns the WHERE conditions of `filter` after "id > $1", numbered from $2, and appends their
// parameters to `params`.
std::string OpportunityConditions(const OpportunityFilter& filter, PgParams* params) {
  std::vector<std::string> conditions = {"id > $1"};
  auto next = [&] { return params->size() + 1; };
  if (!filter.stages.empty()) {
    conditions.push_back(fmt::format("stage = ANY(${}::text[])", next()));
    params->AddText(ArrayLiteral(filter.stages));
  }
  if (filter.owner_id) {
    conditions.push_back(fmt::format("owner_id = ${}", next()));
    params->AddInt(*filter.owner_id);
  }
  if (filter.account_id) {
    conditions.push_back(fmt::format("account_id = ${}", next()));
    params->AddInt(*filter.account_id);
  }
  if (filter.product_id) {
    conditions.push_back(fmt::format("product_id = ${}", next()));
    params->AddInt(*filter.product_id);
  }
  if (filter.engaged_on_or_before) {
    conditions.push_back(fmt::format("engage_date <= ${}::date", next()));
    params->AddText(model::FormatIsoDate(*filter.engaged_on_or_before));
  }
  return fmt::format("{}", fmt::join(conditions, " AND "));
}

}  // namespace

Result<std::unique_ptr<Cursor<model::Opportunity>>> PgStore::OpenOpportunityCursor(
    const OpportunityFilter& filter) {
  return OpenOpportunityCursor(filter, nullptr);
}

Result<std::unique_ptr<Cursor<model::Opportunity>>> PgStore::OpenOpportunityCursor(
    const OpportunityFilter& filter, const auth::Viewer* viewer) {
  PgConnection* connection = connection_.get();
  auto last_id = std::make_shared<int64_t>(0);
  std::optional<auth::Viewer> copied_viewer;
  if (viewer != nullptr) {
    copied_viewer = *viewer;
  }

  auto fetch = [connection, filter, copied_viewer,
                last_id]() -> Result<std::vector<model::Opportunity>> {
    PgParams params;
    params.AddInt(*last_id);
    std::string conditions = OpportunityConditions(filter, &params);
    if (copied_viewer) {
      conditions += fmt::format(
          " AND {}", VisibilityCondition(EntityKind::kOpportunity, "opportunities",
                                         *copied_viewer, params.size() + 1));
      AddViewerParams(&params, EntityKind::kOpportunity, *copied_viewer);
    }
    std::string sql = fmt::format("{} WHERE {} ORDER BY id LIMIT {}",
                                  SelectRowSql(EntityKind::kOpportunity), conditions, kPageSize);
    SR_ASSIGN_OR_RETURN(PgResult result, connection->Query(sql, params, "read opportunities"));

    std::vector<model::Opportunity> rows;
    rows.reserve(static_cast<size_t>(result.rows()));
    for (int row = 0; row < result.rows(); ++row) {
      rows.push_back(sqlite::ToOpportunity(ReadStoredRow(result, row, EntityKind::kOpportunity)));
    }
    if (!rows.empty()) {
      *last_id = rows.back().id;
    }
    return rows;
  };
  return std::unique_ptr<Cursor<model::Opportunity>>(
      new PageCursor<model::Opportunity>(std::move(fetch)));
}

Result<std::unique_ptr<Cursor<model::StageChange>>> PgStore::OpenStageHistoryCursor(
    std::optional<int64_t> opportunity_id) {
  // The key is (opportunity_id, changed_at, id); id breaks ties between changes at one instant.
  struct Key {
    int64_t opportunity_id = std::numeric_limits<int64_t>::min();
    int64_t changed_at = std::numeric_limits<int64_t>::min();
    int64_t id = std::numeric_limits<int64_t>::min();
  };
  PgConnection* connection = connection_.get();
  auto last = std::make_shared<Key>();

  auto fetch = [connection, opportunity_id, last]() -> Result<std::vector<model::StageChange>> {
    PgParams params;
    params.AddInt(last->opportunity_id);
    params.AddInt(last->changed_at);
    params.AddInt(last->id);
    std::string only_one;
    if (opportunity_id) {
      only_one = " AND opportunity_id = $4";
      params.AddInt(*opportunity_id);
    }
    std::string sql = fmt::format(
        "SELECT opportunity_id, from_stage, to_stage, changed_at, id"
        " FROM opportunity_stage_history"
        " WHERE (opportunity_id, changed_at, id) > ($1, $2, $3){}"
        " ORDER BY opportunity_id, changed_at, id LIMIT {}",
        only_one, kPageSize);
    SR_ASSIGN_OR_RETURN(PgResult result, connection->Query(sql, params, "read stage history"));

    std::vector<model::StageChange> rows;
    for (int row = 0; row < result.rows(); ++row) {
      model::StageChange change;
      change.opportunity_id = result.Int(row, 0);
      change.from_stage = result.IsNull(row, 1) ? "" : std::string(result.Text(row, 1));
      change.to_stage = std::string(result.Text(row, 2));
      change.changed_at = FromUnixMicros(result.Int(row, 3));
      *last = Key{change.opportunity_id, result.Int(row, 3), result.Int(row, 4)};
      rows.push_back(std::move(change));
    }
    return rows;
  };
  return std::unique_ptr<Cursor<model::StageChange>>(
      new PageCursor<model::StageChange>(std::move(fetch)));
}

}  // namespace salesradar::store::postgres
