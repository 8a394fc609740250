// The replay behind `salesradar backtest`. It sends stored events in event-time order through one
// compiled pack on a simulated clock into an in-memory state store, then counts alerts per rule.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "rules/compiler.h"
#include "store/store.h"

namespace salesradar::api {

// One outcome of a subject, found from its events. A subject gets the first label (in order) that
// lists an event type the subject had, and "open" when none does.
struct OutcomeLabel {
  std::string label;
  std::vector<std::string> event_types;
};

struct BacktestOptions {
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;
  std::string time_zone;  // for ISO weeks
  std::vector<OutcomeLabel> outcomes;  // the first label is the success the report compares
};

// Subjects of one group and how they ended, by outcome label ("open" included).
struct OutcomeGroup {
  int64_t subjects = 0;
  std::map<std::string, int64_t> by_outcome;
};

struct RuleBacktest {
  std::string rule_id;
  LocalizedText name;
  std::string kind;
  std::string subject_type;
  int64_t alerts = 0;
  std::map<std::string, int64_t> by_week;   // "2011-W41"
  std::map<std::string, int64_t> by_team;   // the owner's org unit; "" when unknown
  std::map<std::string, int64_t> by_level;  // the highest level each alert reached
  uint64_t evaluation_failures = 0;
  // Subjects that had one of the rule's trigger event types (its conditions not evaluated),
  // with and without an alert of the rule.
  OutcomeGroup flagged;
  OutcomeGroup not_flagged;
};

struct BacktestResult {
  std::string pack_id;
  int64_t version = 0;
  int64_t events = 0;
  std::optional<Timestamp> first_event;
  std::optional<Timestamp> last_event;
  int64_t windows_open_at_end = 0;  // absence windows whose deadline is after the last event
  std::vector<std::string> outcome_labels;  // in the order given, then "open"
  std::vector<RuleBacktest> rules;
};

// Replays the events of `store` within [from, to) through `pack`. The clock is set to each
// event's time before the event, and deadlines due by the last event's time fire at the end.
// Windows still open then are counted in windows_open_at_end, not as alerts.
Result<BacktestResult> RunBacktest(store::Store& store, std::shared_ptr<const rules::CompiledPack> pack,
                                   const BacktestOptions& options);

// The outcomes of the bundled BPI 2012 loan log, used when no outcome is given.
extern const std::vector<std::string> kDefaultOutcomes;

// Parses "LABEL=TYPE[,TYPE]", as in "won=opportunity_won". kInvalidArgument naming the text
// otherwise.
Result<OutcomeLabel> ParseOutcome(const std::string& text);

// The JSON form of `result` that `salesradar backtest --json` prints and the API returns.
nlohmann::json BacktestToJson(const BacktestResult& result);

}  // namespace salesradar::api
