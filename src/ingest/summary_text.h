// The import summary as text for the terminal.
#pragma once

#include <span>
#include <string>

#include "common/locale.h"
#include "ingest/importer.h"

namespace salesradar::ingest {

// Maximum distinct unresolved values shown per reference field; the rest are summed up.
inline constexpr size_t kMaxShownUnresolved = 20;

// Formats one block per target: the file, the entity and the row counts, then the custom
// fields created and the unresolved references, most frequent value first. A total line
// follows when there is more than one target. Ends with a newline.
std::string FormatSummary(std::span<const TargetSummary> summaries, Locale locale);

}  // namespace salesradar::ingest
