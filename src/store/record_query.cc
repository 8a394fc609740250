#include "store/record_query.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace salesradar::store {
namespace {

using model::EntityKind;

constexpr std::array<std::string_view, 8> kAccountSorts = {
    "id", "name", "industry", "region", "employees", "revenue", "created_at", "updated_at"};
constexpr std::array<std::string_view, 5> kContactSorts = {"id", "name", "title", "created_at",
                                                           "updated_at"};
constexpr std::array<std::string_view, 8> kLeadSorts = {
    "id", "name", "company", "status", "source", "created_on", "created_at", "updated_at"};
constexpr std::array<std::string_view, 8> kOpportunitySorts = {
    "id", "name", "stage", "amount", "close_date", "engage_date", "created_at", "updated_at"};
constexpr std::array<std::string_view, 5> kActivitySorts = {"id", "occurred_at", "type",
                                                            "created_at", "updated_at"};

constexpr int kMaxLimit = 1000;

Error InapplicableFilter(EntityKind kind, std::string_view filter_name) {
  LocalizedText label = model::EntityKindLabel(kind);
  return InvalidArgument(fmt::format("筛选条件 {} 不适用于{}", filter_name, label.zh),
                         fmt::format("filter {} does not apply to {}", filter_name, label.en))
      .AddDetail("field", std::string(filter_name));
}

// The names of the RecordFilter members that are set, in declaration order.
std::vector<std::string_view> SetFilters(const RecordFilter& filter) {
  std::vector<std::string_view> names;
  if (!filter.ids.empty()) names.push_back("ids");
  if (filter.owner_id) names.push_back("owner_id");
  if (filter.org_unit_id) names.push_back("org_unit_id");
  if (!filter.stages.empty()) names.push_back("stages");
  if (!filter.statuses.empty()) names.push_back("statuses");
  if (!filter.types.empty()) names.push_back("types");
  if (filter.account_id) names.push_back("account_id");
  if (filter.product_id) names.push_back("product_id");
  if (filter.subject) names.push_back("subject");
  if (!filter.name_contains.empty()) names.push_back("name_contains");
  if (!filter.created.empty()) names.push_back("created");
  if (!filter.updated.empty()) names.push_back("updated");
  if (!filter.occurred.empty()) names.push_back("occurred");
  if (!filter.close_date.empty()) names.push_back("close_date");
  if (!filter.custom_fields.empty()) names.push_back("custom_fields");
  return names;
}

}  // namespace

bool IsListableKind(EntityKind kind) {
  switch (kind) {
    case EntityKind::kAccount:
    case EntityKind::kContact:
    case EntityKind::kLead:
    case EntityKind::kOpportunity:
    case EntityKind::kActivity:
      return true;
    case EntityKind::kOrgUnit:
    case EntityKind::kUser:
    case EntityKind::kProduct:
      return false;
  }
  return false;
}

std::span<const std::string_view> SortFields(EntityKind kind) {
  switch (kind) {
    case EntityKind::kAccount: return kAccountSorts;
    case EntityKind::kContact: return kContactSorts;
    case EntityKind::kLead: return kLeadSorts;
    case EntityKind::kOpportunity: return kOpportunitySorts;
    case EntityKind::kActivity: return kActivitySorts;
    case EntityKind::kOrgUnit:
    case EntityKind::kUser:
    case EntityKind::kProduct:
      return {};
  }
  return {};
}

RecordSort DefaultSort(EntityKind kind) {
  switch (kind) {
    case EntityKind::kAccount:
    case EntityKind::kContact:
      return {"name", SortDirection::kAscending};
    case EntityKind::kActivity:
      return {"occurred_at", SortDirection::kDescending};
    default:
      return {"created_at", SortDirection::kDescending};
  }
}

bool RecordFilterApplies(EntityKind kind, std::string_view filter_name) {
  static constexpr std::string_view kEveryKind[] = {"ids",     "owner_id", "org_unit_id",
                                                    "name_contains", "created", "updated",
                                                    "custom_fields"};
  if (std::find(std::begin(kEveryKind), std::end(kEveryKind), filter_name) !=
      std::end(kEveryKind)) {
    return IsListableKind(kind);
  }
  switch (kind) {
    case EntityKind::kOpportunity:
      return filter_name == "stages" || filter_name == "account_id" ||
             filter_name == "product_id" || filter_name == "close_date";
    case EntityKind::kLead:
      return filter_name == "statuses";
    case EntityKind::kContact:
      return filter_name == "account_id";
    case EntityKind::kActivity:
      return filter_name == "types" || filter_name == "subject" || filter_name == "occurred";
    default:
      return false;
  }
}

Status ValidateRecordQuery(const RecordQuery& query) {
  LocalizedText label = model::EntityKindLabel(query.kind);
  if (!IsListableKind(query.kind)) {
    return InvalidArgument(fmt::format("不能分页列出{}", label.zh),
                           fmt::format("{} cannot be listed page by page", label.en));
  }

  std::span<const std::string_view> fields = SortFields(query.kind);
  if (std::find(fields.begin(), fields.end(), query.sort.field) == fields.end()) {
    return InvalidArgument(
               fmt::format("{}不能按 '{}' 排序；可用的排序字段：{}", label.zh, query.sort.field,
                           fmt::join(fields, ", ")),
               fmt::format("{} cannot be sorted by '{}'; sort fields: {}", label.en,
                           query.sort.field, fmt::join(fields, ", ")))
        .AddDetail("field", "sort");
  }

  if (query.limit < 1 || query.limit > kMaxLimit) {
    return InvalidArgument(fmt::format("每页条数 {} 无效；请写 1 到 {}", query.limit, kMaxLimit),
                           fmt::format("page limit {} is invalid; use 1 to {}", query.limit,
                                       kMaxLimit))
        .AddDetail("field", "limit");
  }

  for (std::string_view name : SetFilters(query.filter)) {
    if (!RecordFilterApplies(query.kind, name)) {
      return InapplicableFilter(query.kind, name);
    }
  }
  if (query.filter.subject && (!IsListableKind(query.filter.subject->kind) ||
                               query.filter.subject->kind == EntityKind::kActivity)) {
    return InvalidArgument("活动的主体类型必须是客户、联系人、线索或商机",
                           "an activity subject must be an account, contact, lead or opportunity")
        .AddDetail("field", "subject");
  }
  return {};
}

}  // namespace salesradar::store
