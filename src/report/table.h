// A plain-text table with columns aligned by display width, so that Chinese text lines up.
#pragma once

#include <string>
#include <vector>

namespace salesradar::report {

enum class Align { kLeft, kRight };

struct Column {
  std::string header;
  Align align = Align::kLeft;
};

// Collects rows and renders them as
//
//   阶段      商机数  金额
//   ------  ------  ------------
//   赢单      4,238  ¥1,234.00
//
// Columns are separated by two spaces; a rule of dashes follows the header and precedes rows
// added with AddRule(). Not thread-safe.
class Table {
 public:
  explicit Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

  // Appends a row. REQUIRES: cells.size() == number of columns.
  void AddRow(std::vector<std::string> cells);

  // Appends a rule of dashes across all columns, for example before a total row.
  void AddRule();

  // Returns the table, each line ending in '\n', with no trailing spaces.
  std::string Render() const;

 private:
  std::vector<size_t> ColumnWidths() const;
  std::string RenderLine(const std::vector<std::string>& cells,
                         const std::vector<size_t>& widths) const;

  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;  // an empty row stands for a rule
};

}  // namespace salesradar::report
