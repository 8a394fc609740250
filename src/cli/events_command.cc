// `salesradar events import --mapping MAPPING.yaml FILE.csv`: appends CSV rows to the event log
// that the rules engine and `salesradar backtest` read. Appends are idempotent by event id.
#include <charconv>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/event_mapping.h"
#include "cli/rules_support.h"
#include "common/logging.h"
#include "ingest/csv_reader.h"
#include "ingest/text_source.h"
#include "rules/event.h"
#include "store/store.h"

namespace salesradar::cli {
namespace {

constexpr size_t kBatchSize = 5000;
constexpr int kPrintedRejections = 10;

struct EventsFlags {
  std::string mapping;
  std::string file;
};

// Column positions of the mapping's columns in the CSV header.
struct ColumnIndex {
  std::map<std::string, size_t> by_name;

  Result<size_t> Find(const std::string& column, const std::string& file) const {
    auto it = by_name.find(column);
    if (it != by_name.end()) return it->second;
    return InvalidArgument("CSV 文件 '" + file + "' 没有映射文件所需的列 '" + column + "'；请检查表头或映射文件",
                           "CSV file '" + file + "' has no column '" + column + "' that the mapping needs; check "
                           "the header or the mapping");
  }
};

struct ImportCounts {
  int64_t rows = 0;
  int64_t inserted = 0;
  int64_t duplicates = 0;
  int64_t rejected = 0;
};

class EventRowConverter {
 public:
  EventRowConverter(const EventMapping& mapping, const ColumnIndex& columns, const std::string& file)
      : mapping_(mapping), columns_(columns), file_(file) {}

  // Builds the event of one CSV record. kInvalidArgument naming the line and column otherwise.
  Result<rules::Event> Convert(const ingest::CsvRecord& record) const {
    rules::Event event;
    event.id = fmt::format("{}:{}", mapping_.id_prefix, record.line());
    event.subject.type = mapping_.subject_type;
    SR_ASSIGN_OR_RETURN(event.subject.id, Cell(record, mapping_.subject_id_column));
    SR_ASSIGN_OR_RETURN(event.type, Cell(record, mapping_.type_column));
    SR_ASSIGN_OR_RETURN(std::string suffix, OptionalCell(record, mapping_.type_suffix_column));
    if (!suffix.empty() && HasSuffixPrefix(event.type)) event.type += ":" + suffix;
    SR_ASSIGN_OR_RETURN(event.actor, OptionalCell(record, mapping_.actor_column));

    SR_ASSIGN_OR_RETURN(std::string time_text, Cell(record, mapping_.occurred_at_column));
    Result<Timestamp> occurred_at = ParseOffsetTime(time_text);
    if (!occurred_at.ok()) return std::move(occurred_at).error().Wrap(Where(record), Where(record));
    event.occurred_at = *occurred_at;
    event.received_at = *occurred_at;

    for (const auto& [key, column] : mapping_.payload) {
      SR_ASSIGN_OR_RETURN(event.payload[key], OptionalCell(record, column));
    }
    for (const auto& [key, column] : mapping_.numeric_payload) {
      SR_ASSIGN_OR_RETURN(std::string text, OptionalCell(record, column));
      int64_t number = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (error != std::errc() || end != text.data() + text.size()) {
        return InvalidArgument(fmt::format("{}：列 '{}' 的值 '{}' 不是整数", Where(record), column, text),
                               fmt::format("{}: column '{}': value '{}' is not an integer", Where(record), column, text));
      }
      event.payload[key] = number;
    }
    return event;
  }

 private:
  std::string Where(const ingest::CsvRecord& record) const { return fmt::format("{}:{}", file_, record.line()); }

  bool HasSuffixPrefix(const std::string& type) const {
    if (mapping_.type_suffix_prefixes.empty()) return true;
    for (const std::string& prefix : mapping_.type_suffix_prefixes) {
      if (type.starts_with(prefix)) return true;
    }
    return false;
  }

  Result<std::string> OptionalCell(const ingest::CsvRecord& record, const std::string& column) const {
    if (column.empty()) return std::string();
    SR_ASSIGN_OR_RETURN(size_t index, columns_.Find(column, file_));
    if (index >= record.size()) {
      return InvalidArgument(fmt::format("{}：这一行的列数少于表头", Where(record)),
                             fmt::format("{}: the row has fewer fields than the header", Where(record)));
    }
    return std::string(record.field(index));
  }

  Result<std::string> Cell(const ingest::CsvRecord& record, const std::string& column) const {
    SR_ASSIGN_OR_RETURN(std::string value, OptionalCell(record, column));
    if (!value.empty()) return value;
    return InvalidArgument(fmt::format("{}：列 '{}' 为空；这一列每行都必须有值", Where(record), column),
                           fmt::format("{}: column '{}' is empty; every row needs a value there", Where(record), column));
  }

  const EventMapping& mapping_;
  const ColumnIndex& columns_;
  const std::string& file_;
};

Status Flush(store::Store& db, std::vector<rules::Event>& batch, ImportCounts& counts) {
  if (batch.empty()) return OkStatus();
  SR_ASSIGN_OR_RETURN(store::AppendEventsResult appended, db.AppendEvents(batch));
  counts.inserted += appended.inserted;
  counts.duplicates += appended.duplicates;
  batch.clear();
  return OkStatus();
}

Result<ImportCounts> ImportEvents(store::Store& db, const EventMapping& mapping, const std::string& file,
                                  Locale locale) {
  SR_ASSIGN_OR_RETURN(std::unique_ptr<ingest::FileTextSource> source,
                      ingest::FileTextSource::Open(file, ingest::EncodingChoice::kAuto));
  ingest::CsvReader reader(*source);
  ingest::CsvRecord record;

  SR_ASSIGN_OR_RETURN(bool has_header, reader.Next(record));
  ColumnIndex columns;
  for (size_t i = 0; has_header && i < record.size(); ++i) columns.by_name[std::string(record.field(i))] = i;

  EventRowConverter converter(mapping, columns, file);
  ImportCounts counts;
  std::vector<rules::Event> batch;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, reader.Next(record));
    if (!has_row) break;
    ++counts.rows;

    Result<rules::Event> event = converter.Convert(record);
    if (!event.ok()) {
      if (++counts.rejected <= kPrintedRejections) std::cerr << event.error().message(locale) << "\n";
      continue;
    }
    batch.push_back(std::move(*event));
    if (batch.size() >= kBatchSize) SR_RETURN_IF_ERROR(Flush(db, batch, counts));
  }
  SR_RETURN_IF_ERROR(Flush(db, batch, counts));
  return counts;
}

int RunImport(const GlobalOptions& global, const EventsFlags& flags) {
  Result<std::string> text = ReadTextFile(flags.mapping);
  if (!text.ok()) return PrintCommandError(text.error(), global.locale, "ingest");
  Result<EventMapping> mapping = ParseEventMapping(*text, flags.mapping);
  if (!mapping.ok()) return PrintCommandError(mapping.error(), global.locale, "ingest");
  Result<std::unique_ptr<store::Store>> db = store::Open(global.database);
  if (!db.ok()) return PrintCommandError(db.error(), global.locale, "ingest");

  Result<ImportCounts> counts = ImportEvents(**db, *mapping, flags.file, global.locale);
  if (!counts.ok()) return PrintCommandError(counts.error(), global.locale, "ingest");

  Logger("ingest")->info("events import {}: {} rows, {} inserted, {} duplicates, {} rejected", flags.file,
                         counts->rows, counts->inserted, counts->duplicates, counts->rejected);
  if (global.locale == Locale::kEnglish) {
    std::cout << fmt::format("{}: {} rows read, {} events added, {} already stored, {} rejected\n", flags.file,
                             counts->rows, counts->inserted, counts->duplicates, counts->rejected);
  } else {
    std::cout << fmt::format("{}：读取 {} 行，新增事件 {} 条，已存在 {} 条，拒绝 {} 行\n", flags.file, counts->rows,
                             counts->inserted, counts->duplicates, counts->rejected);
  }
  return counts->rejected > 0 ? 1 : 0;
}

}  // namespace

void AddEventsCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* events_app = app.add_subcommand("events", "The event log that rules read (事件日志)");
  events_app->require_subcommand(1);
  auto flags = std::make_shared<EventsFlags>();

  CLI::App* import = events_app->add_subcommand("import", "Append the rows of a CSV file to the event log");
  import->add_option("--mapping,-m", flags->mapping, "Event mapping YAML file")->required();
  import->add_option("file", flags->file, "CSV file (UTF-8 or GBK)")->required();
  import->callback([&global, flags, exit_code] { *exit_code = RunImport(global, *flags); });
}

}  // namespace salesradar::cli
