// The pipeline report: stage counts and amounts, win rate, time to close, stale open deals and
// deals won below list price, for all opportunities or per team, region, rep or product.
//
// This is a pure computation. The caller passes the small reference tables, then feeds
// opportunities one at a time with their stage history, and gets a PipelineReport back.
// LoadPipelineReport (pipeline_loader.h) does the reading from a Store.
//
// The stage of a deal at the as-of date D is decided in this order:
//   1. A deal whose engage date is after D is excluded. A deal without an engage date is kept,
//      because no date records when it started.
//   2. The stage is the last stage history entry recorded before the end of D; when there is
//      none, the current stage. (Stage history holds the times SalesRadar recorded a change,
//      which for imported data is the import time, so for a past D the current stage is used.)
//   3. Close dates are business facts and win over step 2: a won or lost deal whose close date
//      is after D was still open at D, in the "engaging" stage when its engage date is on or
//      before D, otherwise in "prospecting".
//
// Amounts are summed per currency and never converted; a sum that would overflow int64 fen
// is an error. Ratios are kept as integer numerators and denominators.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/result.h"
#include "model/entities.h"
#include "model/money.h"
#include "model/value.h"

namespace salesradar::report {

enum class GroupBy { kNone, kTeam, kRegion, kRep, kProduct };

// Returns "none", "team", "region", "rep" or "product".
std::string_view GroupByName(GroupBy group_by);

// Parses a name that GroupByName returns ("none" included). Returns kInvalidArgument naming
// the text and the accepted names otherwise.
Result<GroupBy> ParseGroupBy(std::string_view name);

struct PipelineOptions {
  model::CivilDate as_of;       // the report date D
  Timestamp as_of_end;          // the first instant after D in the report's time zone
  GroupBy group_by = GroupBy::kNone;
  int64_t stale_days = 90;      // an open deal engaged more than this many days before D is stale
  int64_t max_discount_basis_points = 1500;  // 15 %: a won deal below list by more is flagged
};

// Sums of money, one per currency code, in fen.
using MoneyByCurrency = std::map<std::string, int64_t>;

struct StageSummary {
  std::string stage;  // a stage code such as "won"
  int64_t count = 0;
  MoneyByCurrency amounts;  // deals without an amount add to `count` only
};

// One deal named in a finding, with the names of what it refers to already looked up.
struct DealRef {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string stage;  // the stage at D
  std::string owner;
  std::string account;
  std::string product;
  std::optional<model::CivilDate> engage_date;
  std::optional<model::CivilDate> close_date;
  std::optional<model::Money> amount;
};

struct StaleDeal {
  DealRef deal;
  int64_t age_days = 0;  // days from the engage date to D
};

struct UnderpricedDeal {
  DealRef deal;
  model::Money list_price;
  int64_t discount_basis_points = 0;  // (list - amount) / list, in 1/100 of a percent, rounded
};

// The figures of one group, or of all opportunities.
struct PipelineSummary {
  std::string key;   // a stable key: "all", "none" for deals without the grouping value, or
                     // the external id of the team, region, rep or product
  std::string name;  // display name; empty for "all" and "none" (the output labels those)
  int64_t opportunities = 0;
  std::vector<StageSummary> stages;  // prospecting, engaging, won, lost, then other codes

  int64_t won = 0;
  int64_t lost = 0;

  int64_t closed_with_dates = 0;  // won or lost at D with an engage date and a close date on
                                  // or after it
  int64_t days_to_close_sum = 0;  // sum of (close - engage) in days over those deals

  int64_t open = 0;
  int64_t open_without_engage_date = 0;  // open deals that cannot be aged
  std::vector<StaleDeal> stale;          // oldest first
  std::vector<UnderpricedDeal> won_below_list;  // largest discount first
  int64_t won_not_priced = 0;  // won deals with no amount, product, list price or a different
                               // currency than the list price, so not compared
};

struct PipelineReport {
  PipelineOptions options;
  int64_t opportunities_read = 0;
  int64_t excluded_engaged_after_as_of = 0;
  PipelineSummary total;                // key "all"
  std::vector<PipelineSummary> groups;  // empty when GroupBy::kNone; ordered by name, "none" last
};

// The reference tables that opportunities point to. Loaded whole: they are small (hundreds to
// tens of thousands of rows) next to the opportunities.
struct ReferenceData {
  std::vector<model::OrgUnit> org_units;
  std::vector<model::User> users;
  std::vector<model::Account> accounts;
  std::vector<model::Product> products;
};

// Builds a PipelineReport from opportunities fed one at a time. Not thread-safe.
class PipelineBuilder {
 public:
  PipelineBuilder(PipelineOptions options, ReferenceData references);
  PipelineBuilder(const PipelineBuilder&) = delete;  // the lookup maps point into references_
  PipelineBuilder& operator=(const PipelineBuilder&) = delete;

  // Counts `opportunity` with `history`, its stage changes in the order they were recorded
  // (empty when there are none). Returns kInvalidArgument naming the opportunity when an amount
  // sum would overflow; the builder stays usable without that deal.
  Status Add(const model::Opportunity& opportunity, std::span<const model::StageChange> history);

  // Returns the report. The builder must not be used afterwards.
  PipelineReport Finish() &&;

 private:
  std::string StageAtAsOf(const model::Opportunity& opportunity,
                          std::span<const model::StageChange> history) const;
  std::pair<std::string, std::string> GroupKeyAndName(const model::Opportunity& opportunity) const;
  DealRef MakeDealRef(const model::Opportunity& opportunity, const std::string& stage) const;
  const model::OrgUnit* EnclosingUnit(std::optional<int64_t> owner_id,
                                      std::string_view type) const;
  void AddTo(PipelineSummary& summary, const model::Opportunity& opportunity,
             const std::string& stage) const;
  void AddOpenDeal(PipelineSummary& summary, const model::Opportunity& opportunity,
                   const std::string& stage) const;
  void AddWonDeal(PipelineSummary& summary, const model::Opportunity& opportunity,
                  const std::string& stage) const;

  PipelineOptions options_;
  ReferenceData references_;
  std::unordered_map<int64_t, const model::OrgUnit*> org_units_by_id_;
  std::unordered_map<int64_t, const model::User*> users_by_id_;
  std::unordered_map<int64_t, const model::Account*> accounts_by_id_;
  std::unordered_map<int64_t, const model::Product*> products_by_id_;

  int64_t opportunities_read_ = 0;
  int64_t excluded_ = 0;
  PipelineSummary total_;
  std::map<std::string, PipelineSummary> groups_;  // by key
};

}  // namespace salesradar::report
