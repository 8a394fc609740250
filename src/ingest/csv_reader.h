// A streaming CSV reader (RFC 4180) that keeps each record's line number in the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "ingest/text_source.h"

namespace salesradar::ingest {

struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  // A record longer than this ends reading with an error. It bounds memory when a quote is
  // never closed in a large file.
  size_t max_record_bytes = size_t{16} << 20;
};

// The problem of a malformed record that the reader returns anyway.
enum class CsvProblem {
  kNone,
  kUnterminatedQuote,  // the file ended inside a quoted field, usually a truncated last line
  kTextAfterQuote,     // characters between a closing quote and the next delimiter
};

// One record of a CSV file: its fields and the line on which it starts.
class CsvRecord {
 public:
  // 1-based line number in the file where the record starts.
  int64_t line() const { return line_; }
  size_t size() const { return ends_.size(); }
  // REQUIRES: index < size(). The view is valid until the record is read into again.
  std::string_view field(size_t index) const {
    size_t begin = index == 0 ? 0 : ends_[index - 1];
    return std::string_view(data_.data() + begin, ends_[index] - begin);
  }
  CsvProblem problem() const { return problem_; }
  // 0-based field index where the problem was found; meaningful when problem() != kNone.
  size_t problem_field() const { return problem_field_; }

 private:
  friend class CsvReader;

  void Clear() {
    data_.clear();
    ends_.clear();
    problem_ = CsvProblem::kNone;
    problem_field_ = 0;
  }
  void EndField() { ends_.push_back(data_.size()); }
  void SetProblem(CsvProblem problem) {
    if (problem_ == CsvProblem::kNone) {
      problem_ = problem;
      problem_field_ = ends_.size();
    }
  }

  int64_t line_ = 0;
  std::string data_;          // the fields' bytes, one after the other
  std::vector<size_t> ends_;  // end offset of each field in data_
  CsvProblem problem_ = CsvProblem::kNone;
  size_t problem_field_ = 0;
};

// Reads records one at a time from a TextSource, with memory bounded by the source's chunk
// size and the longest record. Not thread-safe.
//
// Accepted input: fields separated by the delimiter, records ended by CRLF, LF or a lone CR;
// quoted fields may contain delimiters, line breaks and doubled quotes. Line breaks inside
// quoted fields are returned as LF. A quote inside an unquoted field is kept as text. Empty
// lines are skipped. Fields are not trimmed.
class CsvReader {
 public:
  // `source` must outlive the reader.
  CsvReader(TextSource& source, CsvOptions options = {});

  // Reads the next record into `record`. Returns false at the end of the input. A malformed
  // record (see CsvProblem) is returned with its problem set, and reading can go on. Returns
  // the source's error when reading or decoding fails, and kInvalidArgument when a record is
  // longer than options.max_record_bytes; reading must stop after an error.
  Result<bool> Next(CsvRecord& record);

  // Number of the line that the reader will read next (1-based).
  int64_t line() const { return line_; }

 private:
  enum class FieldEnd { kDelimiter, kRecordEnd, kEndOfInput };

  Result<bool> Fill();
  Result<bool> SkipEmptyLines();
  Status ConsumeLineBreak();
  Result<FieldEnd> ReadUnquoted(CsvRecord& record);
  Result<FieldEnd> ReadQuoted(CsvRecord& record);
  Status CheckRecordSize(const CsvRecord& record) const;

  TextSource& source_;
  CsvOptions options_;
  std::string buffer_;
  size_t position_ = 0;
  bool source_done_ = false;
  int64_t line_ = 1;
};

}  // namespace salesradar::ingest
