#include "api/import_mapping.h"

#include <map>
#include <set>

#include "ingest/suggest.h"
#include "model/entity.h"

namespace salesradar::api {
namespace {

using nlohmann::json;

// Usual Chinese column names of CRM exports, by field. Exact matches after trimming.
const std::map<std::string, std::string, std::less<>>& ChineseColumnNames() {
  static const std::map<std::string, std::string, std::less<>> kNames = {
      {"编号", "external_id"},      {"商机编号", "external_id"}, {"客户编号", "external_id"},
      {"线索编号", "external_id"},  {"联系人编号", "external_id"}, {"名称", "name"},
      {"姓名", "name"},             {"商机名称", "name"},        {"客户名称", "name"},
      {"线索名称", "name"},         {"阶段", "stage"},           {"商机阶段", "stage"},
      {"金额", "amount"},           {"商机金额", "amount"},      {"负责人", "owner"},
      {"销售", "owner"},            {"客户", "account"},         {"所属客户", "account"},
      {"产品", "product"},          {"开始日期", "engage_date"}, {"结束日期", "close_date"},
      {"成交日期", "close_date"},   {"行业", "industry"},        {"员工数", "employees"},
      {"年收入", "revenue"},        {"地区", "region"},          {"区域", "region"},
      {"上级客户", "parent"},       {"职位", "title"},           {"电话", "phone"},
      {"手机", "phone"},            {"邮箱", "email"},           {"公司", "company"},
      {"来源", "source"},           {"状态", "status"},          {"创建日期", "created_on"},
      {"类型", "type"},             {"时间", "occurred_at"},     {"发生时间", "occurred_at"},
      {"内容", "subject_text"},
  };
  return kNames;
}

std::set<std::string> MappedColumns(const ingest::Mapping& mapping) {
  std::set<std::string> columns;
  for (const ingest::TargetMapping& target : mapping.targets) {
    columns.insert(target.external_id.columns.begin(), target.external_id.columns.end());
    for (const ingest::FieldMapping& field : target.fields) {
      columns.insert(field.source.columns.begin(), field.source.columns.end());
    }
  }
  return columns;
}

json SuggestField(const std::string& column, const std::vector<std::string>& fields) {
  auto chinese = ChineseColumnNames().find(column);
  if (chinese != ChineseColumnNames().end()) {
    for (const std::string& field : fields) {
      if (field == chinese->second) return field;
    }
  }
  std::string nearest = ingest::NearestName(column, fields);
  return nearest.empty() ? json(nullptr) : json(nearest);
}

}  // namespace

Result<ingest::Mapping> MappingFromJson(const json& mapping, std::string_view entity) {
  if (!mapping.is_object()) {
    Error error = InvalidArgument("字段 mapping 必须是 JSON 对象，键与映射文件相同",
                                  "field mapping must be a JSON object with the keys of a mapping file");
    error.AddDetail("field", "mapping");
    return error;
  }
  json copy = mapping;
  copy.erase("source");
  if (!copy.contains("entity") && !copy.contains("targets")) copy["entity"] = entity;
  // JSON is a subset of YAML, so the mapping parser reads it as it is.
  return ingest::ParseMapping(copy.dump(2), "mapping");
}

json SuggestMapping(const std::vector<std::string>& header, std::string_view entity, const ingest::Mapping* mapping) {
  std::vector<std::string> fields = {"external_id"};
  if (Result<model::EntityKind> kind = model::ParseEntityKind(entity); kind.ok()) {
    for (const model::FieldSpec& spec : model::BuiltInFields(*kind)) fields.emplace_back(spec.name);
  }
  std::set<std::string> mapped = mapping != nullptr ? MappedColumns(*mapping) : std::set<std::string>();

  json suggestions = json::object();
  for (const std::string& column : header) {
    if (column.empty() || mapped.contains(column)) continue;
    suggestions[column] = SuggestField(column, fields);
  }
  return suggestions;
}

}  // namespace salesradar::api
