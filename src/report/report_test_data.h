// A small grouped pipeline report with Chinese names, shared by the renderer tests.
#pragma once

#include <chrono>

#include "report/pipeline.h"

namespace salesradar::report::testing {

inline PipelineReport ChineseSampleReport(GroupBy group_by) {
  using std::chrono::day;
  using std::chrono::month;
  using std::chrono::year;

  PipelineOptions options;
  options.as_of = model::CivilDate{year(2017), month(12), day(31)};
  options.as_of_end = std::chrono::time_point_cast<Microseconds>(
      std::chrono::sys_days(model::CivilDate{year(2018), month(1), day(1)}));
  options.group_by = group_by;

  ReferenceData refs;
  refs.org_units = {{1, "east", "华东区", "region", std::nullopt}};
  refs.users = {{10, "zhang", "张伟", "rep", 1, std::nullopt, ""},
                {11, "smith", "John Smith", "rep", std::nullopt, std::nullopt, ""}};
  refs.accounts = {{20, "acme", "上海精工机械有限公司", "", std::nullopt, std::nullopt, "",
                    std::nullopt, std::nullopt}};
  refs.products = {{30, "gtx", "GTX 专业版", "GTX", model::Money{482100, "CNY"}}};

  PipelineBuilder builder(options, std::move(refs));
  auto add = [&builder](int64_t id, const char* stage, std::optional<model::Money> amount,
                        int64_t owner, std::optional<model::CivilDate> engage,
                        std::optional<model::CivilDate> close) {
    model::Opportunity deal;
    deal.id = id;
    deal.external_id = "商机-" + std::to_string(id);
    deal.name = "年度采购";
    deal.stage = stage;
    deal.amount = std::move(amount);
    deal.owner_id = owner;
    deal.account_id = 20;
    deal.product_id = 30;
    deal.engage_date = engage;
    deal.close_date = close;
    (void)builder.Add(deal, {});
  };
  model::CivilDate engaged{year(2017), month(3), day(1)};
  model::CivilDate closed{year(2017), month(4), day(10)};
  add(1, "won", model::Money{400000, "CNY"}, 10, engaged, closed);
  add(2, "won", model::Money{123456789, "CNY"}, 11, engaged, closed);
  add(3, "lost", model::Money{0, "USD"}, 11, engaged, closed);
  add(4, "engaging", std::nullopt, 10, engaged, std::nullopt);
  add(5, "prospecting", std::nullopt, 11, std::nullopt, std::nullopt);
  return std::move(builder).Finish();
}

}  // namespace salesradar::report::testing
