#include "api/backtest_run.h"

#include <sstream>

#include <cctz/civil_time.h>
#include <cctz/time_zone.h>
#include <fmt/format.h>

#include "common/clock.h"
#include "common/logging.h"
#include "rules/engine.h"
#include "rules/memory_state_store.h"
#include "store/store_subject_resolver.h"

namespace salesradar::api {
namespace {

constexpr int64_t kEventsPerFlush = 20'000;

// Returns "YYYY-Www", the ISO 8601 week of `t` in `zone`.
std::string IsoWeek(Timestamp t, const cctz::time_zone& zone) {
  cctz::civil_day day(cctz::convert(t, zone));
  // The ISO year and week are those of the Thursday of the same Monday-based week.
  int weekday = static_cast<int>(cctz::get_weekday(day));  // Monday = 0
  cctz::civil_day thursday = day - weekday + 3;
  cctz::civil_day first_of_year(thursday.year(), 1, 1);
  int week = static_cast<int>((thursday - first_of_year) / 7) + 1;
  return fmt::format("{}-W{:02}", thursday.year(), week);
}

// The counts a replay collects while it runs, before they become a BacktestResult.
struct RaisedAlert {
  std::string rule_id;
  rules::SubjectRef subject;
  Timestamp raised_at;
  rules::Level highest_level = rules::Level::kYellow;
};

struct ReplayState {
  std::map<rules::SubjectRef, size_t> outcome;  // subject -> index into the outcome labels
  std::map<std::string, std::set<rules::SubjectRef>> triggered;  // rule id -> subjects
  std::map<std::string, std::set<rules::SubjectRef>> flagged;    // rule id -> subjects
  std::map<std::string, RaisedAlert> alerts;                      // by alert id
};

class Replay {
 public:
  Replay(store::Store& store, std::shared_ptr<const rules::CompiledPack> pack, const BacktestOptions& options)
      : store_(store), pack_(std::move(pack)), options_(options) {
    for (size_t i = 0; i < options_.outcomes.size(); ++i) {
      for (const std::string& type : options_.outcomes[i].event_types) outcome_rank_[type] = i;
    }
    if (!cctz::load_time_zone(options_.time_zone, &zone_)) zone_ = cctz::utc_time_zone();
  }

  Result<BacktestResult> Run();

 private:
  Status ReplayEvents(rules::Engine& engine, rules::MemoryStateStore& state);
  void Observe(const rules::Event& event);
  void Collect(std::vector<rules::AlertChange> changes);
  BacktestResult Summarize(store::StoreSubjectResolver& resolver, const rules::Engine& engine);
  OutcomeGroup GroupOf(const std::set<rules::SubjectRef>& subjects) const;

  store::Store& store_;
  std::shared_ptr<const rules::CompiledPack> pack_;
  const BacktestOptions& options_;
  std::map<std::string, size_t> outcome_rank_;  // event type -> index into options_.outcomes
  cctz::time_zone zone_;
  ManualClock clock_;
  ReplayState state_;
  int64_t events_ = 0;
  std::optional<Timestamp> first_event_;
  std::optional<Timestamp> last_event_;
};

Result<BacktestResult> Replay::Run() {
  SR_ASSIGN_OR_RETURN(std::vector<rules::SubjectSchema> schemas, store::LoadSubjectSchemas(store_));
  store::StoreSubjectResolver resolver(store_, std::move(schemas));
  rules::MemoryStateStore state;

  rules::EngineOptions engine_options;
  engine_options.flush_after_each_call = false;
  std::string pack_id = pack_->id();
  engine_options.on_evaluation_failure = [pack_id](const rules::EvaluationFailure& failure) {
    Logger("rules")->debug("backtest {}/{}: event {}: {} failed: {}", pack_id, failure.rule_id, failure.event_id,
                           failure.part, failure.message);
  };

  if (options_.from) clock_.Set(*options_.from);
  rules::Engine engine(clock_, resolver, state, engine_options);
  SR_RETURN_IF_ERROR(engine.Publish(pack_));
  Result<rules::RestoreSummary> restored = engine.Restore();
  if (!restored.ok()) return std::move(restored).error();

  SR_RETURN_IF_ERROR(ReplayEvents(engine, state));
  return Summarize(resolver, engine);
}

Status Replay::ReplayEvents(rules::Engine& engine, rules::MemoryStateStore& state) {
  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::Cursor<rules::Event>> cursor,
                      store_.OpenEventCursor({options_.from, options_.to}));
  rules::Event event;
  std::vector<rules::Event> events;
  // The cursor is read to its end first: the subject resolver reads the same Store, which a
  // cursor must not share.
  while (true) {
    SR_ASSIGN_OR_RETURN(bool has_row, cursor->Next(&event));
    if (!has_row) break;
    events.push_back(event);
  }
  cursor.reset();

  for (const rules::Event& next : events) {
    if (next.occurred_at > clock_.Now()) clock_.Set(next.occurred_at);
    SR_ASSIGN_OR_RETURN(rules::EventOutcome outcome, engine.OnEvent(next));
    Collect(std::move(outcome.changes));
    Observe(next);

    if (++events_ % kEventsPerFlush == 0) SR_RETURN_IF_ERROR(engine.Flush());
  }

  SR_ASSIGN_OR_RETURN(std::vector<rules::AlertChange> last_changes, engine.FireDueTimers());
  Collect(std::move(last_changes));
  SR_RETURN_IF_ERROR(engine.Flush());
  Logger("rules")->info("backtest {}: {} events replayed, {} batches written", pack_->id(), events_,
                        state.applied_batches());
  return OkStatus();
}

void Replay::Observe(const rules::Event& event) {
  if (!first_event_) first_event_ = event.occurred_at;
  last_event_ = event.occurred_at;

  for (const rules::CompiledRule& rule : pack_->rules()) {
    if (rule.rule->subject_type != event.subject.type) continue;
    for (const std::string& type : rule.rule->trigger.event_types) {
      if (type == event.type) state_.triggered[rule.rule->id].insert(event.subject);
    }
  }

  auto rank = outcome_rank_.find(event.type);
  if (rank == outcome_rank_.end()) return;
  auto [it, inserted] = state_.outcome.emplace(event.subject, rank->second);
  if (!inserted) it->second = std::min(it->second, rank->second);
}

void Replay::Collect(std::vector<rules::AlertChange> changes) {
  for (const rules::AlertChange& change : changes) {
    if (change.key.pack_id != pack_->id()) continue;

    if (change.action == rules::AlertAction::kRaised) {
      state_.alerts[change.alert_id] = {change.key.rule_id, change.key.subject, change.raised_at, change.level};
      state_.flagged[change.key.rule_id].insert(change.key.subject);
      continue;
    }
    auto alert = state_.alerts.find(change.alert_id);
    if (alert != state_.alerts.end() && change.level > alert->second.highest_level) {
      alert->second.highest_level = change.level;
    }
  }
}

OutcomeGroup Replay::GroupOf(const std::set<rules::SubjectRef>& subjects) const {
  OutcomeGroup group;
  group.subjects = static_cast<int64_t>(subjects.size());
  for (const OutcomeLabel& label : options_.outcomes) group.by_outcome[label.label] = 0;
  group.by_outcome["open"] = 0;

  for (const rules::SubjectRef& subject : subjects) {
    auto outcome = state_.outcome.find(subject);
    ++group.by_outcome[outcome == state_.outcome.end() ? "open" : options_.outcomes[outcome->second].label];
  }
  return group;
}

BacktestResult Replay::Summarize(store::StoreSubjectResolver& resolver, const rules::Engine& engine) {
  BacktestResult result;
  result.pack_id = pack_->id();
  result.version = pack_->version();
  result.events = events_;
  result.first_event = first_event_;
  result.last_event = last_event_;
  result.windows_open_at_end = static_cast<int64_t>(engine.window_count());
  for (const OutcomeLabel& label : options_.outcomes) result.outcome_labels.push_back(label.label);
  result.outcome_labels.push_back("open");

  std::map<std::string, size_t> index_of_rule;
  for (const rules::CompiledRule& compiled : pack_->rules()) {
    const rules::Rule& rule = *compiled.rule;
    RuleBacktest row;
    row.rule_id = rule.id;
    row.name = rule.name;
    row.kind = std::string(rules::RuleKindName(rule.kind));
    row.subject_type = rule.subject_type;
    row.evaluation_failures = engine.Stats(pack_->id(), rule.id).failures;
    index_of_rule[rule.id] = result.rules.size();
    result.rules.push_back(std::move(row));
  }

  for (const auto& [alert_id, alert] : state_.alerts) {
    RuleBacktest& row = result.rules[index_of_rule.at(alert.rule_id)];
    ++row.alerts;
    ++row.by_week[IsoWeek(alert.raised_at, zone_)];
    ++row.by_level[std::string(rules::LevelName(alert.highest_level))];
    std::optional<rules::SubjectInfo> info = resolver.Resolve(alert.subject);
    ++row.by_team[info ? resolver.TeamOf(info->owner_id) : ""];
  }

  for (RuleBacktest& row : result.rules) {
    const std::set<rules::SubjectRef>& triggered = state_.triggered[row.rule_id];
    const std::set<rules::SubjectRef>& flagged = state_.flagged[row.rule_id];
    std::set<rules::SubjectRef> not_flagged;
    for (const rules::SubjectRef& subject : triggered) {
      if (!flagged.contains(subject)) not_flagged.insert(subject);
    }
    row.flagged = GroupOf(flagged);
    row.not_flagged = GroupOf(not_flagged);
  }
  return result;
}

nlohmann::json GroupToJson(const OutcomeGroup& group, const std::string& success) {
  nlohmann::json json = {{"subjects", group.subjects}, {"outcomes", group.by_outcome}};
  json["success_rate"] = group.subjects == 0 ? nlohmann::json(nullptr)
                                             : nlohmann::json(static_cast<double>(group.by_outcome.at(success)) /
                                                              static_cast<double>(group.subjects));
  return json;
}

}  // namespace

const std::vector<std::string> kDefaultOutcomes = {"accepted=A_APPROVED,A_ACTIVATED", "declined=A_DECLINED",
                                                   "cancelled=A_CANCELLED"};

Result<OutcomeLabel> ParseOutcome(const std::string& text) {
  size_t equals = text.find('=');
  if (equals == std::string::npos || equals == 0 || equals + 1 == text.size()) {
    return InvalidArgument("--outcome '" + text + "' 无效；请写成 标签=事件类型[,事件类型]，例如 won=opportunity_won",
                           "--outcome '" + text + "' is invalid; write LABEL=TYPE[,TYPE], for example "
                           "won=opportunity_won");
  }
  OutcomeLabel outcome{text.substr(0, equals), {}};
  std::stringstream types(text.substr(equals + 1));
  for (std::string type; std::getline(types, type, ',');) {
    if (!type.empty()) outcome.event_types.push_back(type);
  }
  return outcome;
}

nlohmann::json BacktestToJson(const BacktestResult& result) {
  nlohmann::json json = {{"pack", result.pack_id},
                         {"version", result.version},
                         {"events", result.events},
                         {"first_event_us", result.first_event ? nlohmann::json(ToUnixMicros(*result.first_event)) : nullptr},
                         {"last_event_us", result.last_event ? nlohmann::json(ToUnixMicros(*result.last_event)) : nullptr},
                         {"windows_open_at_end", result.windows_open_at_end},
                         {"outcome_labels", result.outcome_labels},
                         {"success_outcome", result.outcome_labels.front()},
                         {"rules", nlohmann::json::array()}};
  for (const RuleBacktest& rule : result.rules) {
    json["rules"].push_back({{"id", rule.rule_id},
                             {"name", {{"zh", rule.name.zh}, {"en", rule.name.en}}},
                             {"kind", rule.kind},
                             {"subject", rule.subject_type},
                             {"alerts", rule.alerts},
                             {"evaluation_failures", rule.evaluation_failures},
                             {"by_week", rule.by_week},
                             {"by_team", rule.by_team},
                             {"by_level", rule.by_level},
                             {"flagged", GroupToJson(rule.flagged, result.outcome_labels.front())},
                             {"not_flagged", GroupToJson(rule.not_flagged, result.outcome_labels.front())}});
  }
  return json;
}

Result<BacktestResult> RunBacktest(store::Store& store, std::shared_ptr<const rules::CompiledPack> pack,
                                   const BacktestOptions& options) {
  Replay replay(store, std::move(pack), options);
  return replay.Run();
}

}  // namespace salesradar::api
