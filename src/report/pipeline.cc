#include "report/pipeline.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <memory>

#include "report/name_collator.h"

namespace salesradar::report {
namespace {

__extension__ using Int128 = __int128;

constexpr std::array<std::string_view, 4> kStageOrder = {
    model::kStageProspecting, model::kStageEngaging, model::kStageWon, model::kStageLost};

int64_t DaysBetween(model::CivilDate from, model::CivilDate to) {
  return (std::chrono::sys_days(to) - std::chrono::sys_days(from)).count();
}

bool AddOverflows(int64_t sum, int64_t addend) {
  int64_t ignored = 0;
  return __builtin_add_overflow(sum, addend, &ignored);
}

int64_t StageRank(std::string_view stage) {
  auto it = std::find(kStageOrder.begin(), kStageOrder.end(), stage);
  return it - kStageOrder.begin();
}

// Returns the sum of `currency` amounts in `stage`, 0 when there is none yet.
int64_t StageSum(const PipelineSummary& summary, std::string_view stage,
                 const std::string& currency) {
  for (const StageSummary& entry : summary.stages) {
    if (entry.stage == stage) {
      auto it = entry.amounts.find(currency);
      return it == entry.amounts.end() ? 0 : it->second;
    }
  }
  return 0;
}

StageSummary& StageEntry(PipelineSummary& summary, const std::string& stage) {
  for (StageSummary& entry : summary.stages) {
    if (entry.stage == stage) {
      return entry;
    }
  }
  summary.stages.push_back({stage, 0, {}});
  return summary.stages.back();
}

PipelineSummary EmptySummary(std::string key, std::string name) {
  PipelineSummary summary;
  summary.key = std::move(key);
  summary.name = std::move(name);
  for (std::string_view stage : kStageOrder) {
    summary.stages.push_back({std::string(stage), 0, {}});
  }
  return summary;
}

// Orders the stages of `summary` and its findings for output.
void SortSummary(PipelineSummary& summary) {
  std::stable_sort(summary.stages.begin(), summary.stages.end(),
                   [](const StageSummary& a, const StageSummary& b) {
                     int64_t rank_a = StageRank(a.stage);
                     int64_t rank_b = StageRank(b.stage);
                     return rank_a != rank_b ? rank_a < rank_b : a.stage < b.stage;
                   });
  std::stable_sort(summary.stale.begin(), summary.stale.end(),
                   [](const StaleDeal& a, const StaleDeal& b) {
                     return a.age_days != b.age_days ? a.age_days > b.age_days
                                                     : a.deal.id < b.deal.id;
                   });
  std::stable_sort(summary.won_below_list.begin(), summary.won_below_list.end(),
                   [](const UnderpricedDeal& a, const UnderpricedDeal& b) {
                     return a.discount_basis_points != b.discount_basis_points
                                ? a.discount_basis_points > b.discount_basis_points
                                : a.deal.id < b.deal.id;
                   });
}

}  // namespace

std::string_view GroupByName(GroupBy group_by) {
  switch (group_by) {
    case GroupBy::kNone: return "none";
    case GroupBy::kTeam: return "team";
    case GroupBy::kRegion: return "region";
    case GroupBy::kRep: return "rep";
    case GroupBy::kProduct: return "product";
  }
  return "none";
}

Result<GroupBy> ParseGroupBy(std::string_view name) {
  for (GroupBy group_by :
       {GroupBy::kNone, GroupBy::kTeam, GroupBy::kRegion, GroupBy::kRep, GroupBy::kProduct}) {
    if (name == GroupByName(group_by)) {
      return group_by;
    }
  }
  std::string text(name);
  return InvalidArgument("无效的分组方式 '" + text + "'；可选值：team、region、rep、product",
                         "invalid grouping '" + text +
                             "'; expected one of team, region, rep, product");
}

PipelineBuilder::PipelineBuilder(PipelineOptions options, ReferenceData references)
    : options_(options), references_(std::move(references)), total_(EmptySummary("all", "")) {
  for (const model::OrgUnit& unit : references_.org_units) {
    org_units_by_id_[unit.id] = &unit;
  }
  for (const model::User& user : references_.users) {
    users_by_id_[user.id] = &user;
  }
  for (const model::Account& account : references_.accounts) {
    accounts_by_id_[account.id] = &account;
  }
  for (const model::Product& product : references_.products) {
    products_by_id_[product.id] = &product;
  }
}

std::string PipelineBuilder::StageAtAsOf(const model::Opportunity& opportunity,
                                         std::span<const model::StageChange> history) const {
  std::string stage = opportunity.stage;
  for (const model::StageChange& change : history) {
    if (change.changed_at < options_.as_of_end) {
      stage = change.to_stage;
    }
  }

  bool closed = model::OutcomeOfStage(stage) != model::StageOutcome::kOpen;
  if (closed && opportunity.close_date && *opportunity.close_date > options_.as_of) {
    bool engaged = opportunity.engage_date && *opportunity.engage_date <= options_.as_of;
    return std::string(engaged ? model::kStageEngaging : model::kStageProspecting);
  }
  return stage;
}

const model::OrgUnit* PipelineBuilder::EnclosingUnit(std::optional<int64_t> owner_id,
                                                     std::string_view type) const {
  if (!owner_id) {
    return nullptr;
  }
  auto user = users_by_id_.find(*owner_id);
  if (user == users_by_id_.end()) {
    return nullptr;
  }

  // Walk up the org chart; the step limit guards against a cycle in bad data.
  std::optional<int64_t> unit_id = user->second->org_unit_id;
  for (size_t steps = 0; unit_id && steps <= org_units_by_id_.size(); ++steps) {
    auto unit = org_units_by_id_.find(*unit_id);
    if (unit == org_units_by_id_.end()) {
      return nullptr;
    }
    if (unit->second->type == type) {
      return unit->second;
    }
    unit_id = unit->second->parent_id;
  }
  return nullptr;
}

std::pair<std::string, std::string> PipelineBuilder::GroupKeyAndName(
    const model::Opportunity& opportunity) const {
  switch (options_.group_by) {
    case GroupBy::kNone:
      return {"all", ""};
    case GroupBy::kTeam:
    case GroupBy::kRegion: {
      const model::OrgUnit* unit = EnclosingUnit(
          opportunity.owner_id, options_.group_by == GroupBy::kTeam ? "team" : "region");
      return unit ? std::pair(unit->external_id, unit->name) : std::pair("none", "");
    }
    case GroupBy::kRep: {
      auto user = opportunity.owner_id ? users_by_id_.find(*opportunity.owner_id)
                                       : users_by_id_.end();
      return user != users_by_id_.end()
                 ? std::pair(user->second->external_id, user->second->name)
                 : std::pair("none", "");
    }
    case GroupBy::kProduct: {
      auto product = opportunity.product_id ? products_by_id_.find(*opportunity.product_id)
                                            : products_by_id_.end();
      return product != products_by_id_.end()
                 ? std::pair(product->second->external_id, product->second->name)
                 : std::pair("none", "");
    }
  }
  return {"none", ""};
}

DealRef PipelineBuilder::MakeDealRef(const model::Opportunity& opportunity,
                                     const std::string& stage) const {
  DealRef deal;
  deal.id = opportunity.id;
  deal.external_id = opportunity.external_id;
  deal.name = opportunity.name;
  deal.stage = stage;
  deal.engage_date = opportunity.engage_date;
  deal.close_date = opportunity.close_date;
  deal.amount = opportunity.amount;

  if (opportunity.owner_id) {
    if (auto it = users_by_id_.find(*opportunity.owner_id); it != users_by_id_.end()) {
      deal.owner = it->second->name;
    }
  }
  if (opportunity.account_id) {
    if (auto it = accounts_by_id_.find(*opportunity.account_id); it != accounts_by_id_.end()) {
      deal.account = it->second->name;
    }
  }
  if (opportunity.product_id) {
    if (auto it = products_by_id_.find(*opportunity.product_id); it != products_by_id_.end()) {
      deal.product = it->second->name;
    }
  }
  return deal;
}

void PipelineBuilder::AddTo(PipelineSummary& summary, const model::Opportunity& opportunity,
                            const std::string& stage) const {
  summary.opportunities += 1;
  StageSummary& entry = StageEntry(summary, stage);
  entry.count += 1;
  if (opportunity.amount) {
    entry.amounts[opportunity.amount->currency] += opportunity.amount->fen;
  }

  model::StageOutcome outcome = model::OutcomeOfStage(stage);
  if (outcome == model::StageOutcome::kOpen) {
    AddOpenDeal(summary, opportunity, stage);
    return;
  }

  if (outcome == model::StageOutcome::kWon) {
    summary.won += 1;
    AddWonDeal(summary, opportunity, stage);
  } else {
    summary.lost += 1;
  }
  if (opportunity.engage_date && opportunity.close_date &&
      *opportunity.close_date >= *opportunity.engage_date) {
    summary.closed_with_dates += 1;
    summary.days_to_close_sum += DaysBetween(*opportunity.engage_date, *opportunity.close_date);
  }
}

void PipelineBuilder::AddOpenDeal(PipelineSummary& summary, const model::Opportunity& opportunity,
                                  const std::string& stage) const {
  summary.open += 1;
  if (!opportunity.engage_date) {
    summary.open_without_engage_date += 1;
    return;
  }

  int64_t age_days = DaysBetween(*opportunity.engage_date, options_.as_of);
  if (age_days > options_.stale_days) {
    summary.stale.push_back({MakeDealRef(opportunity, stage), age_days});
  }
}

void PipelineBuilder::AddWonDeal(PipelineSummary& summary, const model::Opportunity& opportunity,
                                 const std::string& stage) const {
  const model::Product* product = nullptr;
  if (opportunity.product_id) {
    auto it = products_by_id_.find(*opportunity.product_id);
    product = it == products_by_id_.end() ? nullptr : it->second;
  }
  if (!opportunity.amount || product == nullptr || !product->list_price ||
      product->list_price->fen <= 0 ||
      product->list_price->currency != opportunity.amount->currency) {
    summary.won_not_priced += 1;
    return;
  }

  // NOTE: an opportunity has no quantity field, so its amount is compared with the list price
  // of one unit, which fits the bundled sample (one unit per deal).
  Int128 amount = opportunity.amount->fen;
  Int128 list = product->list_price->fen;
  Int128 floor_times_10000 = list * (10000 - options_.max_discount_basis_points);
  if (amount * 10000 >= floor_times_10000) {
    return;
  }

  // Round the discount half up to whole basis points.
  auto discount = static_cast<int64_t>(((list - amount) * 20000 + list) / (2 * list));
  summary.won_below_list.push_back(
      {MakeDealRef(opportunity, stage), *product->list_price, discount});
}

Status PipelineBuilder::Add(const model::Opportunity& opportunity,
                            std::span<const model::StageChange> history) {
  opportunities_read_ += 1;
  if (opportunity.engage_date && *opportunity.engage_date > options_.as_of) {
    excluded_ += 1;
    return OkStatus();
  }

  std::string stage = StageAtAsOf(opportunity, history);
  auto [key, name] = GroupKeyAndName(opportunity);
  auto group = groups_.find(key);

  // Check the sums before changing anything, so that a rejected deal leaves no trace.
  if (opportunity.amount) {
    const std::string& currency = opportunity.amount->currency;
    int64_t fen = opportunity.amount->fen;
    bool overflows = AddOverflows(StageSum(total_, stage, currency), fen) ||
                     (group != groups_.end() &&
                      AddOverflows(StageSum(group->second, stage, currency), fen));
    if (overflows) {
      std::string id = opportunity.external_id;
      return InvalidArgument(
          "商机 '" + id + "'：阶段 '" + stage + "' 的 " + currency +
              " 金额合计超出范围（上限约 9.2×10^16 元）；请检查该商机的金额",
          "opportunity '" + id + "': the " + currency + " amount sum of stage '" + stage +
              "' overflows (limit about 9.2e16 major units); check this opportunity's amount");
    }
  }

  if (group == groups_.end() && options_.group_by != GroupBy::kNone) {
    group = groups_.emplace(key, EmptySummary(key, key == "none" ? "" : name)).first;
  }
  AddTo(total_, opportunity, stage);
  if (group != groups_.end()) {
    AddTo(group->second, opportunity, stage);
  }
  return OkStatus();
}

PipelineReport PipelineBuilder::Finish() && {
  PipelineReport report;
  report.options = options_;
  report.opportunities_read = opportunities_read_;
  report.excluded_engaged_after_as_of = excluded_;

  SortSummary(total_);
  report.total = std::move(total_);

  for (auto& [key, summary] : groups_) {
    SortSummary(summary);
    report.groups.push_back(std::move(summary));
  }

  // Named groups in collation order (pinyin for Chinese), the group without a value last.
  NameCollator collator;
  std::stable_sort(report.groups.begin(), report.groups.end(),
                   [&collator](const PipelineSummary& a, const PipelineSummary& b) {
                     bool a_none = a.key == "none";
                     bool b_none = b.key == "none";
                     if (a_none != b_none) {
                       return b_none;
                     }
                     return collator.Less(a.name, b.name);
                   });
  return report;
}

}  // namespace salesradar::report
