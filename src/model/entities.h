// Typed views of stored entities, for readers such as the report. Ids are the store's row ids
// (positive); a reference that is not set is std::nullopt, a text field that is not set is "".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/locale.h"
#include "model/money.h"
#include "model/value.h"

namespace salesradar::model {

// Canonical stage codes of the default sales process.
inline constexpr std::string_view kStageProspecting = "prospecting";
inline constexpr std::string_view kStageEngaging = "engaging";
inline constexpr std::string_view kStageWon = "won";
inline constexpr std::string_view kStageLost = "lost";

enum class StageOutcome { kOpen, kWon, kLost };

// Returns kWon for "won", kLost for "lost" and kOpen for every other stage.
StageOutcome OutcomeOfStage(std::string_view stage);

// Returns the display name of a stage code, for example {"赢单", "Won"}; an unknown code is
// returned as is in both locales.
LocalizedText StageLabel(std::string_view stage);

struct OrgUnit {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string type;  // "company", "region" or "team"
  std::optional<int64_t> parent_id;
};

struct User {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string role;  // "rep", "manager", "director", "cs" or "admin"
  std::optional<int64_t> org_unit_id;
  std::optional<int64_t> manager_id;  // the user this one reports to
  std::string email;
};

struct Account {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string industry;
  std::optional<int64_t> employees;
  std::optional<Money> revenue;
  std::string region;
  std::optional<int64_t> parent_id;
  std::optional<int64_t> year_established;
};

struct Product {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string series;
  std::optional<Money> list_price;
};

struct Opportunity {
  int64_t id = 0;
  std::string external_id;
  std::string name;
  std::string stage;  // a stage code such as "won"
  std::optional<Money> amount;
  std::optional<int64_t> owner_id;    // -> User
  std::optional<int64_t> account_id;  // -> Account
  std::optional<int64_t> product_id;  // -> Product
  std::optional<CivilDate> engage_date;
  std::optional<CivilDate> close_date;
  Timestamp created_at;
  Timestamp updated_at;
};

// One row of an opportunity's stage history, written by the store when an upsert inserts an
// opportunity (from_stage empty) or changes its stage.
struct StageChange {
  int64_t opportunity_id = 0;
  std::string from_stage;  // "" for the first stage
  std::string to_stage;
  Timestamp changed_at;    // the store clock's time of the write
};

}  // namespace salesradar::model
