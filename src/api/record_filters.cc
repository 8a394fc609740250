#include "api/record_filters.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "api/request_io.h"

namespace salesradar::api {
namespace {

using model::EntityKind;
using store::RecordQuery;

constexpr std::string_view kCustomPrefix = "cf.";

Error BadParameter(std::string_view name, std::string_view value, std::string_view allowed_zh,
                   std::string_view allowed_en) {
  return InvalidArgument(fmt::format("查询参数 {} 的值 '{}' 无效；{}", name, value, allowed_zh),
                         fmt::format("query parameter {} has an invalid value '{}'; {}", name,
                                     value, allowed_en))
      .AddDetail("field", std::string(name));
}

std::optional<int64_t> ParseInt(std::string_view text) {
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// The parameters each kind accepts besides cf.<name>.
std::vector<std::string_view> AcceptedParameters(EntityKind kind) {
  std::vector<std::string_view> names = {"limit",         "cursor",         "sort",
                                         "q",             "owner_id",       "org_unit_id",
                                         "created_from",  "created_before", "updated_from",
                                         "updated_before"};
  switch (kind) {
    case EntityKind::kOpportunity:
      names.insert(names.end(), {"stage", "account_id", "product_id", "close_date_from",
                                 "close_date_to"});
      break;
    case EntityKind::kLead:
      names.push_back("status");
      break;
    case EntityKind::kContact:
      names.push_back("account_id");
      break;
    case EntityKind::kActivity:
      names.insert(names.end(), {"type", "occurred_from", "occurred_before", "opportunity_id",
                                 "lead_id", "account_id", "contact_id"});
      break;
    default:
      break;
  }
  return names;
}

Status CheckParameterNames(const server::Request& request, EntityKind kind) {
  std::vector<std::string_view> accepted = AcceptedParameters(kind);
  for (const auto& [name, value] : request.query) {
    if (name.starts_with(kCustomPrefix) ||
        std::find(accepted.begin(), accepted.end(), name) != accepted.end()) {
      continue;
    }
    LocalizedText label = model::EntityKindLabel(kind);
    return InvalidArgument(
               fmt::format("{}列表不支持查询参数 {}；可用的参数：{}，以及 cf.<自定义字段名>",
                           label.zh, name, fmt::join(accepted, ", ")),
               fmt::format("the {} list has no query parameter {}; accepted parameters: {}, and "
                           "cf.<custom field name>",
                           label.en, name, fmt::join(accepted, ", ")))
        .AddDetail("field", name);
  }
  return OkStatus();
}

Result<std::optional<int64_t>> IdQuery(const server::Request& request, std::string_view name) {
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> id, OptionalIntQuery(request, name));
  if (id && *id <= 0) {
    return BadParameter(name, std::to_string(*id), "请写正整数 id", "write a positive id");
  }
  return id;
}

Result<std::optional<model::CivilDate>> DateQuery(const server::Request& request,
                                                  std::string_view name) {
  std::optional<std::string_view> text = request.Query(name);
  if (!text || text->empty()) {
    return std::optional<model::CivilDate>();
  }
  Result<model::CivilDate> date = model::ParseIsoDate(*text);
  if (!date.ok()) {
    return BadParameter(name, *text, "请写 YYYY-MM-DD 格式的日期，例如 2026-03-31",
                        "write a date as YYYY-MM-DD, such as 2026-03-31");
  }
  return std::optional<model::CivilDate>(*date);
}

Result<store::RecordSort> ParseSort(const server::Request& request, EntityKind kind) {
  std::optional<std::string_view> text = request.Query("sort");
  if (!text || text->empty()) {
    return store::DefaultSort(kind);
  }
  store::RecordSort sort;
  std::string_view field = *text;
  if (field.starts_with('-')) {
    sort.direction = store::SortDirection::kDescending;
    field.remove_prefix(1);
  }
  sort.field = std::string(field);
  std::span<const std::string_view> fields = store::SortFields(kind);
  if (std::find(fields.begin(), fields.end(), field) == fields.end()) {
    return BadParameter("sort", *text,
                        fmt::format("可用的排序字段：{}（前加 - 表示降序）", fmt::join(fields, ", ")),
                        fmt::format("sort fields: {} (prefix - for descending)",
                                    fmt::join(fields, ", ")));
  }
  return sort;
}

Result<std::vector<std::string>> StageQuery(const server::Request& request) {
  std::vector<std::string> stages = ListQuery(request, "stage");
  std::span<const std::string_view> allowed =
      model::FindBuiltInField(EntityKind::kOpportunity, "stage")->allowed_values;
  for (const std::string& stage : stages) {
    if (std::find(allowed.begin(), allowed.end(), stage) == allowed.end()) {
      return BadParameter("stage", stage, fmt::format("可用的阶段：{}", fmt::join(allowed, ", ")),
                          fmt::format("stages: {}", fmt::join(allowed, ", ")));
    }
  }
  return stages;
}

Result<store::TimeRange> TimeRangeQuery(const server::Request& request, std::string_view prefix) {
  store::TimeRange range;
  SR_ASSIGN_OR_RETURN(range.from, OptionalTimeQuery(request, fmt::format("{}_from", prefix)));
  SR_ASSIGN_OR_RETURN(range.before, OptionalTimeQuery(request, fmt::format("{}_before", prefix)));
  return range;
}

// Parses the text of cf.<name> by the field's type.
Result<model::Value> CustomValue(const model::CustomFieldDefinition& definition,
                                 std::string_view parameter, std::string_view text) {
  using model::FieldType;
  switch (definition.type) {
    case FieldType::kString:
      return model::Value(std::string(text));
    case FieldType::kEnum:
      if (std::find(definition.allowed_values.begin(), definition.allowed_values.end(), text) ==
          definition.allowed_values.end()) {
        return BadParameter(parameter, text,
                            fmt::format("可用的值：{}", fmt::join(definition.allowed_values, ", ")),
                            fmt::format("allowed values: {}",
                                        fmt::join(definition.allowed_values, ", ")));
      }
      return model::Value(std::string(text));
    case FieldType::kInt:
    case FieldType::kReference: {
      std::optional<int64_t> number = ParseInt(text);
      if (!number) {
        return BadParameter(parameter, text, "请写整数", "write an integer");
      }
      if (definition.type == FieldType::kReference) {
        return model::Value(model::Reference{*number, ""});
      }
      return model::Value(*number);
    }
    case FieldType::kMoney: {
      // "<fen>" in CNY, or "<fen>:<currency>".
      size_t colon = text.find(':');
      std::optional<int64_t> fen = ParseInt(text.substr(0, colon));
      std::string currency =
          colon == std::string_view::npos ? "CNY" : std::string(text.substr(colon + 1));
      if (!fen || currency.size() != 3) {
        return BadParameter(parameter, text, "请写以分为单位的整数金额，可加币种，例如 150000:CNY",
                            "write the amount in fen, optionally with a currency, such as "
                            "150000:CNY");
      }
      return model::Value(model::Money{*fen, currency});
    }
    case FieldType::kDate: {
      Result<model::CivilDate> date = model::ParseIsoDate(text);
      if (!date.ok()) {
        return BadParameter(parameter, text, "请写 YYYY-MM-DD 格式的日期",
                            "write a date as YYYY-MM-DD");
      }
      return model::Value(*date);
    }
    case FieldType::kTimestamp: {
      SR_ASSIGN_OR_RETURN(Timestamp time, ParseTimeParameter(parameter, text));
      return model::Value(time);
    }
    case FieldType::kBool:
      if (text == "true" || text == "false") {
        return model::Value(text == "true");
      }
      return BadParameter(parameter, text, "请写 true 或 false", "write true or false");
  }
  return model::Value(model::Null{});
}

Result<std::vector<store::CustomFieldFilter>> CustomFieldQuery(
    const server::Request& request, EntityKind kind,
    std::span<const model::CustomFieldDefinition> definitions) {
  std::vector<store::CustomFieldFilter> filters;
  for (const auto& [parameter, text] : request.query) {
    if (!parameter.starts_with(kCustomPrefix)) {
      continue;
    }
    std::string_view name = std::string_view(parameter).substr(kCustomPrefix.size());
    auto definition = std::find_if(definitions.begin(), definitions.end(),
                                   [&](const auto& entry) { return entry.name == name; });
    if (definition == definitions.end()) {
      std::vector<std::string> names;
      for (const auto& entry : definitions) {
        names.push_back("cf." + entry.name);
      }
      LocalizedText label = model::EntityKindLabel(kind);
      std::string listed = names.empty() ? std::string("-") : fmt::format("{}", fmt::join(names, ", "));
      return InvalidArgument(
                 fmt::format("{}没有自定义字段 {}；可用的自定义字段：{}", label.zh, name, listed),
                 fmt::format("{} has no custom field {}; custom fields: {}", label.en, name,
                             listed))
          .AddDetail("field", parameter);
    }
    SR_ASSIGN_OR_RETURN(model::Value value, CustomValue(*definition, parameter, text));
    filters.push_back({definition->name, std::move(value)});
  }
  return filters;
}

// Reads the one subject filter of an activity list.
Result<std::optional<store::SubjectFilter>> SubjectQuery(const server::Request& request) {
  std::optional<store::SubjectFilter> subject;
  std::string chosen;
  for (auto [parameter, kind] : {std::pair{"opportunity_id", EntityKind::kOpportunity},
                                 std::pair{"lead_id", EntityKind::kLead},
                                 std::pair{"account_id", EntityKind::kAccount},
                                 std::pair{"contact_id", EntityKind::kContact}}) {
    SR_ASSIGN_OR_RETURN(std::optional<int64_t> id, IdQuery(request, parameter));
    if (!id) {
      continue;
    }
    if (subject) {
      return InvalidArgument(
                 fmt::format("查询参数 {} 和 {} 不能同时使用；活动只能按一个主体筛选", chosen,
                             parameter),
                 fmt::format("query parameters {} and {} cannot be combined; filter activities "
                             "by one subject",
                             chosen, parameter))
          .AddDetail("field", parameter);
    }
    subject = store::SubjectFilter{kind, *id};
    chosen = parameter;
  }
  return subject;
}

Result<store::RecordPosition> DecodePosition(std::string_view cursor,
                                             const store::RecordSort& sort) {
  SR_ASSIGN_OR_RETURN(nlohmann::json position, DecodeCursor(cursor));
  Error invalid = BadParameter("cursor", cursor,
                               "游标与当前排序不符或已损坏；请去掉 cursor 从第一页重新开始",
                               "the cursor does not belong to this sort or is damaged; start "
                               "again from the first page without cursor");
  if (!position.is_object() || !position.contains("s") || !position.contains("k") ||
      !position.contains("i") || !position["i"].is_number_integer() ||
      position["s"] != SortText(sort)) {
    return invalid;
  }
  store::RecordPosition result;
  result.id = position["i"].get<int64_t>();
  const nlohmann::json& key = position["k"];
  if (key.is_number_integer()) {
    result.key = key.get<int64_t>();
  } else if (key.is_string()) {
    result.key = key.get<std::string>();
  } else {
    return invalid;
  }
  return result;
}

}  // namespace

std::string SortText(const store::RecordSort& sort) {
  return sort.direction == store::SortDirection::kDescending ? "-" + sort.field : sort.field;
}

std::string EncodeRecordCursor(const store::RecordSort& sort,
                               const store::RecordPosition& position) {
  nlohmann::json json = {{"s", SortText(sort)}, {"i", position.id}};
  if (const auto* number = std::get_if<int64_t>(&position.key)) {
    json["k"] = *number;
  } else {
    json["k"] = std::get<std::string>(position.key);
  }
  return EncodeCursor(json);
}

Result<RecordQuery> ParseRecordListQuery(const server::Request& request, EntityKind kind,
                                         std::span<const model::CustomFieldDefinition> definitions) {
  SR_RETURN_IF_ERROR(CheckParameterNames(request, kind));

  RecordQuery query;
  query.kind = kind;
  SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  query.limit = page.limit;
  SR_ASSIGN_OR_RETURN(query.sort, ParseSort(request, kind));
  if (page.cursor) {
    SR_ASSIGN_OR_RETURN(query.after, DecodePosition(*page.cursor, query.sort));
  }

  store::RecordFilter& filter = query.filter;
  filter.name_contains = std::string(request.Query("q").value_or(""));
  SR_ASSIGN_OR_RETURN(filter.owner_id, IdQuery(request, "owner_id"));
  SR_ASSIGN_OR_RETURN(filter.org_unit_id, IdQuery(request, "org_unit_id"));
  SR_ASSIGN_OR_RETURN(filter.created, TimeRangeQuery(request, "created"));
  SR_ASSIGN_OR_RETURN(filter.updated, TimeRangeQuery(request, "updated"));
  SR_ASSIGN_OR_RETURN(filter.custom_fields, CustomFieldQuery(request, kind, definitions));

  switch (kind) {
    case EntityKind::kOpportunity: {
      SR_ASSIGN_OR_RETURN(filter.stages, StageQuery(request));
      SR_ASSIGN_OR_RETURN(filter.account_id, IdQuery(request, "account_id"));
      SR_ASSIGN_OR_RETURN(filter.product_id, IdQuery(request, "product_id"));
      SR_ASSIGN_OR_RETURN(filter.close_date.from, DateQuery(request, "close_date_from"));
      SR_ASSIGN_OR_RETURN(filter.close_date.to, DateQuery(request, "close_date_to"));
      break;
    }
    case EntityKind::kLead:
      filter.statuses = ListQuery(request, "status");
      break;
    case EntityKind::kContact: {
      SR_ASSIGN_OR_RETURN(filter.account_id, IdQuery(request, "account_id"));
      break;
    }
    case EntityKind::kActivity: {
      filter.types = ListQuery(request, "type");
      SR_ASSIGN_OR_RETURN(filter.occurred, TimeRangeQuery(request, "occurred"));
      SR_ASSIGN_OR_RETURN(filter.subject, SubjectQuery(request));
      break;
    }
    default:
      break;
  }
  return query;
}

}  // namespace salesradar::api
