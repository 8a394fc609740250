// Renders a PipelineReport as aligned plain-text tables for a terminal.
#pragma once

#include <cstddef>
#include <string>

#include "common/locale.h"
#include "report/pipeline.h"

namespace salesradar::report {

struct TextOptions {
  Locale locale = Locale::kChinese;  // headers and labels; numbers are the same in both
  size_t max_listed_deals = 10;      // rows in the stale and below-list deal lists
};

// Returns the report as text: a title, the stage table and the key figures of all included
// deals, one row per group when the report is grouped, then the oldest stale deals and the
// largest discounts. Each line ends in '\n'.
std::string RenderPipelineText(const PipelineReport& report, const TextOptions& options);

}  // namespace salesradar::report
