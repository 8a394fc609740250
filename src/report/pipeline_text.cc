#include "report/pipeline_text.h"

#include <algorithm>
#include <string_view>
#include <vector>

#include "model/entities.h"
#include "model/money.h"
#include "model/value.h"
#include "report/number_format.h"
#include "report/table.h"

namespace salesradar::report {
namespace {

// Picks the text of the output locale.
class Labels {
 public:
  explicit Labels(Locale locale) : locale_(locale) {}

  std::string operator()(std::string_view zh, std::string_view en) const {
    return std::string(locale_ == Locale::kEnglish ? en : zh);
  }

  std::string Stage(std::string_view stage) const {
    return model::StageLabel(stage).in(locale_);
  }

  Locale locale() const { return locale_; }

 private:
  Locale locale_;
};

std::string FormatSums(const MoneyByCurrency& sums) {
  if (sums.empty()) {
    return "-";
  }
  std::string out;
  for (const auto& [currency, fen] : sums) {
    if (!out.empty()) {
      out += "; ";
    }
    out += model::FormatMoney({fen, currency});
  }
  return out;
}

std::string OrDash(const std::string& text) { return text.empty() ? "-" : text; }

std::string FormatOptionalDate(const std::optional<model::CivilDate>& date) {
  return date ? model::FormatIsoDate(*date) : "-";
}

std::string FormatOptionalMoney(const std::optional<model::Money>& money) {
  return money ? model::FormatMoney(*money) : "-";
}

std::string GroupName(const PipelineSummary& summary, GroupBy group_by, const Labels& text) {
  if (summary.key != "none") {
    return summary.name.empty() ? summary.key : summary.name;
  }
  switch (group_by) {
    case GroupBy::kTeam: return text("（无团队）", "(no team)");
    case GroupBy::kRegion: return text("（无区域）", "(no region)");
    case GroupBy::kRep: return text("（无负责人）", "(no owner)");
    case GroupBy::kProduct: return text("（无产品）", "(no product)");
    case GroupBy::kNone: break;
  }
  return text("（无）", "(none)");
}

MoneyByCurrency OpenAmounts(const PipelineSummary& summary) {
  MoneyByCurrency sums;
  for (const StageSummary& stage : summary.stages) {
    if (model::OutcomeOfStage(stage.stage) != model::StageOutcome::kOpen) {
      continue;
    }
    for (const auto& [currency, fen] : stage.amounts) {
      sums[currency] += fen;
    }
  }
  return sums;
}

MoneyByCurrency StageAmounts(const PipelineSummary& summary, std::string_view stage) {
  for (const StageSummary& entry : summary.stages) {
    if (entry.stage == stage) {
      return entry.amounts;
    }
  }
  return {};
}

std::string AverageDays(const PipelineSummary& summary) {
  return FormatQuotient(summary.days_to_close_sum, summary.closed_with_dates, 1);
}

std::string RenderTitle(const PipelineReport& report, const Labels& text) {
  const PipelineOptions& options = report.options;
  std::string as_of = model::FormatIsoDate(options.as_of);
  std::string included = FormatCount(report.total.opportunities);
  std::string excluded = FormatCount(report.excluded_engaged_after_as_of);
  std::string stale_days = FormatCount(options.stale_days);
  std::string discount = FormatBasisPoints(options.max_discount_basis_points);

  std::string out = text("销售管道报告（截至 ", "Pipeline report as of ") + as_of +
                    text("）\n", "\n");
  out += text("统计商机 " + included + " 个，排除接洽日期晚于截止日期的 " + excluded +
                  " 个；滞留阈值 " + stale_days + " 天；最大折扣 " + discount + "%\n",
              included + " opportunities counted, " + excluded +
                  " engaged after the as-of date left out; stale after " + stale_days +
                  " days; maximum discount " + discount + "%\n");
  return out;
}

std::string RenderStageTable(const PipelineSummary& total, const Labels& text) {
  Table table({{text("阶段", "Stage"), Align::kLeft},
               {text("商机数", "Deals"), Align::kRight},
               {text("金额", "Amount"), Align::kRight}});
  MoneyByCurrency all_amounts;
  for (const StageSummary& stage : total.stages) {
    table.AddRow({text.Stage(stage.stage), FormatCount(stage.count), FormatSums(stage.amounts)});
    for (const auto& [currency, fen] : stage.amounts) {
      all_amounts[currency] += fen;
    }
  }
  table.AddRule();
  table.AddRow({text("合计", "Total"), FormatCount(total.opportunities), FormatSums(all_amounts)});
  return table.Render();
}

std::string RenderKeyFigures(const PipelineReport& report, const Labels& text) {
  const PipelineSummary& total = report.total;
  std::string stale_days = FormatCount(report.options.stale_days);
  std::string discount = FormatBasisPoints(report.options.max_discount_basis_points);
  std::string closed = FormatCount(total.won + total.lost);

  Table table({{text("指标", "Figure"), Align::kLeft}, {text("值", "Value"), Align::kLeft}});
  table.AddRow({text("赢单率", "Win rate"),
                FormatPercent(total.won, total.won + total.lost) + " (" + FormatCount(total.won) +
                    " / " + closed + ")"});
  table.AddRow({text("平均成交周期（接洽到关闭）", "Average days from engage to close"),
                AverageDays(total) + text(" 天（", " days (") +
                    FormatCount(total.closed_with_dates) +
                    text(" 个已关闭商机）", " closed deals)")});
  table.AddRow({text("超过 " + stale_days + " 天未关闭", "Open for more than " + stale_days + " days"),
                FormatCount(static_cast<int64_t>(total.stale.size())) +
                    text(" 个（未关闭 ", " (of ") + FormatCount(total.open) +
                    text(" 个，其中无接洽日期 ", " open, ") +
                    FormatCount(total.open_without_engage_date) +
                    text(" 个）", " without an engage date)")});
  table.AddRow({text("赢单价低于标价超过 " + discount + "%",
                     "Won more than " + discount + "% below list price"),
                FormatCount(static_cast<int64_t>(total.won_below_list.size())) +
                    text(" 个（无法比较 ", " (") + FormatCount(total.won_not_priced) +
                    text(" 个）", " not comparable)")});
  return table.Render();
}

// Stage codes that occur in any group, in the order of the total.
std::vector<std::string> StageColumns(const PipelineReport& report) {
  std::vector<std::string> stages;
  for (const StageSummary& stage : report.total.stages) {
    stages.push_back(stage.stage);
  }
  return stages;
}

std::string RenderGroupTable(const PipelineReport& report, const Labels& text) {
  GroupBy group_by = report.options.group_by;
  std::vector<std::string> stages = StageColumns(report);

  std::vector<Column> columns;
  switch (group_by) {
    case GroupBy::kTeam: columns.push_back({text("团队", "Team"), Align::kLeft}); break;
    case GroupBy::kRegion: columns.push_back({text("区域", "Region"), Align::kLeft}); break;
    case GroupBy::kRep: columns.push_back({text("销售", "Rep"), Align::kLeft}); break;
    case GroupBy::kProduct: columns.push_back({text("产品", "Product"), Align::kLeft}); break;
    case GroupBy::kNone: columns.push_back({text("分组", "Group"), Align::kLeft}); break;
  }
  columns.push_back({text("商机数", "Deals"), Align::kRight});
  for (const std::string& stage : stages) {
    columns.push_back({text.Stage(stage), Align::kRight});
  }
  columns.push_back({text("未关闭金额", "Open amount"), Align::kRight});
  columns.push_back({text("赢单金额", "Won amount"), Align::kRight});
  columns.push_back({text("赢单率", "Win rate"), Align::kRight});
  columns.push_back({text("平均成交天数", "Avg days"), Align::kRight});
  columns.push_back({text("滞留", "Stale"), Align::kRight});
  columns.push_back({text("低价赢单", "Below list"), Align::kRight});
  Table table(std::move(columns));

  auto add_row = [&](const PipelineSummary& summary, std::string name) {
    std::vector<std::string> cells = {std::move(name), FormatCount(summary.opportunities)};
    for (const std::string& stage : stages) {
      auto it = std::find_if(summary.stages.begin(), summary.stages.end(),
                             [&stage](const StageSummary& entry) { return entry.stage == stage; });
      cells.push_back(FormatCount(it == summary.stages.end() ? 0 : it->count));
    }
    cells.push_back(FormatSums(OpenAmounts(summary)));
    cells.push_back(FormatSums(StageAmounts(summary, model::kStageWon)));
    cells.push_back(FormatPercent(summary.won, summary.won + summary.lost));
    cells.push_back(AverageDays(summary));
    cells.push_back(FormatCount(static_cast<int64_t>(summary.stale.size())));
    cells.push_back(FormatCount(static_cast<int64_t>(summary.won_below_list.size())));
    table.AddRow(std::move(cells));
  };

  for (const PipelineSummary& group : report.groups) {
    add_row(group, GroupName(group, group_by, text));
  }
  table.AddRule();
  add_row(report.total, text("合计", "Total"));
  return table.Render();
}

std::string RenderStaleDeals(const PipelineReport& report, size_t limit, const Labels& text) {
  const std::vector<StaleDeal>& stale = report.total.stale;
  size_t shown = std::min(limit, stale.size());
  std::string out = text("未关闭时间最长的商机（前 ", "Longest-open deals (first ") +
                    FormatCount(static_cast<int64_t>(shown)) + text(" 个，共 ", " of ") +
                    FormatCount(static_cast<int64_t>(stale.size())) + text(" 个）\n", ")\n");

  Table table({{text("商机", "Deal"), Align::kLeft},
               {text("负责人", "Owner"), Align::kLeft},
               {text("客户", "Account"), Align::kLeft},
               {text("产品", "Product"), Align::kLeft},
               {text("阶段", "Stage"), Align::kLeft},
               {text("接洽日期", "Engaged"), Align::kLeft},
               {text("天数", "Days"), Align::kRight}});
  for (size_t i = 0; i < shown; ++i) {
    const DealRef& deal = stale[i].deal;
    table.AddRow({deal.external_id, OrDash(deal.owner), OrDash(deal.account), OrDash(deal.product),
                  text.Stage(deal.stage),
                  FormatOptionalDate(deal.engage_date), FormatCount(stale[i].age_days)});
  }
  return out + table.Render();
}

std::string RenderUnderpricedDeals(const PipelineReport& report, size_t limit,
                                   const Labels& text) {
  const std::vector<UnderpricedDeal>& deals = report.total.won_below_list;
  size_t shown = std::min(limit, deals.size());
  std::string out = text("折扣最大的赢单（前 ", "Largest discounts on won deals (first ") +
                    FormatCount(static_cast<int64_t>(shown)) + text(" 个，共 ", " of ") +
                    FormatCount(static_cast<int64_t>(deals.size())) + text(" 个）\n", ")\n");

  Table table({{text("商机", "Deal"), Align::kLeft},
               {text("负责人", "Owner"), Align::kLeft},
               {text("客户", "Account"), Align::kLeft},
               {text("产品", "Product"), Align::kLeft},
               {text("成交日期", "Closed"), Align::kLeft},
               {text("成交金额", "Amount"), Align::kRight},
               {text("标价", "List price"), Align::kRight},
               {text("折扣", "Discount"), Align::kRight}});
  for (size_t i = 0; i < shown; ++i) {
    const DealRef& deal = deals[i].deal;
    table.AddRow({deal.external_id, OrDash(deal.owner), OrDash(deal.account), OrDash(deal.product),
                  FormatOptionalDate(deal.close_date), FormatOptionalMoney(deal.amount),
                  model::FormatMoney(deals[i].list_price),
                  FormatQuotient(deals[i].discount_basis_points, 100, 2) + "%"});
  }
  return out + table.Render();
}

}  // namespace

std::string RenderPipelineText(const PipelineReport& report, const TextOptions& options) {
  Labels text(options.locale);

  std::string out = RenderTitle(report, text);
  out += "\n" + RenderStageTable(report.total, text);
  out += "\n" + RenderKeyFigures(report, text);

  if (report.options.group_by != GroupBy::kNone) {
    out += "\n" + RenderGroupTable(report, text);
  }
  if (options.max_listed_deals > 0 && !report.total.stale.empty()) {
    out += "\n" + RenderStaleDeals(report, options.max_listed_deals, text);
  }
  if (options.max_listed_deals > 0 && !report.total.won_below_list.empty()) {
    out += "\n" + RenderUnderpricedDeals(report, options.max_listed_deals, text);
  }
  return out;
}

}  // namespace salesradar::report
