// Imports over HTTP: upload a CSV or XLSX file, preview it with a column mapping, run the import
// on a background thread and poll its progress and summary. Every route needs the admin role,
// because imports are the work of sales operations.
#include <fmt/format.h>

#include "api/import_jobs.h"
#include "api/principal.h"
#include "api/request_io.h"
#include "api/routes.h"
#include "api/store_pool.h"
#include "common/error.h"
#include "common/logging.h"

namespace salesradar::api {
namespace {

using nlohmann::json;
using server::Method;
using server::Request;
using server::Response;

constexpr std::string_view kXlsxMime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
constexpr int kDefaultPreviewRows = 20;

store::AuditContext AuditFor(const Principal& principal, const Request& request) {
  if (principal.api_token_id) return store::AuditContext::Token(*principal.api_token_id, request.request_id);
  return store::AuditContext::User(principal.user_id, request.request_id);
}

Result<Principal> AdminReading(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, Authenticate(request, context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  return principal;
}

Result<Principal> AdminWriting(const Request& request, ApiContext& context) {
  SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
  SR_RETURN_IF_ERROR(RequireRole(principal, auth::Role::kAdmin));
  return principal;
}

json RowErrorJson(const ingest::RowError& error, Locale locale) {
  return {{"line", error.line},
          {"column", error.column.empty() ? json(nullptr) : json(error.column)},
          {"value", error.value},
          {"message", error.reason.in(locale)}};
}

json JobJson(const ImportJob& job, Locale locale, bool with_details) {
  bool finished = job.state != ImportJobState::kUploaded && job.state != ImportJobState::kRunning;
  json out = {{"id", job.id},
              {"created_by", job.created_by},
              {"file_name", job.file_name},
              {"format", job.format},
              {"encoding", job.encoding},
              {"entity", job.entity},
              {"header", job.header},
              {"state", ImportJobStateName(job.state)},
              {"data_rows", job.data_rows},
              {"rows_total", job.rows_total},
              {"rows_done", job.rows_done},
              {"created_at", FormatTime(job.created_at)},
              {"started_at", job.started_at ? json(FormatTime(*job.started_at)) : json(nullptr)},
              {"finished_at", job.finished_at ? json(FormatTime(*job.finished_at)) : json(nullptr)},
              {"error", job.error_zh ? json(locale == Locale::kEnglish ? *job.error_en : *job.error_zh) : json(nullptr)},
              {"summary", job.summary}};
  if (!with_details) return out;

  out["summary_text"] = finished && job.summary.is_object() ? json(job.summary_text.in(locale)) : json(nullptr);
  json errors = json::array();
  for (const ingest::RowError& error : job.row_errors) errors.push_back(RowErrorJson(error, locale));
  out["row_errors"] = std::move(errors);
  out["row_errors_total"] = job.row_errors_total;
  return out;
}

Result<std::string> UploadFormat(const Request& request) {
  std::string type(request.Header("Content-Type").value_or(""));
  std::string base = type.substr(0, type.find(';'));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  if (base == "text/csv" || base == kXlsxMime || base == "application/octet-stream") return base;
  Error error = InvalidArgument(
      "Content-Type '" + type + "' 不支持；CSV 请用 text/csv，XLSX 请用 " + std::string(kXlsxMime),
      "Content-Type '" + type + "' is not supported; send CSV as text/csv and XLSX as " + std::string(kXlsxMime));
  error.AddDetail("header", "Content-Type");
  return error;
}

Result<Response> UploadFile(ApiContext& context, const Request& request) {
  SR_ASSIGN_OR_RETURN(Principal principal, AdminWriting(request, context));
  SR_RETURN_IF_ERROR(UploadFormat(request));
  std::string entity(request.Query("entity").value_or(""));
  std::string file_name(request.Query("file_name").value_or("upload"));
  if (entity.empty()) {
    Error error = InvalidArgument("缺少参数 entity；可用的值：opportunity, account, contact, lead, activity",
                                  "parameter entity is missing; accepted values: opportunity, account, contact, lead, "
                                  "activity");
    error.AddDetail("parameter", "entity");
    return error;
  }
  if (request.body.empty()) {
    return InvalidArgument("请求体为空；请把文件内容作为请求体上传", "the request body is empty; send the file as the body");
  }

  SR_ASSIGN_OR_RETURN(ImportJob job, context.imports.Upload(principal.user_id, file_name, entity, request.body));
  SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
  json audited = {{"file_name", job.file_name}, {"entity", job.entity}, {"bytes", request.body.size()}};
  Result<int64_t> audit =
      store->AppendAudit({"upload", "import_job", std::to_string(job.id), std::nullopt, audited.dump()},
                         AuditFor(principal, request));
  if (!audit.ok()) Logger("api")->error("import job {}: audit row failed: {}", job.id, audit.error().ToLogString());
  return Response::Json(201, JobJson(job, request.locale, true));
}

Result<Response> ListJobs(ApiContext& context, const Request& request) {
  SR_RETURN_IF_ERROR(AdminReading(request, context));
  SR_ASSIGN_OR_RETURN(PageRequest page, ParsePageRequest(request));
  int64_t before = INT64_MAX;
  if (page.cursor) {
    SR_ASSIGN_OR_RETURN(json position, DecodeCursor(*page.cursor));
    if (position.is_number_integer()) before = position.get<int64_t>();
  }

  json items = json::array();
  std::optional<std::string> next_cursor;
  for (const ImportJob& job : context.imports.List()) {  // newest first
    if (job.id >= before) continue;
    if (items.size() == static_cast<size_t>(page.limit)) {
      next_cursor = EncodeCursor(items.back()["id"]);
      break;
    }
    items.push_back(JobJson(job, request.locale, false));
  }
  return ListPage(std::move(items), next_cursor);
}

Result<Response> GetJob(ApiContext& context, const Request& request) {
  SR_RETURN_IF_ERROR(AdminReading(request, context));
  SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
  SR_ASSIGN_OR_RETURN(ImportJob job, context.imports.Get(id));
  return Response::Json(200, JobJson(job, request.locale, true));
}

Result<json> MappingOf(const json& body) {
  auto it = body.find("mapping");
  if (it == body.end() || !it->is_object()) {
    Error error = InvalidArgument("缺少字段 mapping，或它不是 JSON 对象", "field mapping is missing or not a JSON object");
    error.AddDetail("field", "mapping");
    return error;
  }
  return *it;
}

Result<Response> PreviewJob(ApiContext& context, const Request& request) {
  SR_RETURN_IF_ERROR(AdminWriting(request, context));
  SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_ASSIGN_OR_RETURN(json mapping, MappingOf(body));
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> rows, OptionalInt(body, "rows"));
  if (rows && (*rows < 1 || *rows > ImportJobs::kMaxPreviewRows)) {
    Error error = InvalidArgument(fmt::format("字段 rows 必须在 1 到 {} 之间", ImportJobs::kMaxPreviewRows),
                                  fmt::format("field rows must be from 1 to {}", ImportJobs::kMaxPreviewRows));
    error.AddDetail("field", "rows");
    return error;
  }

  SR_ASSIGN_OR_RETURN(json preview, context.imports.Preview(id, mapping, static_cast<int>(rows.value_or(kDefaultPreviewRows)),
                                                            request.locale));
  return Response::Json(200, preview);
}

Result<Response> RunJob(ApiContext& context, const Request& request) {
  SR_ASSIGN_OR_RETURN(Principal principal, AdminWriting(request, context));
  SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
  SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
  SR_ASSIGN_OR_RETURN(json mapping, MappingOf(body));
  SR_ASSIGN_OR_RETURN(ImportJob job, context.imports.Run(id, mapping, AuditFor(principal, request)));
  Logger("api")->info("import job {}: started by user {}", id, principal.user_id);
  return Response::Json(202, JobJson(job, request.locale, true));
}

Result<Response> CancelJob(ApiContext& context, const Request& request) {
  SR_ASSIGN_OR_RETURN(Principal principal, AdminWriting(request, context));
  SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
  SR_RETURN_IF_ERROR(context.imports.Cancel(id));
  SR_ASSIGN_OR_RETURN(ImportJob job, context.imports.Get(id));
  Logger("api")->info("import job {}: cancel requested by user {}", id, principal.user_id);
  return Response::Json(202, JobJson(job, request.locale, true));
}

}  // namespace

void RegisterImportRoutes(server::Router& router, ApiContext& context) {
  auto bind = [&context](Result<Response> (*handler)(ApiContext&, const Request&)) {
    return [&context, handler](const Request& request) { return handler(context, request); };
  };
  router.Add(Method::kPost, "/api/v1/imports", bind(UploadFile));
  router.Add(Method::kGet, "/api/v1/imports", bind(ListJobs));
  router.Add(Method::kGet, "/api/v1/imports/{id}", bind(GetJob));
  router.Add(Method::kPost, "/api/v1/imports/{id}/preview", bind(PreviewJob));
  router.Add(Method::kPost, "/api/v1/imports/{id}/run", bind(RunJob));
  router.Add(Method::kPost, "/api/v1/imports/{id}/cancel", bind(CancelJob));
}

}  // namespace salesradar::api
