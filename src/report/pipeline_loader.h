// Reads the pipeline report's input from a Store and builds the report.
#pragma once

#include <functional>

#include "auth/visibility.h"
#include "common/result.h"
#include "report/pipeline.h"
#include "store/store.h"

namespace salesradar::report {

// Loads org units, users, accounts and products, then streams every opportunity with its stage
// history through a PipelineBuilder. Memory grows with the reference tables and the deals that
// are flagged, not with the number of opportunities.
//
// Returns the Store's error when a read fails, or the builder's error when an amount sum
// overflows. An empty database gives a report with zero opportunities; callers that want to
// tell the user to import first check Store::Count beforehand.
// REQUIRES: no transaction with uncommitted writes is open on `store`.
// NOTE: reads with system access (every row), which fits the command line. A report served to
// a signed-in user must use the Store's viewer-aware reads instead.
Result<PipelineReport> LoadPipelineReport(store::Store& store, const PipelineOptions& options);

// Which opportunities a report served to a signed-in user reads.
struct PipelineScope {
  const auth::Viewer* viewer = nullptr;  // the Store's viewer-aware reads; null reads every row
  store::OpportunityFilter filter;       // applied by the Store
  // Applied to each opportunity the Store returns; empty keeps all of them.
  std::function<bool(const model::Opportunity&)> keep;
};

// LoadPipelineReport over the opportunities of `scope`. The reference tables are the ones the
// viewer may see, so a deal whose owner, account or team the viewer cannot see is grouped
// under "none".
Result<PipelineReport> LoadPipelineReport(store::Store& store, const PipelineOptions& options,
                                          const PipelineScope& scope);

}  // namespace salesradar::report
