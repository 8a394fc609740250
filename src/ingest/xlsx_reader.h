// XLSX workbooks (Office Open XML spreadsheets, ECMA-376) as rows of text, so that the CSV import
// pipeline can read what Excel saves without asking users to export CSV first.
//
// Only the first worksheet is read. Cells become text the way a user sees them in a CSV export:
// shared and inline strings as they are, numbers as stored (Excel's shortest round-trip form),
// booleans as TRUE or FALSE, error values as written (#N/A), and numbers whose cell style is a
// date or time format as "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" in the workbook's date system.
// Formulas give their cached value. Empty cells between filled ones become empty fields; empty
// rows are skipped.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace salesradar::ingest {

// Limits that bound memory and time for a hostile or broken file.
struct XlsxLimits {
  uint64_t max_part_bytes = uint64_t{512} << 20;  // uncompressed size of one XML part
  uint64_t max_shared_strings = 10'000'000;
  int64_t max_columns = 16'384;  // Excel's own limit (column XFD)
};

// Receives each non-empty row: its 1-based row number in the sheet and its cells, left to
// right, with empty strings for skipped columns. Returning an error stops the reading.
using XlsxRowHandler = std::function<Status(int64_t row_number, std::vector<std::string>& cells)>;

// Streams the rows of the first worksheet of the workbook at `path` to `on_row`. Returns
// kNotFound when the file cannot be opened, kInvalidArgument naming the file when it is not a
// ZIP archive, lacks a worksheet, holds malformed XML (with the part and line) or exceeds a
// limit, and the handler's error when it stops the reading.
Status ReadXlsx(const std::string& path, const XlsxRowHandler& on_row, const XlsxLimits& limits = {});

// Writes the first worksheet of `xlsx_path` as a UTF-8 CSV file (RFC 4180, CRLF line ends) at
// `csv_path` and returns the number of rows written. Errors as ReadXlsx, plus kUnavailable when
// the CSV file cannot be written.
Result<int64_t> ConvertXlsxToCsv(const std::string& xlsx_path, const std::string& csv_path,
                                 const XlsxLimits& limits = {});

// Returns the CSV form of one field: quoted when it contains a comma, a quote, CR or LF.
std::string CsvField(std::string_view text);

// Returns the 0-based column index of a cell reference such as "B7" or "AA12", or -1 when it
// starts with no column letters.
int64_t ColumnIndexOfCellReference(std::string_view reference);

// Formats an Excel serial date-time (days since the epoch of the workbook's date system, with
// the fraction of a day) as "YYYY-MM-DD", or "YYYY-MM-DD HH:MM:SS" when it has a time of day.
// `date1904` selects the 1904 date system of old Mac workbooks.
std::string FormatExcelSerial(double serial, bool date1904);

// Returns true when an Excel number format shows a date or time: the built-in ids 14 to 22,
// 27 to 36, 45 to 47 and 50 to 58, or a custom `format_code` with date or time letters outside
// quoted text and brackets.
bool IsDateFormat(int number_format_id, std::string_view format_code);

}  // namespace salesradar::ingest
