#include "report/pipeline_loader.h"

#include <memory>
#include <vector>

namespace salesradar::report {
namespace {

Result<ReferenceData> LoadReferenceData(store::Store& store, const auth::Viewer* viewer) {
  ReferenceData references;
  SR_ASSIGN_OR_RETURN(references.org_units, store.ListOrgUnits(viewer));
  SR_ASSIGN_OR_RETURN(references.users, store.ListUsers(viewer));
  SR_ASSIGN_OR_RETURN(references.accounts, store.ListAccounts(viewer));
  SR_ASSIGN_OR_RETURN(references.products, store.ListProducts());
  return references;
}

// Walks the stage history cursor in step with the opportunity cursor. Both are ordered by
// opportunity id, so each history row is read once.
class HistoryReader {
 public:
  explicit HistoryReader(std::unique_ptr<store::Cursor<model::StageChange>> cursor)
      : cursor_(std::move(cursor)) {}

  // Fills `*out` with the history of `opportunity_id`, in recorded order.
  // REQUIRES: ids are passed in ascending order.
  Status HistoryOf(int64_t opportunity_id, std::vector<model::StageChange>* out) {
    out->clear();
    while (true) {
      if (!pending_valid_) {
        SR_ASSIGN_OR_RETURN(bool more, cursor_->Next(&pending_));
        if (!more) {
          return OkStatus();
        }
        pending_valid_ = true;
      }

      // Rows of an id below the current one belong to no listed opportunity: skip them.
      if (pending_.opportunity_id > opportunity_id) {
        return OkStatus();
      }
      if (pending_.opportunity_id == opportunity_id) {
        out->push_back(std::move(pending_));
      }
      pending_valid_ = false;
    }
  }

 private:
  std::unique_ptr<store::Cursor<model::StageChange>> cursor_;
  model::StageChange pending_;
  bool pending_valid_ = false;
};

}  // namespace

Result<PipelineReport> LoadPipelineReport(store::Store& store, const PipelineOptions& options) {
  return LoadPipelineReport(store, options, PipelineScope{});
}

Result<PipelineReport> LoadPipelineReport(store::Store& store, const PipelineOptions& options,
                                          const PipelineScope& scope) {
  SR_ASSIGN_OR_RETURN(ReferenceData references, LoadReferenceData(store, scope.viewer));
  PipelineBuilder builder(options, std::move(references));

  SR_ASSIGN_OR_RETURN(auto opportunities, store.OpenOpportunityCursor(scope.filter, scope.viewer));
  SR_ASSIGN_OR_RETURN(auto history_cursor, store.OpenStageHistoryCursor(std::nullopt));
  HistoryReader history(std::move(history_cursor));

  model::Opportunity opportunity;
  std::vector<model::StageChange> changes;
  while (true) {
    SR_ASSIGN_OR_RETURN(bool more, opportunities->Next(&opportunity));
    if (!more) {
      break;
    }
    SR_RETURN_IF_ERROR(history.HistoryOf(opportunity.id, &changes));
    if (scope.keep && !scope.keep(opportunity)) {
      continue;
    }
    SR_RETURN_IF_ERROR(builder.Add(opportunity, changes));
  }
  return std::move(builder).Finish();
}

}  // namespace salesradar::report
