#include "ingest/csv_reader.h"

#include <fmt/format.h>

namespace salesradar::ingest {

CsvReader::CsvReader(TextSource& source, CsvOptions options) : source_(source), options_(options) {}

// Makes at least one unread byte available. Returns false when the input is exhausted.
Result<bool> CsvReader::Fill() {
  while (position_ >= buffer_.size()) {
    if (source_done_) {
      return false;
    }
    buffer_.clear();
    position_ = 0;
    SR_ASSIGN_OR_RETURN(size_t read, source_.Read(buffer_));
    if (read == 0) {
      source_done_ = true;
    }
  }
  return true;
}

// Consumes one line break at position_ (LF, CRLF or a lone CR) and counts the line.
Status CsvReader::ConsumeLineBreak() {
  char first = buffer_[position_++];
  ++line_;
  if (first == '\r') {
    SR_ASSIGN_OR_RETURN(bool more, Fill());
    if (more && buffer_[position_] == '\n') {
      ++position_;
    }
  }
  return OkStatus();
}

Result<bool> CsvReader::SkipEmptyLines() {
  while (true) {
    SR_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) {
      return false;
    }
    char c = buffer_[position_];
    if (c != '\n' && c != '\r') {
      return true;
    }
    SR_RETURN_IF_ERROR(ConsumeLineBreak());
  }
}

Status CsvReader::CheckRecordSize(const CsvRecord& record) const {
  if (record.data_.size() <= options_.max_record_bytes) {
    return OkStatus();
  }
  return InvalidArgument(
      fmt::format("从第 {} 行开始的记录超过 {} 字节，可能是某个引号没有闭合；请检查该行的引号",
                  record.line_, options_.max_record_bytes),
      fmt::format("the record starting on line {} is longer than {} bytes, probably because a "
                  "quote is never closed; check the quotes on that line",
                  record.line_, options_.max_record_bytes));
}

Result<CsvReader::FieldEnd> CsvReader::ReadUnquoted(CsvRecord& record) {
  const char delimiter = options_.delimiter;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) {
      return FieldEnd::kEndOfInput;
    }

    // Copy the run of ordinary bytes in one step.
    const char* begin = buffer_.data() + position_;
    const char* end = buffer_.data() + buffer_.size();
    const char* stop = begin;
    while (stop != end && *stop != delimiter && *stop != '\n' && *stop != '\r') {
      ++stop;
    }
    record.data_.append(begin, stop);
    position_ += static_cast<size_t>(stop - begin);
    SR_RETURN_IF_ERROR(CheckRecordSize(record));
    if (stop == end) {
      continue;
    }

    if (*stop == delimiter) {
      ++position_;
      return FieldEnd::kDelimiter;
    }
    SR_RETURN_IF_ERROR(ConsumeLineBreak());
    return FieldEnd::kRecordEnd;
  }
}

// Reads a quoted field; position_ is just past the opening quote.
Result<CsvReader::FieldEnd> CsvReader::ReadQuoted(CsvRecord& record) {
  const char quote = options_.quote;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) {
      record.SetProblem(CsvProblem::kUnterminatedQuote);
      return FieldEnd::kEndOfInput;
    }

    const char* begin = buffer_.data() + position_;
    const char* end = buffer_.data() + buffer_.size();
    const char* stop = begin;
    while (stop != end && *stop != quote && *stop != '\n' && *stop != '\r') {
      ++stop;
    }
    record.data_.append(begin, stop);
    position_ += static_cast<size_t>(stop - begin);
    SR_RETURN_IF_ERROR(CheckRecordSize(record));
    if (stop == end) {
      continue;
    }

    if (*stop != quote) {
      // A line break inside the field: keep it as LF whatever the file uses.
      record.data_.push_back('\n');
      SR_RETURN_IF_ERROR(ConsumeLineBreak());
      continue;
    }

    // A quote either doubles (a literal quote) or closes the field.
    ++position_;
    SR_ASSIGN_OR_RETURN(bool after, Fill());
    if (!after) {
      return FieldEnd::kEndOfInput;
    }
    char next = buffer_[position_];
    if (next == quote) {
      record.data_.push_back(quote);
      ++position_;
      continue;
    }
    if (next == options_.delimiter) {
      ++position_;
      return FieldEnd::kDelimiter;
    }
    if (next == '\n' || next == '\r') {
      SR_RETURN_IF_ERROR(ConsumeLineBreak());
      return FieldEnd::kRecordEnd;
    }
    // Text after the closing quote: report it, and keep the text so the record stays aligned.
    record.SetProblem(CsvProblem::kTextAfterQuote);
    return ReadUnquoted(record);
  }
}

Result<bool> CsvReader::Next(CsvRecord& record) {
  record.Clear();
  SR_ASSIGN_OR_RETURN(bool more, SkipEmptyLines());
  if (!more) {
    return false;
  }
  record.line_ = line_;

  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_byte, Fill());
    FieldEnd end = FieldEnd::kEndOfInput;
    if (has_byte && buffer_[position_] == options_.quote) {
      ++position_;
      SR_ASSIGN_OR_RETURN(end, ReadQuoted(record));
    } else if (has_byte) {
      SR_ASSIGN_OR_RETURN(end, ReadUnquoted(record));
    }
    record.EndField();

    if (end != FieldEnd::kDelimiter) {
      return true;
    }
  }
}

}  // namespace salesradar::ingest
