#include "api/import_preview.h"

#include <fmt/format.h>

#include "ingest/csv_reader.h"
#include "ingest/normalize.h"
#include "ingest/text_source.h"
#include "model/entity.h"
#include "store/record_json.h"

namespace salesradar::api {
namespace {

using nlohmann::json;

json ErrorJson(const ingest::RowError& error, Locale locale) {
  return {{"line", error.line},
          {"column", error.column.empty() ? json(nullptr) : json(error.column)},
          {"value", error.value},
          {"message", error.reason.in(locale)}};
}

json ConvertedJson(const ingest::ConvertedRow& row) {
  json record = json::parse(store::RecordStateJson(row.record.external_id, row.record.fields, row.record.custom_fields),
                            nullptr, /*allow_exceptions=*/false);
  json references = json::array();
  for (const ingest::PendingReference& reference : row.references) {
    references.push_back({{"field", reference.field->field}, {"column", reference.column}, {"key", reference.key}});
  }
  return {{"record", std::move(record)}, {"references", std::move(references)}};
}

}  // namespace

Result<json> PreviewRows(const ingest::PreparedFile& file, int rows, Locale locale) {
  SR_ASSIGN_OR_RETURN(std::unique_ptr<ingest::FileTextSource> source,
                      ingest::FileTextSource::Open(file.csv_path, file.encoding));
  ingest::CsvOptions options;
  options.delimiter = file.mapping->delimiter;
  ingest::CsvReader reader(*source, options);

  ingest::CsvRecord record;
  SR_ASSIGN_OR_RETURN(bool has_header, reader.Next(record));
  json out = json::array();
  if (!has_header) return out;

  ingest::ConvertedRow row;
  std::vector<ingest::RowError> errors;
  for (int read = 0; read < rows; ++read) {
    SR_ASSIGN_OR_RETURN(bool more, reader.Next(record));
    if (!more) break;

    for (const ingest::RowConverter& converter : file.converters) {
      errors.clear();
      row = ingest::ConvertedRow();
      bool converted = converter.Convert(record, row, errors);
      json item = {{"target", model::EntityKindName(converter.target().entity)},
                   {"line", record.line()},
                   {"ok", converted}};
      if (converted) item.update(ConvertedJson(row));
      json error_list = json::array();
      for (const ingest::RowError& error : errors) error_list.push_back(ErrorJson(error, locale));
      item["errors"] = std::move(error_list);
      out.push_back(std::move(item));
    }
  }
  return out;
}

Result<CsvShape> ReadCsvShape(const std::string& csv_path, const std::string& file_name) {
  Result<std::unique_ptr<ingest::FileTextSource>> opened =
      ingest::FileTextSource::Open(csv_path, ingest::EncodingChoice::kAuto);
  if (!opened.ok()) {
    // The message names the stored path; name the uploaded file instead.
    Error error = opened.error();
    return Error(error.code(),
                 fmt::format("文件 '{}' 的编码无法识别；请另存为 UTF-8 后重新上传", file_name),
                 fmt::format("the encoding of file '{}' cannot be detected; save it as UTF-8 and upload it again",
                             file_name));
  }
  ingest::FileTextSource& source = **opened;
  ingest::CsvReader reader(source);

  CsvShape shape;
  shape.encoding = std::string(ingest::EncodingName(source.detected().encoding));
  ingest::CsvRecord record;
  SR_ASSIGN_OR_RETURN(bool has_header, reader.Next(record));
  if (!has_header) {
    return InvalidArgument(fmt::format("文件 '{}' 是空的；第一行应为表头（列名）", file_name),
                           fmt::format("file '{}' is empty; the first line must be the header (column names)",
                                       file_name));
  }
  for (size_t i = 0; i < record.size(); ++i) shape.header.emplace_back(ingest::TrimSpace(record.field(i)));
  while (true) {
    Result<bool> more = reader.Next(record);
    if (!more.ok()) {
      return InvalidArgument(fmt::format("文件 '{}' 第 {} 行无法读取：{}", file_name, reader.line(),
                                         more.error().message_zh()),
                             fmt::format("file '{}' cannot be read at line {}: {}", file_name, reader.line(),
                                         more.error().message_en()));
    }
    if (!*more) break;
    ++shape.data_rows;
  }
  return shape;
}

}  // namespace salesradar::api
