#include "ingest/row_converter.h"

#include <algorithm>

#include <fmt/format.h>

#include "ingest/encoding.h"
#include "ingest/suggest.h"
#include "ingest/value_convert.h"

namespace salesradar::ingest {
namespace {

constexpr size_t kMaxShownValueBytes = 100;

// Cuts `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view CutUtf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) {
    return text;
  }
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return text.substr(0, end);
}

std::string ShowValue(std::string_view value) {
  std::string_view cut = CutUtf8(value, kMaxShownValueBytes);
  std::string out;
  for (char c : cut) {
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else {
      out += c;
    }
  }
  if (cut.size() < value.size()) {
    out += "...";
  }
  return out;
}

RowError MakeError(int64_t line, std::string column, std::string_view value, const Error& reason) {
  return RowError{line, std::move(column), std::string(value),
                  LocalizedText{reason.message_zh(), reason.message_en()}};
}

Error MappingError(std::string_view mapping_path, int line, std::string_view zh,
                   std::string_view en) {
  return InvalidArgument(fmt::format("{}:{}: {}", mapping_path, line, zh),
                         fmt::format("{}:{}: {}", mapping_path, line, en));
}

}  // namespace

std::string FormatRowError(std::string_view file, const RowError& error, Locale locale) {
  std::string out = fmt::format("{}:{}: ", file, error.line);
  if (!error.column.empty()) {
    out += fmt::format("column '{}': ", error.column);
  }
  out += error.reason.in(locale);
  if (!error.column.empty()) {
    out += fmt::format(" (value '{}')", ShowValue(error.value));
  }
  return out;
}

Result<RowConverter> RowConverter::Create(const TargetMapping& target,
                                          const std::vector<std::string>& header,
                                          std::string_view mapping_path,
                                          std::string_view csv_path) {
  RowConverter converter;
  converter.target_ = &target;
  converter.header_ = header;

  // Finds a column of the header, or explains which one is missing.
  auto bind = [&](const ValueSource& source, int line) -> Result<BoundSource> {
    BoundSource bound;
    if (source.kind == ValueSource::Kind::kConstant) {
      bound.parts.push_back({source.text, -1});
      return bound;
    }
    std::vector<std::string> columns = source.columns;
    std::string_view rest = source.text;
    for (const std::string& column : columns) {
      auto found = std::find(header.begin(), header.end(), column);
      if (found == header.end()) {
        std::string nearest = NearestName(column, header);
        std::string hint_zh = nearest.empty() ? "" : fmt::format("，是否想写 '{}'", nearest);
        std::string hint_en = nearest.empty() ? "" : fmt::format("; did you mean '{}'?", nearest);
        return MappingError(mapping_path, line,
                            fmt::format("列 '{}' 不在 {} 的表头中{}；表头：{}", column, csv_path,
                                        hint_zh, JoinNames(header)),
                            fmt::format("column '{}' is not in the header of {}{} (header: {})",
                                        column, csv_path, hint_en, JoinNames(header)));
      }
      if (std::count(header.begin(), header.end(), column) > 1) {
        return MappingError(
            mapping_path, line,
            fmt::format("列 '{}' 在 {} 的表头中出现了不止一次；请改掉重复的列名", column, csv_path),
            fmt::format("column '{}' appears more than once in the header of {}; "
                        "rename the duplicate",
                        column, csv_path));
      }
      int index = static_cast<int>(found - header.begin());
      if (bound.first_column < 0) {
        bound.first_column = index;
      }
      if (source.kind == ValueSource::Kind::kColumn) {
        bound.parts.push_back({"", index});
        continue;
      }
      // Template: the literal text before this placeholder, then the placeholder.
      size_t open = rest.find('{');
      bound.parts.push_back({std::string(rest.substr(0, open)), -1});
      bound.parts.push_back({"", index});
      rest.remove_prefix(rest.find('}', open) + 1);
    }
    if (!rest.empty() && source.kind == ValueSource::Kind::kTemplate) {
      bound.parts.push_back({std::string(rest), -1});
    }
    return bound;
  };

  SR_ASSIGN_OR_RETURN(converter.external_id_, bind(target.external_id, target.line));
  for (const FieldMapping& field : target.fields) {
    BoundField bound;
    bound.mapping = &field;
    SR_ASSIGN_OR_RETURN(bound.source, bind(field.source, field.line));
    if (field.type == model::FieldType::kTimestamp) {
      cctz::load_time_zone(field.time_zone, &bound.zone);  // checked when the mapping loaded
    }

    // A constant must parse now, so that a typo fails before the first row.
    bool is_constant = field.source.kind == ValueSource::Kind::kConstant;
    if (is_constant && field.type != model::FieldType::kReference && !field.source.text.empty()) {
      Result<model::Value> value = ParseFieldValue(field, bound.zone, field.source.text);
      if (!value.ok()) {
        return MappingError(mapping_path, field.line,
                            fmt::format("字段 '{}' 的常量 '{}'：{}", field.field, field.source.text,
                                        value.error().message_zh()),
                            fmt::format("constant '{}' of field '{}': {}", field.source.text,
                                        field.field, value.error().message_en()));
      }
    }
    converter.fields_.push_back(std::move(bound));
  }
  return converter;
}

std::string RowConverter::SourceText(const BoundSource& source, const NormalizeOptions& normalize,
                                     const CsvRecord& record, std::string* raw) const {
  // The common case: one column.
  if (source.parts.size() == 1 && source.parts[0].column >= 0) {
    std::string_view cell = record.field(static_cast<size_t>(source.parts[0].column));
    raw->assign(cell);
    return NormalizeValue(cell, normalize);
  }

  // A template or a constant. A template with an empty placeholder is empty as a whole, so
  // that "region:{office}" with no office is a missing value and not "region:".
  std::string text;
  bool placeholder_empty = false;
  raw->clear();
  for (const TemplatePart& part : source.parts) {
    if (part.column < 0) {
      text += part.literal;
      *raw += part.literal;
      continue;
    }
    std::string_view cell = record.field(static_cast<size_t>(part.column));
    *raw += cell;
    std::string value = NormalizeValue(cell, normalize);
    placeholder_empty = placeholder_empty || value.empty();
    text += value;
  }
  return placeholder_empty ? std::string() : text;
}

bool RowConverter::CheckShape(const CsvRecord& record, std::vector<RowError>& errors) const {
  int64_t line = record.line();
  switch (record.problem()) {
    case CsvProblem::kNone: break;
    case CsvProblem::kUnterminatedQuote:
      errors.push_back(
          RowError{line,
                   "",
                   "",
                   {"引号没有闭合就到了文件末尾，最后一行可能被截断；请补全该行或删掉它",
                    "a quoted field is not closed before the end of the file, so the last line is "
                    "probably truncated; complete the line or delete it"}});
      return false;
    case CsvProblem::kTextAfterQuote: {
      size_t index = std::min(record.problem_field(), header_.size() - 1);
      errors.push_back(RowError{
          line,
          header_[index],
          std::string(record.field(std::min(record.problem_field(), record.size() - 1))),
          {"右引号后面还有文字；请把整个值放在引号里，值中的引号写成两个 \"\"",
           "text follows the closing quote; quote the whole value and double any quote inside "
           "it"}});
      return false;
    }
  }

  if (record.size() != header_.size()) {
    errors.push_back(
        RowError{line,
                 "",
                 "",
                 {fmt::format("应有 {} 列（与表头相同），实际有 {} 列；请检查未加引号的逗号",
                              header_.size(), record.size()),
                  fmt::format("expected {} columns as in the header, found {}; check for unquoted "
                              "commas",
                              header_.size(), record.size())}});
    return false;
  }
  return true;
}

bool RowConverter::ConvertField(const BoundField& field, const CsvRecord& record, ConvertedRow& row,
                                std::vector<RowError>& errors) const {
  const FieldMapping& mapping = *field.mapping;
  std::string raw;
  std::string text = SourceText(field.source, mapping.normalize, record, &raw);
  std::string column = field.source.first_column >= 0
                           ? header_[static_cast<size_t>(field.source.first_column)]
                           : mapping.field;

  if (std::find(mapping.null_values.begin(), mapping.null_values.end(), text) !=
      mapping.null_values.end()) {
    text.clear();
  }
  if (auto replacement = mapping.value_map.find(text); replacement != mapping.value_map.end()) {
    text = replacement->second;
  }

  if (mapping.type == model::FieldType::kReference) {
    row.references.push_back(PendingReference{&mapping, std::move(text), std::move(column)});
    return true;
  }

  model::FieldMap& target = mapping.custom ? row.record.custom_fields : row.record.fields;
  if (text.empty()) {
    if (mapping.required) {
      errors.push_back(
          MakeError(record.line(), column, raw,
                    InvalidArgument(fmt::format("缺少必填的 {}", mapping.field),
                                    fmt::format("required {} is missing", mapping.field))));
      return false;
    }
    target[mapping.field] = model::Null{};
    return true;
  }

  Result<model::Value> value = ParseFieldValue(mapping, field.zone, text);
  if (!value.ok()) {
    errors.push_back(MakeError(record.line(), column, raw, value.error()));
    return false;
  }
  target[mapping.field] = std::move(value).value();
  return true;
}

bool RowConverter::Convert(const CsvRecord& record, ConvertedRow& row,
                           std::vector<RowError>& errors) const {
  row.line = record.line();
  row.record = model::Record{target_->entity, {}, {}, {}};
  row.references.clear();
  if (!CheckShape(record, errors)) {
    return false;
  }

  bool ok = true;
  std::string raw;
  row.record.external_id = SourceText(external_id_, target_->external_id_normalize, record, &raw);
  if (row.record.external_id.empty()) {
    std::string column = external_id_.first_column >= 0
                             ? header_[static_cast<size_t>(external_id_.first_column)]
                             : std::string("external_id");
    errors.push_back(RowError{record.line(),
                              column,
                              raw,
                              {"外部 id 为空；每一行都需要唯一的 id",
                               "the external id is empty; every row needs a unique id"}});
    ok = false;
  }

  for (const BoundField& field : fields_) {
    ok = ConvertField(field, record, row, errors) && ok;
  }
  return ok;
}

}  // namespace salesradar::ingest
