#include "ingest/importer.h"

#include <algorithm>
#include <utility>

#include <fmt/format.h>

#include "common/logging.h"
#include "ingest/csv_reader.h"
#include "ingest/normalize.h"
#include "ingest/text_source.h"

namespace salesradar::ingest {
namespace {

constexpr int64_t kProgressEveryRows = 256;
constexpr int64_t kAmbiguous = -1;  // cached lookup result: several rows have the name

std::string_view KindName(model::EntityKind kind) { return model::EntityKindName(kind); }

// Reads the header record of `reader`, with names trimmed.
Result<std::vector<std::string>> ReadHeader(CsvReader& reader, const std::string& csv_path) {
  CsvRecord record;
  SR_ASSIGN_OR_RETURN(bool has_header, reader.Next(record));
  if (!has_header) {
    return InvalidArgument(
        fmt::format("文件 '{}' 是空的；第一行应为表头（列名）", csv_path),
        fmt::format("file '{}' is empty; the first line must be the header (column names)",
                    csv_path));
  }
  if (record.problem() != CsvProblem::kNone) {
    return InvalidArgument(
        fmt::format("{}:{}: 表头的引号格式有误；请检查列名中的引号", csv_path, record.line()),
        fmt::format("{}:{}: the header has malformed quotes; check the quotes in the column "
                    "names",
                    csv_path, record.line()));
  }
  std::vector<std::string> header;
  for (size_t i = 0; i < record.size(); ++i) {
    header.emplace_back(TrimSpace(record.field(i)));
  }
  return header;
}

LocalizedText UnresolvedReason(const FieldMapping& field, bool empty, bool ambiguous) {
  std::string_view target = KindName(*field.target);
  if (empty) {
    return {fmt::format("缺少必填的 {}（{}）", field.field, target),
            fmt::format("required {} ({}) is missing", field.field, target)};
  }
  if (ambiguous) {
    return {fmt::format("有多个同名的 {}，无法确定是哪一个；请改用 by: external_id", target),
            fmt::format("several {} rows have this name, so the reference is ambiguous; use "
                        "'by: external_id'",
                        target)};
  }
  return {fmt::format("找不到这个 {}；请先导入它，或在映射的 values 中对应其他写法", target),
          fmt::format("no {} with this {} was found; import it first, or map other spellings "
                      "under 'values' in the mapping",
                      target, field.reference_key == ReferenceKey::kName ? "name" : "external id")};
}

Result<std::unique_ptr<FileTextSource>> OpenCsv(const PreparedFile& file) {
  return FileTextSource::Open(file.csv_path, file.encoding);
}

}  // namespace

// The state of one pass over a file for one target.
struct Importer::TargetRun {
  const PreparedFile* file = nullptr;
  const TargetMapping* target = nullptr;
  TargetSummary summary;

  std::vector<model::Record> batch;
  std::vector<int64_t> batch_lines;

  // Rows with a reference to the same entity that did not resolve yet, because it may name a
  // later row of the file. They are written after the rest of the file.
  std::vector<ConvertedRow> deferred;
  std::map<std::string, UnresolvedReferences> unresolved;  // by field name
  std::unordered_map<std::string, std::pair<int64_t, model::Record>> distinct_seen;
};

Importer::Importer(store::Store& store, ImportOptions options, ImportObserver& observer)
    : store_(store), options_(options), observer_(observer) {
  options_.batch_size = std::max<size_t>(options_.batch_size, 1);
}

Result<PreparedFile> Importer::Prepare(const Mapping& mapping, const std::string& csv_path) {
  PreparedFile file;
  file.mapping = &mapping;
  file.csv_path = csv_path;
  file.encoding = options_.encoding.value_or(mapping.encoding.value_or(EncodingChoice::kAuto));

  SR_ASSIGN_OR_RETURN(std::unique_ptr<FileTextSource> source,
                      FileTextSource::Open(csv_path, file.encoding));
  CsvOptions csv_options;
  csv_options.delimiter = mapping.delimiter;
  CsvReader reader(*source, csv_options);
  SR_ASSIGN_OR_RETURN(file.header, ReadHeader(reader, csv_path));

  for (const TargetMapping& target : mapping.targets) {
    SR_ASSIGN_OR_RETURN(RowConverter converter,
                        RowConverter::Create(target, file.header, mapping.path, csv_path));
    file.converters.push_back(std::move(converter));

    // A declared custom field must not contradict a stored definition of another type.
    if (target.custom_fields.empty()) {
      continue;
    }
    SR_ASSIGN_OR_RETURN(auto stored, store_.CustomFieldDefinitions(target.entity));
    for (const model::CustomFieldDefinition& declared : target.custom_fields) {
      for (const model::CustomFieldDefinition& existing : stored) {
        if (existing.name != declared.name || existing.type == declared.type) {
          continue;
        }
        return InvalidArgument(
            fmt::format("{}: 自定义字段 '{}' 已存在，类型为 {}，而映射写的是 {}；请改映射里的 type",
                        mapping.path, declared.name, model::FieldTypeName(existing.type),
                        model::FieldTypeName(declared.type)),
            fmt::format("{}: custom field '{}' exists with type {}, but the mapping says {}; "
                        "change the type in the mapping",
                        mapping.path, declared.name, model::FieldTypeName(existing.type),
                        model::FieldTypeName(declared.type)));
      }
    }
  }

  Logger("ingest")->info("{}: prepared with {} (encoding {}, columns: {}, targets: {})", csv_path,
                         mapping.path, EncodingName(source->detected().encoding),
                         file.header.size(), mapping.targets.size());
  return file;
}

Result<std::vector<TargetSummary>> Importer::Run(const PreparedFile& file) {
  std::vector<TargetSummary> summaries;
  for (size_t i = 0; i < file.converters.size(); ++i) {
    SR_ASSIGN_OR_RETURN(TargetSummary summary, RunTarget(file, i));
    summaries.push_back(std::move(summary));
  }
  return summaries;
}

Status Importer::CreateCustomFields(const TargetMapping& target, TargetSummary& summary) {
  if (target.custom_fields.empty()) {
    return OkStatus();
  }
  SR_ASSIGN_OR_RETURN(auto stored, store_.CustomFieldDefinitions(target.entity));
  for (const model::CustomFieldDefinition& declared : target.custom_fields) {
    bool exists = std::any_of(stored.begin(), stored.end(),
                              [&](const auto& existing) { return existing.name == declared.name; });
    if (exists) {
      continue;
    }
    SR_RETURN_IF_ERROR(store_.PutCustomFieldDefinition(declared));
    summary.created_custom_fields.push_back(declared.name);
    Logger("ingest")->info("{} custom field '{}': created ({})", KindName(target.entity),
                           declared.name, model::FieldTypeName(declared.type));
  }
  return OkStatus();
}

Result<TargetSummary> Importer::RunTarget(const PreparedFile& file, size_t target_index) {
  const RowConverter& converter = file.converters[target_index];
  TargetRun run;
  run.file = &file;
  run.target = &converter.target();
  run.summary.file = file.csv_path;
  run.summary.entity = run.target->entity;
  run.summary.description = run.target->description;
  SR_RETURN_IF_ERROR(CreateCustomFields(*run.target, run.summary));

  SR_ASSIGN_OR_RETURN(std::unique_ptr<FileTextSource> source, OpenCsv(file));
  CsvOptions csv_options;
  csv_options.delimiter = file.mapping->delimiter;
  CsvReader reader(*source, csv_options);
  SR_ASSIGN_OR_RETURN(std::vector<std::string> header, ReadHeader(reader, file.csv_path));
  Logger("ingest")->info("{}: importing into {}", file.csv_path, KindName(run.target->entity));

  CsvRecord record;
  ConvertedRow row;
  std::vector<RowError> errors;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool more, reader.Next(record));
    if (!more) {
      break;
    }
    ++run.summary.rows_read;

    errors.clear();
    if (converter.Convert(record, row, errors)) {
      SR_RETURN_IF_ERROR(ProcessRow(run, row));
    } else {
      ++run.summary.rejected;
      for (RowError& error : errors) {
        ReportError(run, std::move(error));
      }
    }

    if (run.summary.rows_read % kProgressEveryRows == 0) {
      observer_.OnProgress(file.csv_path, run.summary.rows_read, source->bytes_read(),
                           source->file_size());
      if (options_.cancel != nullptr && options_.cancel->load()) {
        return Error(ErrorCode::kFailedPrecondition,
                     fmt::format("{}: 导入已在第 {} 行后取消", file.csv_path, record.line()),
                     fmt::format("{}: import cancelled after line {}", file.csv_path, record.line()));
      }
    }
  }
  SR_RETURN_IF_ERROR(FlushBatch(run));
  SR_RETURN_IF_ERROR(ResolveDeferred(run));
  observer_.OnProgress(file.csv_path, run.summary.rows_read, source->bytes_read(),
                       source->file_size());

  // Unresolved references in the order of the mapping's fields.
  for (const FieldMapping& field : run.target->fields) {
    auto found = run.unresolved.find(field.field);
    if (found != run.unresolved.end()) {
      run.summary.unresolved.push_back(std::move(found->second));
    }
  }
  const TargetSummary& s = run.summary;
  Logger("ingest")->info(
      "{}: {} rows read into {}: {} inserted, {} updated, {} unchanged, {} "
      "rejected, {} duplicates",
      file.csv_path, s.rows_read, KindName(s.entity), s.inserted, s.updated, s.unchanged,
      s.rejected, s.duplicates);
  return std::move(run.summary);
}

Status Importer::ProcessRow(TargetRun& run, ConvertedRow& row) {
  SR_ASSIGN_OR_RETURN(Resolution resolution, ResolveReferences(run, row, /*allow_defer=*/true));
  if (resolution == Resolution::kDeferred) {
    run.deferred.push_back(std::move(row));
    return OkStatus();
  }
  return AddToBatch(run, row, resolution);
}

Result<Importer::Resolution> Importer::ResolveReferences(TargetRun& run, ConvertedRow& row,
                                                         bool allow_defer) {
  bool rejected = false;
  std::vector<PendingReference> deferred;
  for (PendingReference& reference : row.references) {
    const FieldMapping& field = *reference.field;
    model::FieldMap& fields = field.custom ? row.record.custom_fields : row.record.fields;

    bool ambiguous = false;
    std::optional<int64_t> id;
    if (!reference.key.empty()) {
      SR_ASSIGN_OR_RETURN(id, LookUp(field, reference.key, &ambiguous));
    }
    if (id.has_value()) {
      fields[field.field] = model::Reference{*id, ""};
      continue;
    }

    // A row may name a row of the same entity that comes later in the file.
    if (allow_defer && !reference.key.empty() && !ambiguous &&
        *field.target == run.target->entity) {
      deferred.push_back(std::move(reference));
      continue;
    }

    CountUnresolved(run, reference);
    if (!field.required) {
      fields[field.field] = model::Null{};
      continue;
    }
    rejected = true;
    ReportError(run, RowError{row.line, reference.column, reference.key,
                              UnresolvedReason(field, reference.key.empty(), ambiguous)});
  }

  row.references = std::move(deferred);
  if (rejected) {
    return Resolution::kRejected;
  }
  return row.references.empty() ? Resolution::kResolved : Resolution::kDeferred;
}

Result<std::optional<int64_t>> Importer::LookUp(const FieldMapping& field, const std::string& key,
                                                bool* ambiguous) {
  model::EntityKind kind = *field.target;
  bool by_name = field.reference_key == ReferenceKey::kName;
  std::string cache_key = fmt::format("{}\x1f{}\x1f{}", static_cast<int>(kind), by_name, key);

  auto cached = lookup_cache_.find(cache_key);
  if (cached == lookup_cache_.end()) {
    std::optional<int64_t> id;
    if (by_name) {
      SR_ASSIGN_OR_RETURN(std::vector<int64_t> ids,
                          store_.FindIdsByName(kind, key, store::NameMatch::kNormalized));
      if (ids.size() == 1) {
        id = ids.front();
      } else if (ids.size() > 1) {
        id = kAmbiguous;
      }
    } else {
      SR_ASSIGN_OR_RETURN(id, store_.FindIdByExternalId(kind, key));
    }
    if (!id.has_value() || *id == kAmbiguous) {
      ++cached_misses_[kind];
    }
    cached = lookup_cache_.emplace(std::move(cache_key), id).first;
  }

  *ambiguous = cached->second == kAmbiguous;
  if (*ambiguous) {
    return std::optional<int64_t>();
  }
  return cached->second;
}

void Importer::ForgetMissing(model::EntityKind kind) {
  auto misses = cached_misses_.find(kind);
  if (misses == cached_misses_.end() || misses->second == 0) {
    return;
  }
  misses->second = 0;
  std::string prefix = fmt::format("{}\x1f", static_cast<int>(kind));
  std::erase_if(lookup_cache_, [&](const auto& entry) {
    bool missing = !entry.second.has_value() || *entry.second == kAmbiguous;
    return missing && entry.first.starts_with(prefix);
  });
}

void Importer::CountUnresolved(TargetRun& run, const PendingReference& reference) {
  const FieldMapping& field = *reference.field;
  UnresolvedReferences& entry = run.unresolved[field.field];
  if (entry.field.empty()) {
    entry.field = field.field;
    entry.column = reference.column;
    entry.target = *field.target;
    entry.required = field.required;
  }
  auto found = entry.counts.find(reference.key);
  if (found != entry.counts.end()) {
    ++found->second;
  } else if (entry.counts.size() < kMaxListedUnresolved) {
    entry.counts.emplace(reference.key, 1);
  } else {
    ++entry.values_not_listed;
  }
}

bool Importer::CheckDistinct(TargetRun& run, const ConvertedRow& row) {
  auto [seen, inserted] =
      run.distinct_seen.try_emplace(row.record.external_id, row.line, row.record);
  if (inserted) {
    return true;
  }
  if (seen->second.second == row.record) {
    ++run.summary.duplicates;
    return false;
  }
  ++run.summary.rejected;
  ReportError(
      run, RowError{row.line,
                    "",
                    "",
                    {fmt::format("外部 id '{}' 与第 {} 行相同，但值不同；同一条记录的各行必须一致",
                                 row.record.external_id, seen->second.first),
                     fmt::format("external id '{}' repeats line {} with different values; "
                                 "rows of one record must agree",
                                 row.record.external_id, seen->second.first)}});
  return false;
}

Status Importer::FlushBatch(TargetRun& run) {
  if (run.batch.empty()) {
    return OkStatus();
  }

  store::Transaction transaction(store_);
  if (!options_.dry_run) {
    SR_RETURN_IF_ERROR(transaction.Begin());
  }
  SR_ASSIGN_OR_RETURN(std::vector<store::UpsertResult> results,
                      store_.Upsert(run.batch, store::AuditContext::Import(options_.job_id)));
  if (!options_.dry_run) {
    SR_RETURN_IF_ERROR(transaction.Commit());
  }

  for (size_t i = 0; i < results.size(); ++i) {
    const store::UpsertResult& result = results[i];
    switch (result.outcome) {
      case store::UpsertOutcome::kInserted: ++run.summary.inserted; break;
      case store::UpsertOutcome::kUpdated: ++run.summary.updated; break;
      case store::UpsertOutcome::kUnchanged: ++run.summary.unchanged; break;
      case store::UpsertOutcome::kRejected: {
        ++run.summary.rejected;
        const Error& error = *result.error;
        ReportError(run,
                    RowError{run.batch_lines[i], "", "", {error.message_zh(), error.message_en()}});
        break;
      }
    }
  }

  ForgetMissing(run.target->entity);
  run.batch.clear();
  run.batch_lines.clear();
  return OkStatus();
}

Status Importer::ResolveDeferred(TargetRun& run) {
  // Each round writes the rows whose references now resolve, which may let others resolve in
  // the next round (a parent of a parent). A round without progress ends the loop.
  std::vector<ConvertedRow> pending = std::move(run.deferred);
  while (!pending.empty()) {
    std::vector<ConvertedRow> waiting;
    size_t written = 0;
    for (ConvertedRow& row : pending) {
      SR_ASSIGN_OR_RETURN(Resolution resolution, ResolveReferences(run, row, /*allow_defer=*/true));
      if (resolution == Resolution::kDeferred) {
        waiting.push_back(std::move(row));
        continue;
      }
      ++written;
      SR_RETURN_IF_ERROR(AddToBatch(run, row, resolution));
    }
    SR_RETURN_IF_ERROR(FlushBatch(run));
    pending = std::move(waiting);
    if (written == 0) {
      break;
    }
  }

  // What is left does not resolve: optional references stay empty, required ones reject.
  for (ConvertedRow& row : pending) {
    SR_ASSIGN_OR_RETURN(Resolution resolution, ResolveReferences(run, row, /*allow_defer=*/false));
    SR_RETURN_IF_ERROR(AddToBatch(run, row, resolution));
  }
  return FlushBatch(run);
}

Status Importer::AddToBatch(TargetRun& run, ConvertedRow& row, Resolution resolution) {
  if (resolution == Resolution::kRejected) {
    ++run.summary.rejected;
    return OkStatus();
  }
  if (run.target->distinct && !CheckDistinct(run, row)) {
    return OkStatus();
  }
  run.batch_lines.push_back(row.line);
  run.batch.push_back(std::move(row.record));
  if (run.batch.size() >= options_.batch_size) {
    return FlushBatch(run);
  }
  return OkStatus();
}

void Importer::ReportError(TargetRun& run, RowError error) {
  observer_.OnRowError(run.file->csv_path, error);
}

}  // namespace salesradar::ingest
