#include "api/alert_list_query.h"

#include <fmt/format.h>

#include "api/request_io.h"
#include "rules/alert.h"

namespace salesradar::api {
namespace {

Error InvalidValue(std::string_view parameter, std::string_view value, std::string_view accepted) {
  return InvalidArgument(fmt::format("参数 {} 的值 '{}' 无效；可用值：{}", parameter, value, accepted),
                         fmt::format("invalid value '{}' of {}; use one of: {}", value, parameter, accepted));
}

Status ReadStatuses(const server::Request& request, store::AlertFilter& filter) {
  std::vector<std::string> values = ListQuery(request, "status");
  if (values.empty()) values = {"unresolved"};

  for (const std::string& value : values) {
    if (value == "all") {
      filter.statuses.clear();
      return OkStatus();
    }
    if (value == "unresolved") {
      filter.statuses.insert(filter.statuses.end(), {"open", "acknowledged", "snoozed"});
    } else if (value == "resolved") {
      filter.statuses.insert(filter.statuses.end(), {"resolved_by_person", "resolved_automatically"});
    } else if (rules::ParseAlertStatus(value)) {
      filter.statuses.push_back(value);
    } else {
      return InvalidValue("status", value,
                          "unresolved, resolved, all, open, acknowledged, snoozed, resolved_by_person, "
                          "resolved_automatically");
    }
  }
  return OkStatus();
}

Status ReadLevels(const server::Request& request, store::AlertFilter& filter) {
  for (const std::string& value : ListQuery(request, "level")) {
    if (!rules::ParseLevel(value)) return InvalidValue("level", value, "yellow, orange, red");
    filter.levels.push_back(value);
  }
  return OkStatus();
}

Status ReadSort(const server::Request& request, store::AlertFilter& filter) {
  std::string_view sort = request.Query("sort").value_or("-raised_at");
  if (sort == "-raised_at") {
    filter.sort = store::AlertSort::kRaisedAtDescending;
  } else if (sort == "raised_at") {
    filter.sort = store::AlertSort::kRaisedAtAscending;
  } else if (sort == "-level") {
    filter.sort = store::AlertSort::kLevelDescending;
  } else if (sort == "level") {
    filter.sort = store::AlertSort::kLevelAscending;
  } else {
    return InvalidValue("sort", sort, "-raised_at, raised_at, -level, level");
  }
  return OkStatus();
}

std::optional<std::string> TextQuery(const server::Request& request, std::string_view name) {
  std::optional<std::string_view> value = request.Query(name);
  if (!value || value->empty()) return std::nullopt;
  return std::string(*value);
}

Status ReadCursor(const std::string& cursor, store::AlertFilter& filter) {
  SR_ASSIGN_OR_RETURN(nlohmann::json position, DecodeCursor(cursor));
  if (!position.is_object() || !position["k"].is_number_integer() || !position["r"].is_number_integer() ||
      !position["id"].is_string()) {
    return InvalidArgument("cursor 无效；请使用上一页返回的 next_cursor",
                           "invalid cursor; pass the next_cursor of the previous page");
  }
  filter.after = store::AlertPosition{position["k"].get<int64_t>(), position["r"].get<int64_t>(),
                                      position["id"].get<std::string>()};
  return OkStatus();
}

}  // namespace

Result<store::AlertFilter> ParseAlertListQuery(const server::Request& request) {
  store::AlertFilter filter;
  SR_RETURN_IF_ERROR(ReadStatuses(request, filter));
  SR_RETURN_IF_ERROR(ReadLevels(request, filter));
  SR_RETURN_IF_ERROR(ReadSort(request, filter));

  filter.pack_id = TextQuery(request, "pack_id");
  filter.rule_id = TextQuery(request, "rule_id");
  filter.subject_type = TextQuery(request, "subject_type");
  filter.subject_id = TextQuery(request, "subject_id");
  SR_ASSIGN_OR_RETURN(filter.owner_user_id, OptionalIntQuery(request, "owner_id"));
  SR_ASSIGN_OR_RETURN(filter.raised_from, OptionalTimeQuery(request, "from"));
  SR_ASSIGN_OR_RETURN(filter.raised_to, OptionalTimeQuery(request, "to"));

  SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  filter.limit = page.limit;
  if (page.cursor) SR_RETURN_IF_ERROR(ReadCursor(*page.cursor, filter));
  return filter;
}

std::string EncodeAlertCursor(const store::AlertPosition& position) {
  return EncodeCursor({{"k", position.sort_key}, {"r", position.raised_at}, {"id", position.id}});
}

}  // namespace salesradar::api
