#include "report/pipeline_json.h"

#include <nlohmann/json.hpp>

#include "model/entities.h"
#include "model/money.h"
#include "model/value.h"
#include "report/number_format.h"

namespace salesradar::report {
namespace {

using Json = nlohmann::ordered_json;

Json MoneyJson(const model::Money& money) {
  return Json{{"fen", money.fen}, {"currency", money.currency},
              {"formatted", model::FormatMoney(money)}};
}

Json SumsJson(const MoneyByCurrency& sums) {
  Json out = Json::array();
  for (const auto& [currency, fen] : sums) {
    out.push_back(MoneyJson({fen, currency}));
  }
  return out;
}

Json DateJson(const std::optional<model::CivilDate>& date) {
  return date ? Json(model::FormatIsoDate(*date)) : Json(nullptr);
}

Json DealJson(const DealRef& deal, Locale locale) {
  return Json{{"id", deal.external_id},
              {"name", deal.name},
              {"stage", deal.stage},
              {"stage_label", model::StageLabel(deal.stage).in(locale)},
              {"owner", deal.owner},
              {"account", deal.account},
              {"product", deal.product},
              {"engage_date", DateJson(deal.engage_date)},
              {"close_date", DateJson(deal.close_date)},
              {"amount", deal.amount ? MoneyJson(*deal.amount) : Json(nullptr)}};
}

Json SummaryJson(const PipelineSummary& summary, Locale locale) {
  Json stages = Json::array();
  for (const StageSummary& stage : summary.stages) {
    stages.push_back({{"stage", stage.stage},
                      {"label", model::StageLabel(stage.stage).in(locale)},
                      {"count", stage.count},
                      {"amounts", SumsJson(stage.amounts)}});
  }

  Json stale = Json::array();
  for (const StaleDeal& deal : summary.stale) {
    Json entry = DealJson(deal.deal, locale);
    entry["age_days"] = deal.age_days;
    stale.push_back(std::move(entry));
  }

  Json below_list = Json::array();
  for (const UnderpricedDeal& deal : summary.won_below_list) {
    Json entry = DealJson(deal.deal, locale);
    entry["list_price"] = MoneyJson(deal.list_price);
    entry["discount_basis_points"] = deal.discount_basis_points;
    entry["discount_percent"] = FormatQuotient(deal.discount_basis_points, 100, 2);
    below_list.push_back(std::move(entry));
  }

  int64_t closed = summary.won + summary.lost;
  return Json{
      {"key", summary.key},
      {"name", summary.name},
      {"opportunities", summary.opportunities},
      {"stages", std::move(stages)},
      {"won", summary.won},
      {"lost", summary.lost},
      {"win_rate",
       {{"won", summary.won}, {"closed", closed}, {"percent", FormatPercent(summary.won, closed)}}},
      {"days_to_close",
       {{"closed", summary.closed_with_dates},
        {"total_days", summary.days_to_close_sum},
        {"average", FormatQuotient(summary.days_to_close_sum, summary.closed_with_dates, 1)}}},
      {"open", summary.open},
      {"open_without_engage_date", summary.open_without_engage_date},
      {"stale", {{"count", summary.stale.size()}, {"deals", std::move(stale)}}},
      {"won_below_list",
       {{"count", summary.won_below_list.size()},
        {"not_compared", summary.won_not_priced},
        {"deals", std::move(below_list)}}}};
}

}  // namespace

std::string RenderPipelineJson(const PipelineReport& report, Locale locale) {
  const PipelineOptions& options = report.options;

  Json groups = Json::array();
  for (const PipelineSummary& group : report.groups) {
    groups.push_back(SummaryJson(group, locale));
  }

  Json out = {{"report", "pipeline"},
              {"version", 1},
              {"as_of", model::FormatIsoDate(options.as_of)},
              {"group_by", GroupByName(options.group_by)},
              {"stale_days", options.stale_days},
              {"max_discount_basis_points", options.max_discount_basis_points},
              {"opportunities_read", report.opportunities_read},
              {"excluded_engaged_after_as_of", report.excluded_engaged_after_as_of},
              {"total", SummaryJson(report.total, locale)},
              {"groups", std::move(groups)}};
  return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace salesradar::report
