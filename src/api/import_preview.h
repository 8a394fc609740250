// The preview of an import job: the first rows of the uploaded file converted with a mapping,
// each with its errors, without writing anything.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "common/locale.h"
#include "common/result.h"
#include "ingest/importer.h"

namespace salesradar::api {

// Converts up to `rows` data rows of `file` (prepared by ingest::Importer::Prepare) for every
// target of its mapping. Returns [{target, line, ok, record, references, errors}], where
// `record` is {external_id, fields, custom_fields} as the audit log writes records, `references`
// lists the names or ids still to resolve, and each error is {line, column, value, message} with
// the message in `locale`. References are not looked up, so a name that matches no row shows
// up only when the import runs.
Result<nlohmann::json> PreviewRows(const ingest::PreparedFile& file, int rows, Locale locale);

// Reads the header and counts the data rows of the CSV file at `csv_path`.
struct CsvShape {
  std::vector<std::string> header;
  int64_t data_rows = 0;
  std::string encoding;  // "UTF-8" or "GB18030"
};
Result<CsvShape> ReadCsvShape(const std::string& csv_path, const std::string& file_name);

}  // namespace salesradar::api
