#include "ingest/summary_text.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include <fmt/format.h>

namespace salesradar::ingest {
namespace {

std::string CountsLine(const TargetSummary& s, Locale locale) {
  if (locale == Locale::kEnglish) {
    std::string line =
        fmt::format("{} rows read: {} inserted, {} updated, {} unchanged, {} rejected", s.rows_read,
                    s.inserted, s.updated, s.unchanged, s.rejected);
    if (s.duplicates > 0) {
      line += fmt::format(", {} repeated rows skipped", s.duplicates);
    }
    return line;
  }
  std::string line = fmt::format("读取 {} 行：新增 {}，更新 {}，未变 {}，拒绝 {}", s.rows_read,
                                 s.inserted, s.updated, s.unchanged, s.rejected);
  if (s.duplicates > 0) {
    line += fmt::format("，跳过重复行 {}", s.duplicates);
  }
  return line;
}

std::string UnresolvedBlock(const UnresolvedReferences& unresolved, Locale locale) {
  std::vector<std::pair<std::string, int64_t>> values(unresolved.counts.begin(),
                                                      unresolved.counts.end());
  std::stable_sort(values.begin(), values.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  bool english = locale == Locale::kEnglish;

  std::string out;
  if (english) {
    out = fmt::format("  unresolved {} (column '{}', {}):", unresolved.field, unresolved.column,
                      unresolved.required ? "required, rows rejected" : "optional, left empty");
  } else {
    out = fmt::format("  未解析的 {}（列 '{}'，{}）：", unresolved.field, unresolved.column,
                      unresolved.required ? "必填，已拒绝这些行" : "可选，已留空");
  }

  int64_t hidden_rows = unresolved.values_not_listed;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i >= kMaxShownUnresolved) {
      hidden_rows += values[i].second;
      continue;
    }
    std::string shown = values[i].first.empty() ? (english ? "(empty)" : "（空）")
                                                : fmt::format("'{}'", values[i].first);
    out += fmt::format("\n    {} ×{}", shown, values[i].second);
  }
  if (hidden_rows > 0) {
    out += english ? fmt::format("\n    ... and {} more rows with other values", hidden_rows)
                   : fmt::format("\n    …… 以及其他值 {} 行", hidden_rows);
  }
  return out + "\n";
}

}  // namespace

std::string FormatSummary(std::span<const TargetSummary> summaries, Locale locale) {
  bool english = locale == Locale::kEnglish;
  std::string out;
  TargetSummary total;
  for (const TargetSummary& s : summaries) {
    std::string file = std::filesystem::path(s.file).filename().string();
    std::string entity(model::EntityKindName(s.entity));
    if (english) {
      std::string described =
          s.description.empty() ? entity : fmt::format("{} ({})", entity, s.description);
      out += fmt::format("{} -> {}: {}\n", file, described, CountsLine(s, locale));
    } else {
      std::string described =
          s.description.empty() ? entity : fmt::format("{}，{}", entity, s.description);
      out += fmt::format("{} → {}（{}）：{}\n", file, model::EntityKindLabel(s.entity).zh,
                         described, CountsLine(s, locale));
    }
    if (!s.created_custom_fields.empty()) {
      std::string names;
      for (const std::string& name : s.created_custom_fields) {
        names += (names.empty() ? "" : ", ") + name;
      }
      out += english ? fmt::format("  created custom fields: {}\n", names)
                     : fmt::format("  新建自定义字段：{}\n", names);
    }
    for (const UnresolvedReferences& unresolved : s.unresolved) {
      out += UnresolvedBlock(unresolved, locale);
    }

    total.rows_read += s.rows_read;
    total.inserted += s.inserted;
    total.updated += s.updated;
    total.unchanged += s.unchanged;
    total.rejected += s.rejected;
    total.duplicates += s.duplicates;
  }
  if (summaries.size() > 1) {
    out += english ? fmt::format("total: {}\n", CountsLine(total, locale))
                   : fmt::format("合计：{}\n", CountsLine(total, locale));
  }
  return out;
}

}  // namespace salesradar::ingest
