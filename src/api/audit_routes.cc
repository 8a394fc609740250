// GET /api/v1/audit: the audit log for admins, oldest first, with filters. The hash chain is
// checked by `salesradar audit verify`; this route only reads.
#include <fmt/format.h>

#include "api/principal.h"
#include "api/request_io.h"
#include "api/routes.h"
#include "api/store_pool.h"
#include "common/error.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

// Rows read per store call, and read per request at most. A request whose filters match
// rarely returns a short page with a next_cursor past the rows it read, so that one request
// never scans the whole log.
constexpr int kReadBatch = 500;
constexpr int kMaxScannedRows = 20'000;

struct AuditFilter {
  std::optional<std::string> entity_kind;
  std::optional<std::string> entity_id;
  std::optional<std::string> actor;
  std::optional<std::string> action;
  std::optional<Timestamp> from;  // inclusive
  std::optional<Timestamp> to;    // exclusive

  bool Matches(const store::AuditEntry& entry) const {
    return (!entity_kind || entry.entity_kind == *entity_kind) &&
           (!entity_id || entry.entity_id == *entity_id) && (!actor || entry.actor == *actor) &&
           (!action || entry.action == *action) && (!from || entry.at >= *from) &&
           (!to || entry.at < *to);
  }
};

std::optional<std::string> TextQuery(const Request& request, std::string_view name) {
  std::optional<std::string_view> value = request.Query(name);
  if (!value || value->empty()) {
    return std::nullopt;
  }
  return std::string(*value);
}

Result<AuditFilter> ParseFilter(const Request& request) {
  AuditFilter filter;
  filter.entity_kind = TextQuery(request, "entity_kind");
  filter.entity_id = TextQuery(request, "entity_id");
  filter.actor = TextQuery(request, "actor");
  filter.action = TextQuery(request, "action");
  SR_ASSIGN_OR_RETURN(filter.from, OptionalTimeQuery(request, "from"));
  SR_ASSIGN_OR_RETURN(filter.to, OptionalTimeQuery(request, "to"));
  return filter;
}

// The row after which the page starts: the cursor's, else the after_id parameter, else 0.
Result<int64_t> StartAfter(const Request& request, const PageRequest& page) {
  if (page.cursor) {
    SR_ASSIGN_OR_RETURN(json position, DecodeCursor(*page.cursor));
    if (!position.is_number_integer()) {
      return InvalidArgument("查询参数 cursor 无效；请去掉 cursor 从第一页重新开始",
                             "query parameter cursor is invalid; start again from the first page "
                             "without cursor")
          .AddDetail("field", "cursor");
    }
    return position.get<int64_t>();
  }
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> after_id, OptionalIntQuery(request, "after_id"));
  return after_id.value_or(0);
}

json JsonOrNull(const std::optional<std::string>& text) {
  if (!text) {
    return nullptr;
  }
  json value = json::parse(*text, nullptr, /*allow_exceptions=*/false);
  return value.is_discarded() ? json(*text) : value;
}

json AuditEntryJson(const store::AuditEntry& entry) {
  return {
      {"id", entry.id},
      {"at", FormatTime(entry.at)},
      {"actor", entry.actor},
      {"action", entry.action},
      {"entity_kind", entry.entity_kind},
      {"entity_id", entry.entity_id},
      {"before", JsonOrNull(entry.before_json)},
      {"after", JsonOrNull(entry.after_json)},
      {"request_id", entry.request_id},
      {"prev_hash", entry.prev_hash},
      {"hash", entry.hash},
  };
}

Result<Response> ListAudit(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  SR_ASSIGN_OR_RETURN(AuditFilter filter, ParseFilter(request));
  SR_ASSIGN_OR_RETURN(int64_t after_id, StartAfter(request, page));

  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  json items = json::array();
  int64_t position = after_id;
  int scanned = 0;
  bool more = true;
  while (static_cast<int>(items.size()) < page.limit && scanned < kMaxScannedRows) {
    SR_ASSIGN_OR_RETURN(std::vector<store::AuditEntry> rows, store->ListAudit(position, kReadBatch));
    if (rows.empty()) {
      more = false;
      break;
    }
    for (const store::AuditEntry& row : rows) {
      ++scanned;
      position = row.id;
      if (filter.Matches(row)) {
        items.push_back(AuditEntryJson(row));
        if (static_cast<int>(items.size()) == page.limit) {
          break;
        }
      }
    }
    if (static_cast<int>(rows.size()) < kReadBatch && static_cast<int>(items.size()) < page.limit) {
      more = false;
      break;
    }
  }

  std::optional<std::string> next_cursor;
  if (more) {
    next_cursor = EncodeCursor(json(position));
  }
  return ListPage(std::move(items), std::move(next_cursor));
}

}  // namespace

void RegisterAuditRoutes(server::Router& router, ApiContext& context) {
  router.Add(Method::kGet, "/api/v1/audit",
             [&context](const Request& request) { return ListAudit(request, context); });
}

}  // namespace salesradar::api
