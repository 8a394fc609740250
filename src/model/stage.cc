#include "model/entities.h"

namespace salesradar::model {

StageOutcome OutcomeOfStage(std::string_view stage) {
  if (stage == kStageWon) {
    return StageOutcome::kWon;
  }
  if (stage == kStageLost) {
    return StageOutcome::kLost;
  }
  return StageOutcome::kOpen;
}

LocalizedText StageLabel(std::string_view stage) {
  if (stage == kStageProspecting) {
    return {"初步接触", "Prospecting"};
  }
  if (stage == kStageEngaging) {
    return {"洽谈中", "Engaging"};
  }
  if (stage == kStageWon) {
    return {"赢单", "Won"};
  }
  if (stage == kStageLost) {
    return {"输单", "Lost"};
  }
  return {std::string(stage), std::string(stage)};
}

}  // namespace salesradar::model
