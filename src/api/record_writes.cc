#include "api/record_writes.h"

#include <algorithm>
#include <random>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "api/principal_audit.h"
#include "api/record_json.h"
#include "api/request_io.h"
#include "api/store_pool.h"

namespace salesradar::api {
namespace {

using model::EntityKind;
using nlohmann::json;

Error BadField(std::string_view field, std::string_view fix_zh, std::string_view fix_en) {
  return InvalidArgument(fmt::format("字段 {} 无效：{}", field, fix_zh),
                         fmt::format("field {} is invalid: {}", field, fix_en))
      .AddDetail("field", std::string(field));
}

Status CheckKeys(const json& body, std::initializer_list<std::string_view> allowed) {
  for (const auto& [key, value] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return InvalidArgument(
                 fmt::format("不支持字段 {}；可用的字段：{}", key, fmt::join(allowed, ", ")),
                 fmt::format("unknown field {}; accepted fields: {}", key,
                             fmt::join(allowed, ", ")))
          .AddDetail("field", key);
    }
  }
  return OkStatus();
}

Result<model::Value> MoneyValue(std::string_view field, const json& value) {
  if (value.is_null()) {
    return model::Value(model::Null{});
  }
  if (!value.is_object() || !value.contains("amount_fen") ||
      !value["amount_fen"].is_number_integer() || value["amount_fen"].get<int64_t>() < 0) {
    return BadField(field, "请写 {\"amount_fen\": 非负整数（分）, \"currency\": \"CNY\"}",
                    "write {\"amount_fen\": a non-negative integer in fen, \"currency\": \"CNY\"}");
  }
  std::string currency = "CNY";
  if (value.contains("currency")) {
    if (!value["currency"].is_string() || value["currency"].get<std::string>().size() != 3) {
      return BadField(field, "币种必须是三个字母的 ISO 4217 代码，例如 CNY",
                      "the currency must be a three-letter ISO 4217 code such as CNY");
    }
    currency = value["currency"].get<std::string>();
  }
  return model::Value(model::Money{value["amount_fen"].get<int64_t>(), currency});
}

Result<model::Value> DateValue(std::string_view field, const json& value) {
  if (value.is_null()) {
    return model::Value(model::Null{});
  }
  Result<model::CivilDate> date =
      value.is_string() ? model::ParseIsoDate(value.get<std::string>())
                        : Result<model::CivilDate>(InvalidArgument("", ""));
  if (!date.ok()) {
    return BadField(field, "请写 YYYY-MM-DD 格式的日期，例如 2026-06-30",
                    "write a date as YYYY-MM-DD, such as 2026-06-30");
  }
  return model::Value(*date);
}

// Converts the JSON value of a custom field by its definition's type.
Result<model::Value> CustomFieldValue(const model::CustomFieldDefinition& definition,
                                      const json& value) {
  std::string field = "custom_fields." + definition.name;
  if (value.is_null()) {
    return model::Value(model::Null{});
  }
  switch (definition.type) {
    case model::FieldType::kString:
    case model::FieldType::kEnum:
      if (value.is_string()) return model::Value(value.get<std::string>());
      return BadField(field, "请写字符串", "write a string");
    case model::FieldType::kInt:
      if (value.is_number_integer()) return model::Value(value.get<int64_t>());
      return BadField(field, "请写整数", "write an integer");
    case model::FieldType::kReference:
      if (value.is_number_integer()) {
        return model::Value(model::Reference{value.get<int64_t>(), ""});
      }
      return BadField(field, "请写被引用记录的整数 id", "write the integer id of the referenced row");
    case model::FieldType::kMoney:
      return MoneyValue(field, value);
    case model::FieldType::kDate:
      return DateValue(field, value);
    case model::FieldType::kTimestamp: {
      if (!value.is_string()) {
        return BadField(field, "请写 RFC 3339 时间", "write an RFC 3339 time");
      }
      SR_ASSIGN_OR_RETURN(Timestamp time, ParseTimeParameter(field, value.get<std::string>()));
      return model::Value(time);
    }
    case model::FieldType::kBool:
      if (value.is_boolean()) return model::Value(value.get<bool>());
      return BadField(field, "请写 true 或 false", "write true or false");
  }
  return model::Value(model::Null{});
}

// Reads "custom_fields": {name: value} into `record`, checking each value against its definition.
Status ReadCustomFields(const json& body, store::Store& store, model::Record* record) {
  auto custom = body.find("custom_fields");
  if (custom == body.end() || custom->is_null()) {
    return OkStatus();
  }
  if (!custom->is_object()) {
    return BadField("custom_fields", "请写对象 {字段名: 值}", "write an object {name: value}");
  }
  SR_ASSIGN_OR_RETURN(std::vector<model::CustomFieldDefinition> definitions,
                      store.CustomFieldDefinitions(record->kind));
  for (const auto& [name, value] : custom->items()) {
    auto definition = std::find_if(definitions.begin(), definitions.end(),
                                   [&](const auto& entry) { return entry.name == name; });
    if (definition == definitions.end()) {
      std::vector<std::string> names;
      for (const auto& entry : definitions) names.push_back(entry.name);
      return BadField("custom_fields." + name,
                      fmt::format("没有这个自定义字段；可用的自定义字段：{}", fmt::join(names, ", ")),
                      fmt::format("no such custom field; custom fields: {}", fmt::join(names, ", ")));
    }
    SR_ASSIGN_OR_RETURN(model::Value converted, CustomFieldValue(*definition, value));
    Status valid = model::ValidateCustomValue(*definition, converted);
    if (!valid.ok()) {
      Error error = valid.error();
      return error.AddDetail("field", "custom_fields." + name);
    }
    record->custom_fields[name] = std::move(converted);
  }
  return OkStatus();
}

// Upserts one record and returns its row id; a rejected record becomes kInvalidArgument.
Result<int64_t> WriteRecord(store::Store& store, const model::Record& record,
                            const store::AuditContext& audit) {
  SR_ASSIGN_OR_RETURN(std::vector<store::UpsertResult> results,
                      store.Upsert(std::span<const model::Record>(&record, 1), audit));
  const store::UpsertResult& result = results.front();
  if (result.outcome == store::UpsertOutcome::kRejected) {
    return *result.error;
  }
  return result.id;
}

Result<model::Record> OpportunityPatch(const json& body, store::Store& store,
                                       const store::RecordRow& current) {
  SR_RETURN_IF_ERROR(
      CheckKeys(body, {"name", "stage", "amount", "close_date", "custom_fields"}));
  model::Record record{EntityKind::kOpportunity, current.record.external_id, {}, {}};

  if (body.contains("name")) {
    SR_ASSIGN_OR_RETURN(std::optional<std::string> name, OptionalString(body, "name"));
    record.fields["name"] = name ? model::Value(*name) : model::Value(model::Null{});
  }
  if (body.contains("stage")) {
    SR_ASSIGN_OR_RETURN(std::string stage, RequiredString(body, "stage"));
    const model::FieldSpec* spec = model::FindBuiltInField(EntityKind::kOpportunity, "stage");
    Result<std::string> canonical = model::CanonicalEnumValue(*spec, stage);
    if (!canonical.ok()) {
      return BadField("stage", fmt::format("可用的阶段：{}", fmt::join(spec->allowed_values, ", ")),
                      fmt::format("stages: {}", fmt::join(spec->allowed_values, ", ")));
    }
    record.fields["stage"] = *canonical;
  }
  if (body.contains("amount")) {
    SR_ASSIGN_OR_RETURN(record.fields["amount"], MoneyValue("amount", body["amount"]));
  }
  if (body.contains("close_date")) {
    SR_ASSIGN_OR_RETURN(record.fields["close_date"], DateValue("close_date", body["close_date"]));
  }
  SR_RETURN_IF_ERROR(ReadCustomFields(body, store, &record));
  return record;
}

server::Handler PatchOpportunityHandler(ApiContext& context) {
  return [&context](const server::Request& request) -> Result<server::Response> {
    SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
    SR_ASSIGN_OR_RETURN(int64_t id, IntParam(request, "id"));
    SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
    SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
    SR_ASSIGN_OR_RETURN(store::RecordRow current,
                        FindVisibleRecord(*store, EntityKind::kOpportunity, id, principal));
    if (principal.role == auth::Role::kCs) {
      return Error(ErrorCode::kPermissionDenied, "客户成功经理不能修改商机",
                   "customer-success managers cannot change opportunities");
    }

    SR_ASSIGN_OR_RETURN(model::Record patch, OpportunityPatch(body, *store, current));
    SR_RETURN_IF_ERROR(WriteRecord(*store, patch, AuditFor(principal, request)));
    SR_ASSIGN_OR_RETURN(store::RecordRow updated,
                        FindVisibleRecord(*store, EntityKind::kOpportunity, id, principal));
    return server::Response::Json(200, RecordJson(updated));
  };
}

std::string NewActivityExternalId(Timestamp now) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  return fmt::format("api-{}-{:016x}", ToUnixMicros(now), random());
}

Result<model::Record> NewActivity(const json& body, store::Store& store,
                                  const Principal& principal, Timestamp now) {
  SR_RETURN_IF_ERROR(CheckKeys(body, {"external_id", "type", "subject_type", "subject_id",
                                      "occurred_at", "subject_text", "payload",
                                      "custom_fields"}));
  SR_ASSIGN_OR_RETURN(std::string type, RequiredString(body, "type"));
  SR_ASSIGN_OR_RETURN(std::string subject_type, RequiredString(body, "subject_type"));
  SR_ASSIGN_OR_RETURN(std::optional<int64_t> subject_id, OptionalInt(body, "subject_id"));
  if (!subject_id) {
    return InvalidArgument("缺少字段 subject_id", "missing field subject_id")
        .AddDetail("field", "subject_id");
  }

  Result<EntityKind> subject_kind = model::ParseEntityKind(subject_type);
  if (!subject_kind.ok() || !store::IsListableKind(*subject_kind) ||
      *subject_kind == EntityKind::kActivity) {
    return BadField("subject_type", "请写 opportunity、lead、account 或 contact",
                    "write opportunity, lead, account or contact");
  }
  SR_RETURN_IF_ERROR(FindVisibleRecord(store, *subject_kind, *subject_id, principal));

  SR_ASSIGN_OR_RETURN(std::optional<std::string> external_id, OptionalString(body, "external_id"));
  model::Record record{EntityKind::kActivity,
                       external_id.value_or(NewActivityExternalId(now)), {}, {}};
  record.fields["type"] = type;
  record.fields["actor"] = model::Reference{principal.user_id, ""};
  record.fields["subject_type"] = std::string(model::EntityKindName(*subject_kind));
  record.fields["subject_id"] = *subject_id;

  Timestamp occurred_at = now;
  SR_ASSIGN_OR_RETURN(std::optional<std::string> occurred_text,
                      OptionalString(body, "occurred_at"));
  if (occurred_text) {
    SR_ASSIGN_OR_RETURN(occurred_at, ParseTimeParameter("occurred_at", *occurred_text));
  }
  record.fields["occurred_at"] = occurred_at;

  SR_ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(body, "subject_text"));
  if (text) {
    record.fields["subject_text"] = *text;
  }
  if (body.contains("payload") && !body["payload"].is_null()) {
    if (!body["payload"].is_object()) {
      return BadField("payload", "请写 JSON 对象", "write a JSON object");
    }
    record.fields["payload"] = body["payload"].dump();
  }
  SR_RETURN_IF_ERROR(ReadCustomFields(body, store, &record));
  return record;
}

server::Handler PostActivityHandler(ApiContext& context) {
  return [&context](const server::Request& request) -> Result<server::Response> {
    SR_ASSIGN_OR_RETURN(Principal principal, AuthenticateWrite(request, context));
    SR_ASSIGN_OR_RETURN(json body, ParseJsonObject(request));
    SR_ASSIGN_OR_RETURN(StoreLease store, context.stores.Acquire());
    SR_ASSIGN_OR_RETURN(model::Record record,
                        NewActivity(body, *store, principal, context.clock.Now()));

    SR_ASSIGN_OR_RETURN(std::optional<int64_t> existing,
                        store->FindIdByExternalId(EntityKind::kActivity, record.external_id));
    if (existing) {
      return Error(ErrorCode::kAlreadyExists,
                   fmt::format("外部 id 为 {} 的活动已存在", record.external_id),
                   fmt::format("an activity with external id {} exists already",
                               record.external_id))
          .AddDetail("field", "external_id");
    }
    SR_ASSIGN_OR_RETURN(int64_t id, WriteRecord(*store, record, AuditFor(principal, request)));
    SR_ASSIGN_OR_RETURN(store::RecordRow created,
                        FindVisibleRecord(*store, EntityKind::kActivity, id, principal));
    return server::Response::Json(201, RecordJson(created));
  };
}

}  // namespace

void RegisterRecordWriteRoutes(server::Router& router, ApiContext& context) {
  router.Add(server::Method::kPatch, "/api/v1/opportunities/{id}",
             PatchOpportunityHandler(context));
  router.Add(server::Method::kPost, "/api/v1/activities", PostActivityHandler(context));
}

}  // namespace salesradar::api
