#include "report/table.h"

#include <algorithm>
#include <cassert>

#include "report/text_width.h"

namespace salesradar::report {

void Table::AddRow(std::vector<std::string> cells) {
  assert(cells.size() == columns_.size());
  rows_.push_back(std::move(cells));
}

void Table::AddRule() { rows_.emplace_back(); }

std::vector<size_t> Table::ColumnWidths() const {
  std::vector<size_t> widths;
  for (const Column& column : columns_) {
    widths.push_back(DisplayWidth(column.header));
  }
  for (const auto& row : rows_) {
    for (size_t i = 0; i < row.size(); ++i) {
      widths[i] = std::max(widths[i], DisplayWidth(row[i]));
    }
  }
  return widths;
}

std::string Table::RenderLine(const std::vector<std::string>& cells,
                              const std::vector<size_t>& widths) const {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) {
      line += "  ";
    }
    line += columns_[i].align == Align::kRight ? PadLeft(cells[i], widths[i])
                                               : PadRight(cells[i], widths[i]);
  }

  // Left-aligned last cells leave padding at the end of the line.
  while (!line.empty() && line.back() == ' ') {
    line.pop_back();
  }
  line += '\n';
  return line;
}

std::string Table::Render() const {
  std::vector<size_t> widths = ColumnWidths();

  std::vector<std::string> headers;
  std::vector<std::string> rule;
  for (size_t i = 0; i < columns_.size(); ++i) {
    headers.push_back(columns_[i].header);
    rule.emplace_back(widths[i], '-');
  }

  std::string out = RenderLine(headers, widths);
  out += RenderLine(rule, widths);
  for (const auto& row : rows_) {
    out += RenderLine(row.empty() ? rule : row, widths);
  }
  return out;
}

}  // namespace salesradar::report
