// Conversion of CSV records into model records, following one target of a mapping.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <cctz/time_zone.h>

#include "common/locale.h"
#include "common/result.h"
#include "ingest/csv_reader.h"
#include "ingest/mapping.h"
#include "model/entity.h"

namespace salesradar::ingest {

// A problem with one row, reported as "FILE:LINE: column 'NAME': reason (value 'VALUE')".
struct RowError {
  int64_t line = 0;
  std::string column;  // empty when the problem concerns the whole row
  std::string value;   // the text as it is in the file
  LocalizedText reason;
};

// Formats `error` for output, leaving out `column` and `value` when the column is empty. Only
// the reason is in `locale`: the rest of the format is the same in both locales, so that
// scripts can parse it. Line breaks in the value are shown as \n, and values over 100 bytes
// are cut.
std::string FormatRowError(std::string_view file, const RowError& error, Locale locale);

// A reference field whose target row the importer still has to find.
struct PendingReference {
  const FieldMapping* field = nullptr;
  std::string key;     // the name or external id after normalisation; empty when the cell is
  std::string column;  // the source column, for messages
};

// One converted row. Reference fields are not in `record` yet: the importer resolves
// `references` and adds them.
struct ConvertedRow {
  int64_t line = 0;
  model::Record record;
  std::vector<PendingReference> references;
};

// Converts rows of one CSV file for one target. Immutable after Create, so one converter may
// be used from several threads.
class RowConverter {
 public:
  // Binds `target`, which must outlive the converter, to the CSV `header`. Returns
  // kInvalidArgument prefixed with "MAPPING:LINE: " in three cases. A column that the mapping
  // reads is missing from the header (the message names it and lists the header). A column
  // name appears twice in the header. A constant `value:` does not parse as the field's type.
  static Result<RowConverter> Create(const TargetMapping& target,
                                     const std::vector<std::string>& header,
                                     std::string_view mapping_path, std::string_view csv_path);

  // Converts `record` into `row`. Returns true on success. Otherwise returns false and appends
  // one error per problem to `errors`: a CSV problem or a wrong number of columns, a missing
  // external id, and each field whose text is required but empty or does not parse.
  bool Convert(const CsvRecord& record, ConvertedRow& row, std::vector<RowError>& errors) const;

  const TargetMapping& target() const { return *target_; }

 private:
  // A template or column source bound to header positions.
  struct TemplatePart {
    std::string literal;
    int column = -1;  // header index, or -1 for literal text
  };
  struct BoundSource {
    std::vector<TemplatePart> parts;
    int first_column = -1;  // for messages; -1 for constants
  };
  struct BoundField {
    const FieldMapping* mapping = nullptr;
    BoundSource source;
    cctz::time_zone zone;
  };

  RowConverter() = default;

  // Builds the normalised text of `source` for `record`, and the raw text for messages.
  std::string SourceText(const BoundSource& source, const NormalizeOptions& normalize,
                         const CsvRecord& record, std::string* raw) const;
  bool ConvertField(const BoundField& field, const CsvRecord& record, ConvertedRow& row,
                    std::vector<RowError>& errors) const;
  bool CheckShape(const CsvRecord& record, std::vector<RowError>& errors) const;

  const TargetMapping* target_ = nullptr;
  std::vector<std::string> header_;
  BoundSource external_id_;
  std::vector<BoundField> fields_;
};

}  // namespace salesradar::ingest
