#include "ingest/xlsx_reader.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>

#include <cctz/civil_time.h>
#include <expat.h>
#include <fmt/format.h>
#include <zip.h>

namespace salesradar::ingest {
namespace {

constexpr size_t kReadChunk = 64 << 10;

std::string_view LocalName(const XML_Char* name) {
  std::string_view full(name);
  size_t colon = full.rfind(':');
  return colon == std::string_view::npos ? full : full.substr(colon + 1);
}

// Returns the attribute `name` of an element, matched by local name, or nullptr.
const XML_Char* Attribute(const XML_Char** attributes, std::string_view name) {
  for (size_t i = 0; attributes[i] != nullptr; i += 2) {
    if (LocalName(attributes[i]) == name) return attributes[i + 1];
  }
  return nullptr;
}

Error FileError(const std::string& path, std::string_view zh, std::string_view en) {
  return InvalidArgument(fmt::format("XLSX 文件 '{}'：{}", path, zh), fmt::format("XLSX file '{}': {}", path, en));
}

// The SAX callbacks of one XML part.
class PartHandler {
 public:
  virtual ~PartHandler() = default;
  virtual void Start(std::string_view name, const XML_Char** attributes) = 0;
  virtual void End(std::string_view name) = 0;
  virtual void Text(std::string_view text) = 0;
  // An error the handler found; the parse stops at the next callback.
  std::optional<Error> failure;
};

class ZipArchive {
 public:
  static Result<std::unique_ptr<ZipArchive>> Open(const std::string& path) {
    std::FILE* probe = std::fopen(path.c_str(), "rb");
    if (probe == nullptr) {
      return NotFound(fmt::format("无法打开文件 '{}'", path), fmt::format("cannot open file '{}'", path));
    }
    std::fclose(probe);

    int code = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &code);
    if (archive == nullptr) {
      return FileError(path, "不是有效的 XLSX（ZIP）文件；请在 Excel 中另存为 .xlsx 或 CSV 后重试",
                       "is not a valid XLSX (ZIP) file; save it again as .xlsx or CSV in Excel");
    }
    return std::unique_ptr<ZipArchive>(new ZipArchive(archive, path));
  }
  ~ZipArchive() { zip_discard(archive_); }

  bool Has(const std::string& part) const { return zip_name_locate(archive_, part.c_str(), 0) >= 0; }

  // Streams the part through an expat parser into `handler`.
  Status Parse(const std::string& part, PartHandler& handler, const XlsxLimits& limits) {
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat(archive_, part.c_str(), 0, &stat) != 0) {
      return FileError(path_, fmt::format("缺少部件 {}", part), fmt::format("part {} is missing", part));
    }
    if ((stat.valid & ZIP_STAT_SIZE) != 0 && stat.size > limits.max_part_bytes) {
      return TooLarge(part, limits);
    }
    zip_file_t* file = zip_fopen(archive_, part.c_str(), 0);
    if (file == nullptr) {
      return FileError(path_, fmt::format("无法读取部件 {}", part), fmt::format("cannot read part {}", part));
    }
    std::unique_ptr<zip_file_t, int (*)(zip_file_t*)> closer(file, zip_fclose);

    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate("UTF-8"), XML_ParserFree);
    XML_SetUserData(parser.get(), &handler);
    XML_SetElementHandler(parser.get(), OnStart, OnEnd);
    XML_SetCharacterDataHandler(parser.get(), OnText);
    // Workbooks have no document type declaration; refusing one rules out entity expansion.
    XML_SetStartDoctypeDeclHandler(parser.get(), OnDoctype);

    std::string buffer(kReadChunk, '\0');
    uint64_t total = 0;
    while (true) {
      zip_int64_t read = zip_fread(file, buffer.data(), buffer.size());
      if (read < 0) {
        return FileError(path_, fmt::format("部件 {} 解压失败，文件可能已损坏", part),
                         fmt::format("part {} cannot be decompressed; the file may be damaged", part));
      }
      total += static_cast<uint64_t>(read);
      if (total > limits.max_part_bytes) return TooLarge(part, limits);

      bool last = read == 0;
      if (XML_Parse(parser.get(), buffer.data(), static_cast<int>(read), last ? 1 : 0) != XML_STATUS_OK) {
        if (handler.failure) return *handler.failure;
        int line = static_cast<int>(XML_GetCurrentLineNumber(parser.get()));
        std::string reason = XML_ErrorString(XML_GetErrorCode(parser.get()));
        return FileError(path_, fmt::format("部件 {} 第 {} 行的 XML 无效（{}）", part, line, reason),
                         fmt::format("part {} has invalid XML at line {} ({})", part, line, reason));
      }
      if (handler.failure) return *handler.failure;
      if (last) return OkStatus();
    }
  }

  const std::string& path() const { return path_; }

 private:
  ZipArchive(zip_t* archive, std::string path) : archive_(archive), path_(std::move(path)) {}

  Error TooLarge(const std::string& part, const XlsxLimits& limits) const {
    return FileError(path_,
                     fmt::format("部件 {} 解压后超过 {} 字节；请拆分工作簿或导出为 CSV", part, limits.max_part_bytes),
                     fmt::format("part {} is larger than {} bytes uncompressed; split the workbook or export CSV",
                                 part, limits.max_part_bytes));
  }

  static void OnStart(void* data, const XML_Char* name, const XML_Char** attributes) {
    auto* handler = static_cast<PartHandler*>(data);
    if (!handler->failure) handler->Start(LocalName(name), attributes);
  }
  static void OnEnd(void* data, const XML_Char* name) {
    auto* handler = static_cast<PartHandler*>(data);
    if (!handler->failure) handler->End(LocalName(name));
  }
  static void OnText(void* data, const XML_Char* text, int length) {
    auto* handler = static_cast<PartHandler*>(data);
    if (!handler->failure) handler->Text(std::string_view(text, static_cast<size_t>(length)));
  }
  static void OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
    auto* handler = static_cast<PartHandler*>(data);
    handler->failure = InvalidArgument("XLSX 部件含有 DOCTYPE 声明，已拒绝", "an XLSX part has a DOCTYPE declaration, which is rejected");
  }

  zip_t* archive_;
  std::string path_;
};

// xl/workbook.xml: the date system and the relationship id of the first sheet.
class WorkbookHandler : public PartHandler {
 public:
  bool date1904 = false;
  std::string first_sheet_relationship;

  void Start(std::string_view name, const XML_Char** attributes) override {
    if (name == "workbookPr") {
      const XML_Char* value = Attribute(attributes, "date1904");
      date1904 = value != nullptr && (std::string_view(value) == "1" || std::string_view(value) == "true");
    } else if (name == "sheet" && first_sheet_relationship.empty()) {
      if (const XML_Char* id = Attribute(attributes, "id")) first_sheet_relationship = id;
    }
  }
  void End(std::string_view) override {}
  void Text(std::string_view) override {}
};

// xl/_rels/workbook.xml.rels: relationship id -> target part.
class RelationshipsHandler : public PartHandler {
 public:
  std::map<std::string, std::string> targets;

  void Start(std::string_view name, const XML_Char** attributes) override {
    if (name != "Relationship") return;
    const XML_Char* id = Attribute(attributes, "Id");
    const XML_Char* target = Attribute(attributes, "Target");
    if (id != nullptr && target != nullptr) targets[id] = target;
  }
  void End(std::string_view) override {}
  void Text(std::string_view) override {}
};

// xl/styles.xml: which cell style indexes (the `s` attribute of a cell) show dates.
class StylesHandler : public PartHandler {
 public:
  std::vector<bool> date_styles;

  void Start(std::string_view name, const XML_Char** attributes) override {
    if (name == "numFmt") {
      const XML_Char* id = Attribute(attributes, "numFmtId");
      const XML_Char* code = Attribute(attributes, "formatCode");
      if (id != nullptr && code != nullptr) custom_formats_[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_cell_formats_ = true;
    } else if (name == "xf" && in_cell_formats_) {
      const XML_Char* id = Attribute(attributes, "numFmtId");
      int format_id = id == nullptr ? 0 : std::atoi(id);
      auto custom = custom_formats_.find(format_id);
      date_styles.push_back(IsDateFormat(format_id, custom == custom_formats_.end() ? "" : custom->second));
    }
  }
  void End(std::string_view name) override {
    if (name == "cellXfs") in_cell_formats_ = false;
  }
  void Text(std::string_view) override {}

 private:
  std::map<int, std::string> custom_formats_;
  bool in_cell_formats_ = false;
};

// xl/sharedStrings.xml: the text of each <si>, phonetic runs (<rPh>) left out.
class SharedStringsHandler : public PartHandler {
 public:
  explicit SharedStringsHandler(const XlsxLimits& limits) : limits_(limits) {}

  std::vector<std::string> strings;

  void Start(std::string_view name, const XML_Char**) override {
    if (name == "si") {
      if (strings.size() >= limits_.max_shared_strings) {
        failure = InvalidArgument("XLSX 共享字符串过多", "the XLSX file has too many shared strings");
        return;
      }
      strings.emplace_back();
      in_item_ = true;
    } else if (name == "rPh") {
      in_phonetic_ = true;
    } else if (name == "t") {
      in_text_ = in_item_ && !in_phonetic_;
    }
  }
  void End(std::string_view name) override {
    if (name == "si") in_item_ = false;
    if (name == "rPh") in_phonetic_ = false;
    if (name == "t") in_text_ = false;
  }
  void Text(std::string_view text) override {
    if (in_text_) strings.back().append(text);
  }

 private:
  const XlsxLimits& limits_;
  bool in_item_ = false;
  bool in_phonetic_ = false;
  bool in_text_ = false;
};

// A worksheet part: cells collected per row and handed to the row handler.
class SheetHandler : public PartHandler {
 public:
  SheetHandler(const std::vector<std::string>& shared, const std::vector<bool>& date_styles, bool date1904,
               const XlsxLimits& limits, const XlsxRowHandler& on_row)
      : shared_(shared), date_styles_(date_styles), date1904_(date1904), limits_(limits), on_row_(on_row) {}

  void Start(std::string_view name, const XML_Char** attributes) override {
    if (name == "row") {
      const XML_Char* number = Attribute(attributes, "r");
      row_number_ = number != nullptr ? std::atoll(number) : row_number_ + 1;
      cells_.clear();
      next_column_ = 0;
    } else if (name == "c") {
      StartCell(attributes);
    } else if ((name == "v" || name == "t") && in_cell_) {
      in_value_ = true;
    }
  }

  void End(std::string_view name) override {
    if (name == "v" || name == "t") {
      in_value_ = false;
    } else if (name == "c" && in_cell_) {
      EndCell();
    } else if (name == "row") {
      EndRow();
    }
  }

  void Text(std::string_view text) override {
    if (in_value_) value_.append(text);
  }

 private:
  void StartCell(const XML_Char** attributes) {
    in_cell_ = true;
    value_.clear();
    const XML_Char* reference = Attribute(attributes, "r");
    column_ = reference != nullptr ? ColumnIndexOfCellReference(reference) : next_column_;
    if (column_ < 0) column_ = next_column_;
    const XML_Char* type = Attribute(attributes, "t");
    type_ = type != nullptr ? type : "n";
    const XML_Char* style = Attribute(attributes, "s");
    style_ = style != nullptr ? std::atoi(style) : 0;
  }

  void EndCell() {
    in_cell_ = false;
    if (column_ >= limits_.max_columns) {
      failure = InvalidArgument(fmt::format("XLSX 第 {} 行的列数超过 {}", row_number_, limits_.max_columns),
                                fmt::format("XLSX row {} has more than {} columns", row_number_, limits_.max_columns));
      return;
    }
    next_column_ = column_ + 1;
    std::string text = CellText();
    if (text.empty()) return;
    if (cells_.size() <= static_cast<size_t>(column_)) cells_.resize(static_cast<size_t>(column_) + 1);
    cells_[static_cast<size_t>(column_)] = std::move(text);
  }

  std::string CellText() const {
    if (type_ == "s") {
      size_t index = static_cast<size_t>(std::strtoull(value_.c_str(), nullptr, 10));
      return index < shared_.size() ? shared_[index] : std::string();
    }
    if (type_ == "b") return value_ == "1" ? "TRUE" : "FALSE";
    if (type_ == "n" && !value_.empty() && style_ >= 0 && static_cast<size_t>(style_) < date_styles_.size() &&
        date_styles_[static_cast<size_t>(style_)]) {
      double serial = 0;
      auto [end, error] = std::from_chars(value_.data(), value_.data() + value_.size(), serial);
      if (error == std::errc() && end == value_.data() + value_.size()) return FormatExcelSerial(serial, date1904_);
    }
    return value_;  // numbers, inline strings, formula strings, errors
  }

  void EndRow() {
    if (cells_.empty()) return;
    Status handled = on_row_(row_number_, cells_);
    if (!handled.ok()) failure = handled.error();
  }

  const std::vector<std::string>& shared_;
  const std::vector<bool>& date_styles_;
  bool date1904_;
  const XlsxLimits& limits_;
  const XlsxRowHandler& on_row_;

  int64_t row_number_ = 0;
  std::vector<std::string> cells_;
  int64_t next_column_ = 0;
  bool in_cell_ = false;
  bool in_value_ = false;
  int64_t column_ = 0;
  std::string type_;
  int style_ = 0;
  std::string value_;
};

// Resolves a relationship target of the workbook ("worksheets/sheet1.xml" or
// "/xl/worksheets/sheet1.xml") to a part name inside the archive.
std::string PartOfTarget(const std::string& target) {
  if (!target.empty() && target.front() == '/') return target.substr(1);
  return "xl/" + target;
}

Result<std::string> FirstSheetPart(ZipArchive& archive, const WorkbookHandler& workbook, const XlsxLimits& limits) {
  const std::string rels = "xl/_rels/workbook.xml.rels";
  if (!workbook.first_sheet_relationship.empty() && archive.Has(rels)) {
    RelationshipsHandler relationships;
    SR_RETURN_IF_ERROR(archive.Parse(rels, relationships, limits));
    auto target = relationships.targets.find(workbook.first_sheet_relationship);
    if (target != relationships.targets.end() && archive.Has(PartOfTarget(target->second))) {
      return PartOfTarget(target->second);
    }
  }
  if (archive.Has("xl/worksheets/sheet1.xml")) return std::string("xl/worksheets/sheet1.xml");
  return FileError(archive.path(), "找不到工作表；请确认文件是 Excel 工作簿",
                   "has no worksheet; check that the file is an Excel workbook");
}

}  // namespace

int64_t ColumnIndexOfCellReference(std::string_view reference) {
  int64_t column = 0;
  size_t letters = 0;
  for (char c : reference) {
    if (c < 'A' || c > 'Z') break;
    column = column * 26 + (c - 'A' + 1);
    ++letters;
    if (letters > 3) return -1;
  }
  return letters == 0 ? -1 : column - 1;
}

std::string FormatExcelSerial(double serial, bool date1904) {
  double whole_days = std::floor(serial);
  auto seconds = static_cast<int64_t>(std::llround((serial - whole_days) * 86400.0));
  auto days = static_cast<int64_t>(whole_days);
  if (seconds >= 86400) {
    seconds -= 86400;
    ++days;
  }

  // The 1900 system counts a 29 February 1900 that never was (serial 60), as Lotus 1-2-3 did,
  // so serials from 61 on count from 1899-12-30 and the ones before from 1899-12-31.
  cctz::civil_day epoch = date1904 ? cctz::civil_day(1904, 1, 1)
                                   : (days >= 61 ? cctz::civil_day(1899, 12, 30) : cctz::civil_day(1899, 12, 31));
  cctz::civil_day day = epoch + days;
  std::string date = fmt::format("{:04}-{:02}-{:02}", day.year(), day.month(), day.day());
  if (seconds == 0) return date;
  std::string time = fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (days == 0 && !date1904) return time;  // a time of day without a date
  return date + " " + time;
}

bool IsDateFormat(int number_format_id, std::string_view format_code) {
  if ((number_format_id >= 14 && number_format_id <= 22) || (number_format_id >= 27 && number_format_id <= 36) ||
      (number_format_id >= 45 && number_format_id <= 47) || (number_format_id >= 50 && number_format_id <= 58)) {
    return true;
  }
  bool quoted = false;
  int bracket_depth = 0;
  for (size_t i = 0; i < format_code.size(); ++i) {
    char c = format_code[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (quoted) {
      continue;
    } else if (c == '\\' || c == '_' || c == '*') {
      ++i;  // the next character is literal or a fill
    } else if (c == '[') {
      ++bracket_depth;
    } else if (c == ']') {
      bracket_depth = std::max(0, bracket_depth - 1);
    } else if (bracket_depth == 0) {
      char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      if (lower == 'y' || lower == 'm' || lower == 'd' || lower == 'h' || lower == 's') return true;
    }
  }
  return false;
}

Status ReadXlsx(const std::string& path, const XlsxRowHandler& on_row, const XlsxLimits& limits) {
  SR_ASSIGN_OR_RETURN(std::unique_ptr<ZipArchive> archive, ZipArchive::Open(path));
  if (!archive->Has("xl/workbook.xml")) {
    return FileError(path, "缺少 xl/workbook.xml，不是 Excel 工作簿", "lacks xl/workbook.xml, so it is no Excel workbook");
  }

  WorkbookHandler workbook;
  SR_RETURN_IF_ERROR(archive->Parse("xl/workbook.xml", workbook, limits));
  SR_ASSIGN_OR_RETURN(std::string sheet_part, FirstSheetPart(*archive, workbook, limits));

  StylesHandler styles;
  if (archive->Has("xl/styles.xml")) SR_RETURN_IF_ERROR(archive->Parse("xl/styles.xml", styles, limits));
  SharedStringsHandler shared(limits);
  if (archive->Has("xl/sharedStrings.xml")) {
    SR_RETURN_IF_ERROR(archive->Parse("xl/sharedStrings.xml", shared, limits));
  }

  SheetHandler sheet(shared.strings, styles.date_styles, workbook.date1904, limits, on_row);
  return archive->Parse(sheet_part, sheet, limits);
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

Result<int64_t> ConvertXlsxToCsv(const std::string& xlsx_path, const std::string& csv_path,
                                 const XlsxLimits& limits) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> out(std::fopen(csv_path.c_str(), "wb"), std::fclose);
  if (out == nullptr) {
    return Unavailable(fmt::format("无法写入文件 '{}'", csv_path), fmt::format("cannot write file '{}'", csv_path));
  }

  int64_t rows = 0;
  size_t width = 0;  // the header's width; later rows are padded to it
  std::string line;
  Status read = ReadXlsx(
      xlsx_path,
      [&](int64_t, std::vector<std::string>& cells) -> Status {
        if (rows == 0) width = cells.size();
        if (cells.size() < width) cells.resize(width);
        line.clear();
        for (size_t i = 0; i < cells.size(); ++i) {
          if (i > 0) line += ',';
          line += CsvField(cells[i]);
        }
        line += "\r\n";
        if (std::fwrite(line.data(), 1, line.size(), out.get()) != line.size()) {
          return Unavailable(fmt::format("写入文件 '{}' 失败", csv_path), fmt::format("writing file '{}' failed", csv_path));
        }
        ++rows;
        return OkStatus();
      },
      limits);
  SR_RETURN_IF_ERROR(read);
  if (std::fflush(out.get()) != 0) {
    return Unavailable(fmt::format("写入文件 '{}' 失败", csv_path), fmt::format("writing file '{}' failed", csv_path));
  }
  return rows;
}

}  // namespace salesradar::ingest
