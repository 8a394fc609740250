// Runs rule scenario files (tests/scenarios/*.yaml): each names itself, gives calendars, a pack,
// subjects, engine options and steps (events, clock moves, people's actions, restarts and
// republished packs), and after each step the alert changes and state expected. The format is
// described in tests/scenarios/README.md.
//
// Usage: rules_scenarios FILE...   Exit status 0 when every file passes.
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "calendar/window.h"
#include "rules/engine.h"
#include "rules/memory_state_store.h"
#include "rules/memory_subject_resolver.h"
#include "scenario_support.h"

namespace salesradar::rules::scenario {
namespace {

namespace fs = std::filesystem;

Error Fail(const std::string& message) { return InvalidArgument(message, message); }

std::string Text(const YAML::Node& node) { return node.IsScalar() ? node.Scalar() : YAML::Dump(node); }

Result<SubjectRef> ParseSubject(const std::string& text) {
  size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == text.size()) {
    return Fail("subject '" + text + "' must read TYPE/ID, e.g. lead/L1");
  }
  return SubjectRef{text.substr(0, slash), text.substr(slash + 1)};
}

nlohmann::json YamlToJson(const YAML::Node& node) {
  if (node.IsMap()) {
    nlohmann::json object = nlohmann::json::object();
    for (const auto& entry : node) object[entry.first.Scalar()] = YamlToJson(entry.second);
    return object;
  }
  if (node.IsSequence()) {
    nlohmann::json array = nlohmann::json::array();
    for (const auto& item : node) array.push_back(YamlToJson(item));
    return array;
  }
  if (!node.IsScalar()) return nullptr;

  // Plain scalars that read as numbers or booleans become those; quoted ones stay text.
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;
  if (text == "true" || text == "false") return text == "true";
  if (text == "null" || text == "~") return nullptr;
  try {
    size_t used = 0;
    long long integer = std::stoll(text, &used);
    if (used == text.size()) return integer;
    double number = std::stod(text, &used);
    if (used == text.size()) return number;
  } catch (const std::exception&) {
  }
  return text;
}

std::string RecipientText(const ResolvedRecipient& recipient) {
  switch (recipient.role) {
    case Recipient::Role::kOwner: return "owner:" + recipient.user_id;
    case Recipient::Role::kOwnerManager: return "owner_manager:" + recipient.user_id;
    case Recipient::Role::kDepartment: return "department:" + recipient.department;
  }
  return "";
}

class ScenarioRun {
 public:
  explicit ScenarioRun(fs::path file) : file_(std::move(file)) {}

  // Runs the file; prints what failed and returns false on failure.
  bool Run();

 private:
  Status Setup(const YAML::Node& root);
  Status LoadSubjects(const YAML::Node& root);
  Status ReadOptions(const YAML::Node& node);
  Status StartEngine();
  Status Publish(const YAML::Node& node);
  Status RunStep(const YAML::Node& step, std::vector<AlertChange>& changes);
  Status RunEvent(const YAML::Node& step, std::vector<AlertChange>& changes);
  Status RunPersonAction(const YAML::Node& step, const std::string& action, std::vector<AlertChange>& changes);
  Result<std::string> FindAlertId(const std::string& spec) const;
  Status CheckChanges(const YAML::Node& expected, const std::vector<AlertChange>& actual) const;
  Status MatchChange(const YAML::Node& expected, const AlertChange& actual) const;
  Status CheckState(const YAML::Node& state);
  Status MatchTime(const std::string& field, const YAML::Node& expected, std::optional<Timestamp> actual) const;
  std::string Describe(const AlertChange& change) const;

  fs::path file_;
  std::string zone_ = "Asia/Shanghai";
  ManualClock clock_;
  std::unique_ptr<calendar::CalendarRegistry> calendars_;
  CompileContext context_;
  std::unique_ptr<MemorySubjectResolver> subjects_;
  MemoryStateStore store_;
  EngineOptions options_;
  std::vector<std::shared_ptr<const CompiledPack>> packs_;  // every version published, in order
  std::unique_ptr<Engine> engine_;
  std::vector<EvaluationFailure> failures_;
};

bool ScenarioRun::Run() {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file_.string());
  } catch (const YAML::Exception& e) {
    std::cerr << file_.string() << ": " << e.what() << "\n";
    return false;
  }
  std::string name = root["name"] ? root["name"].Scalar() : file_.stem().string();

  Status setup = Setup(root);
  if (!setup.ok()) {
    std::cerr << file_.string() << ": setup failed: " << setup.error().message_en() << "\n";
    return false;
  }

  const YAML::Node steps = root["steps"];
  for (size_t i = 0; i < steps.size(); ++i) {
    std::vector<AlertChange> changes;
    Status status = RunStep(steps[i], changes);
    if (status.ok() && steps[i]["state"]) status = CheckState(steps[i]["state"]);
    if (!status.ok()) {
      std::cerr << file_.string() << ":" << steps[i].Mark().line + 1 << ": scenario '" << name << "', step " << i + 1
                << ": " << status.error().message_en() << "\n";
      return false;
    }
  }
  std::cout << "PASS " << name << " (" << steps.size() << " steps)\n";
  return true;
}

Status ScenarioRun::Setup(const YAML::Node& root) {
  std::vector<std::string> calendar_ids = {"cn"};
  if (root["calendars"]) calendar_ids = root["calendars"].as<std::vector<std::string>>();
  SR_ASSIGN_OR_RETURN(calendars_, LoadCalendars(calendar_ids));
  SR_ASSIGN_OR_RETURN(auto first, calendars_->Find(calendar_ids.front()));
  zone_ = root["zone"] ? root["zone"].Scalar() : first->spec().zone;

  fs::path schemas = file_.parent_path() / (root["schemas"] ? root["schemas"].Scalar() : "subjects.yaml");
  SR_ASSIGN_OR_RETURN(context_.subjects, LoadSchemas(schemas));
  context_.calendars = calendars_.get();

  if (!root["start"]) return Fail("the scenario needs a 'start' time");
  SR_ASSIGN_OR_RETURN(Timestamp start, ParseTime(root["start"].Scalar(), zone_));
  clock_.Set(start);

  SR_RETURN_IF_ERROR(LoadSubjects(root));
  SR_RETURN_IF_ERROR(ReadOptions(root["options"]));
  SR_RETURN_IF_ERROR(StartEngine());
  if (!root["pack"]) return Fail("the scenario needs a 'pack'");
  return Publish(root["pack"]);
}

Status ScenarioRun::LoadSubjects(const YAML::Node& root) {
  subjects_ = std::make_unique<MemorySubjectResolver>(context_.subjects);
  for (const YAML::Node& subject : root["subjects"]) {
    SR_ASSIGN_OR_RETURN(SubjectRef ref, ParseSubject(subject["ref"].Scalar()));
    nlohmann::json fields = subject["fields"] ? YamlToJson(subject["fields"]) : nlohmann::json::object();
    std::string name = subject["name"] ? subject["name"].Scalar() : "";
    if (!name.empty()) fields["name"] = name;
    subjects_->Put(ref, std::move(fields), name, subject["owner"] ? subject["owner"].Scalar() : "");
  }
  for (const auto& entry : root["managers"]) subjects_->SetManager(entry.first.Scalar(), entry.second.Scalar());
  return OkStatus();
}

Status ScenarioRun::ReadOptions(const YAML::Node& node) {
  options_.on_evaluation_failure = [this](const EvaluationFailure& failure) { failures_.push_back(failure); };
  if (!node) return OkStatus();

  for (const char* key : {"allowed_lateness", "late_trigger_memory"}) {
    if (!node[key]) continue;
    SR_ASSIGN_OR_RETURN(calendar::Window window, calendar::ParseWindow(node[key].Scalar()));
    Microseconds duration = window.Duration();
    if (std::string(key) == "allowed_lateness") {
      options_.allowed_lateness = duration;
    } else {
      options_.late_trigger_memory = duration;
    }
  }
  if (node["max_causation_depth"]) options_.max_causation_depth = node["max_causation_depth"].as<int>();
  return OkStatus();
}

Status ScenarioRun::StartEngine() {
  engine_ = std::make_unique<Engine>(clock_, *subjects_, store_, options_);
  std::map<std::string, std::shared_ptr<const CompiledPack>> latest;
  for (const auto& pack : packs_) latest[pack->id()] = pack;
  for (const auto& pack : packs_) {
    if (latest[pack->id()] != pack) SR_RETURN_IF_ERROR(engine_->KeepVersion(pack));
  }
  for (const auto& [id, pack] : latest) SR_RETURN_IF_ERROR(engine_->Publish(pack));
  return engine_->Restore().ok() ? OkStatus() : Fail("restore failed");
}

Status ScenarioRun::Publish(const YAML::Node& node) {
  SR_ASSIGN_OR_RETURN(auto pack, CompilePackNode(node, file_.parent_path(), context_));
  SR_RETURN_IF_ERROR(engine_->Publish(pack));
  packs_.push_back(pack);
  return OkStatus();
}

Status ScenarioRun::RunStep(const YAML::Node& step, std::vector<AlertChange>& changes) {
  if (step["at"]) {
    SR_ASSIGN_OR_RETURN(Timestamp at, ParseTime(step["at"].Scalar(), zone_));
    if (at < clock_.Now()) return Fail("'at' moves the clock back to " + step["at"].Scalar());
    clock_.Set(at);
  }

  if (step["event"]) {
    SR_RETURN_IF_ERROR(RunEvent(step, changes));
  } else if (step["restart"]) {
    // The old engine's pending batch is written first, as a clean shutdown does.
    SR_RETURN_IF_ERROR(engine_->Flush());
    engine_.reset();
    SR_RETURN_IF_ERROR(StartEngine());
  } else if (step["publish"]) {
    Status published = Publish(step["publish"]);
    std::string expected_error = step["error"] ? step["error"].Scalar() : "";
    std::string code = published.ok() ? "" : std::string(ErrorCodeName(published.error().code()));
    if (code != expected_error) {
      return Fail("publish: " + (published.ok() ? "succeeded" : published.error().message_en()) +
                  (expected_error.empty() ? "" : ", expected error " + expected_error));
    }
  } else if (step["acknowledge"] || step["snooze"] || step["resolve"]) {
    std::string action = "resolve";
    if (step["acknowledge"]) action = "acknowledge";
    if (step["snooze"]) action = "snooze";
    SR_RETURN_IF_ERROR(RunPersonAction(step, action, changes));
  } else {
    SR_ASSIGN_OR_RETURN(changes, engine_->FireDueTimers());
  }
  return CheckChanges(step["expect"], changes);
}

Status ScenarioRun::RunEvent(const YAML::Node& step, std::vector<AlertChange>& changes) {
  const YAML::Node node = step["event"];
  Event event;
  event.id = node["id"].Scalar();
  event.type = node["type"].Scalar();
  SR_ASSIGN_OR_RETURN(event.subject, ParseSubject(node["subject"].Scalar()));
  if (node["actor"]) event.actor = node["actor"].Scalar();
  event.received_at = clock_.Now();
  event.occurred_at = clock_.Now();
  if (node["at"]) {
    SR_ASSIGN_OR_RETURN(event.occurred_at, ParseTime(node["at"].Scalar(), zone_));
  }
  if (node["payload"]) event.payload = YamlToJson(node["payload"]);
  if (node["origin_rule"]) event.origin_rule = node["origin_rule"].Scalar();
  if (node["depth"]) event.causation_depth = node["depth"].as<int>();

  SR_ASSIGN_OR_RETURN(EventOutcome outcome, engine_->OnEvent(event));
  std::string status = outcome.status == EventOutcome::Status::kProcessed   ? "processed"
                       : outcome.status == EventOutcome::Status::kDuplicate ? "duplicate"
                                                                            : "too_deep";
  std::string expected = step["outcome"] ? step["outcome"].Scalar() : "processed";
  if (status != expected) return Fail("event " + event.id + ": outcome " + status + ", expected " + expected);
  changes = std::move(outcome.changes);
  return OkStatus();
}

Result<std::string> ScenarioRun::FindAlertId(const std::string& spec) const {
  size_t space = spec.find(' ');
  if (space == std::string::npos) return Fail("alert '" + spec + "' must read 'RULE TYPE/ID'");
  std::string rule = spec.substr(0, space);
  SR_ASSIGN_OR_RETURN(SubjectRef subject, ParseSubject(spec.substr(space + 1)));
  for (const Alert* alert : engine_->UnresolvedAlerts()) {
    if (alert->key.rule_id == rule && alert->key.subject == subject) return alert->id;
  }
  // Let the engine report the missing alert, for steps that expect that error.
  return rule + "/" + subject.ToString() + "/(none)";
}

Status ScenarioRun::RunPersonAction(const YAML::Node& step, const std::string& action,
                                    std::vector<AlertChange>& changes) {
  const YAML::Node node = step[action];
  SR_ASSIGN_OR_RETURN(std::string alert_id, FindAlertId(node["alert"].Scalar()));
  std::string actor = node["by"] ? node["by"].Scalar() : "";
  std::string note = node["note"] ? node["note"].Scalar() : "";

  Result<std::vector<AlertChange>> result = Fail("no action");
  if (action == "acknowledge") result = engine_->Acknowledge(alert_id, actor, note);
  if (action == "resolve") result = engine_->Resolve(alert_id, actor, note);
  if (action == "snooze") {
    SR_ASSIGN_OR_RETURN(Timestamp until, ParseTime(node["until"].Scalar(), zone_));
    result = engine_->Snooze(alert_id, actor, until, note);
  }

  std::string expected_error = step["error"] ? step["error"].Scalar() : "";
  if (!result.ok()) {
    std::string code(ErrorCodeName(result.error().code()));
    if (code == expected_error) return OkStatus();
    return Fail(action + " failed: " + result.error().message_en());
  }
  if (!expected_error.empty()) return Fail(action + " succeeded, expected error " + expected_error);
  changes = std::move(result).value();
  return OkStatus();
}

std::string ScenarioRun::Describe(const AlertChange& change) const {
  std::string text = std::string(AlertActionName(change.action)) + " " + change.key.rule_id + " v" +
                     std::to_string(change.key.version) + " " + change.key.subject.ToString() + " " +
                     std::string(LevelName(change.level)) + " " + std::string(AlertStatusName(change.status)) +
                     " raised_at=" + FormatTime(change.raised_at, zone_) + " at=" + FormatTime(change.at, zone_);
  if (change.ticket) text += " ticket=" + std::string(TicketStatusName(change.ticket->status)) + ":" + change.ticket->department;
  return text + " | " + change.message.zh + " | " + change.message.en;
}

Status ScenarioRun::CheckChanges(const YAML::Node& expected, const std::vector<AlertChange>& actual) const {
  size_t expected_count = expected ? expected.size() : 0;
  std::string listing;
  for (const AlertChange& change : actual) listing += "\n    " + Describe(change);

  if (expected_count != actual.size()) {
    return Fail("expected " + std::to_string(expected_count) + " alert change(s), got " +
                std::to_string(actual.size()) + ":" + listing);
  }
  for (size_t i = 0; i < expected_count; ++i) {
    Status match = MatchChange(expected[i], actual[i]);
    if (!match.ok()) return Fail("change " + std::to_string(i + 1) + ": " + match.error().message_en() + "; changes:" + listing);
  }
  return OkStatus();
}

Status ScenarioRun::MatchTime(const std::string& field, const YAML::Node& expected, std::optional<Timestamp> actual) const {
  if (expected.IsNull() || Text(expected) == "none") {
    if (actual) return Fail(field + " is " + FormatTime(*actual, zone_) + ", expected none");
    return OkStatus();
  }
  SR_ASSIGN_OR_RETURN(Timestamp want, ParseTime(expected.Scalar(), zone_));
  if (!actual) return Fail(field + " is none, expected " + FormatTime(want, zone_));
  if (*actual != want) return Fail(field + " is " + FormatTime(*actual, zone_) + ", expected " + FormatTime(want, zone_));
  return OkStatus();
}

Status ScenarioRun::MatchChange(const YAML::Node& expected, const AlertChange& actual) const {
  for (const auto& entry : expected) {
    std::string key = entry.first.Scalar();
    const YAML::Node want = entry.second;
    std::string got;
    if (key == "at" || key == "raised_at") {
      SR_RETURN_IF_ERROR(MatchTime(key, want, key == "at" ? actual.at : actual.raised_at));
      continue;
    }
    if (key == "action") got = AlertActionName(actual.action);
    else if (key == "rule") got = actual.key.rule_id;
    else if (key == "version") got = std::to_string(actual.key.version);
    else if (key == "subject") got = actual.key.subject.ToString();
    else if (key == "occurrence") got = actual.key.occurrence;
    else if (key == "level") got = LevelName(actual.level);
    else if (key == "status") got = AlertStatusName(actual.status);
    else if (key == "actor") got = actual.actor;
    else if (key == "note") got = actual.note;
    else if (key == "message_zh") got = actual.message.zh;
    else if (key == "message_en") got = actual.message.en;
    else if (key == "ticket") {
      got = actual.ticket ? std::string(TicketStatusName(actual.ticket->status)) + ":" + actual.ticket->department : "none";
    } else if (key == "recipients") {
      std::vector<std::string> names;
      for (const ResolvedRecipient& recipient : actual.recipients) names.push_back(RecipientText(recipient));
      std::vector<std::string> wanted = want.as<std::vector<std::string>>();
      if (names != wanted) {
        std::string joined;
        for (const std::string& name : names) joined += name + " ";
        return Fail("recipients are [" + joined + "], expected " + YAML::Dump(want));
      }
      continue;
    } else {
      return Fail("unknown key '" + key + "' in an expected change");
    }
    if (got != Text(want)) return Fail(key + " is '" + got + "', expected '" + Text(want) + "'");
  }
  return OkStatus();
}

Status ScenarioRun::CheckState(const YAML::Node& state) {
  for (const auto& entry : state) {
    std::string key = entry.first.Scalar();
    const YAML::Node want = entry.second;
    if (key == "open_alerts") {
      std::vector<const Alert*> alerts = engine_->UnresolvedAlerts();
      if (alerts.size() != want.size()) {
        std::string ids;
        for (const Alert* alert : alerts) ids += "\n    " + alert->id + " " + std::string(LevelName(alert->level));
        return Fail("state: " + std::to_string(alerts.size()) + " unresolved alert(s), expected " +
                    std::to_string(want.size()) + ":" + ids);
      }
      for (size_t i = 0; i < alerts.size(); ++i) {
        const Alert& alert = *alerts[i];
        for (const auto& field : want[i]) {
          std::string name = field.first.Scalar();
          if (name == "escalation_due_at") {
            SR_RETURN_IF_ERROR(MatchTime("escalation_due_at of " + alert.id, field.second, alert.escalation_due_at));
            continue;
          }
          if (name == "snoozed_until") {
            SR_RETURN_IF_ERROR(MatchTime("snoozed_until of " + alert.id, field.second, alert.snoozed_until));
            continue;
          }
          std::string got = name == "rule"           ? alert.key.rule_id
                            : name == "subject"      ? alert.key.subject.ToString()
                            : name == "level"        ? std::string(LevelName(alert.level))
                            : name == "status"       ? std::string(AlertStatusName(alert.status))
                            : name == "version"      ? std::to_string(alert.key.version)
                            : name == "refire_count" ? std::to_string(alert.refire_count)
                            : name == "history"      ? std::to_string(alert.history.size())
                                                     : "(unknown key '" + name + "')";
          if (got != Text(field.second)) {
            return Fail("state: alert " + alert.id + " " + name + " is '" + got + "', expected '" + Text(field.second) + "'");
          }
        }
      }
      continue;
    }

    size_t got = 0;
    if (key == "windows") got = engine_->window_count();
    else if (key == "counters") got = engine_->counter_count();
    else if (key == "timers") got = engine_->timer_count();
    else if (key == "stored_windows") got = store_.window_count();
    else if (key == "processed_events") got = store_.processed_count();
    else if (key == "evaluation_failures") got = failures_.size();
    else if (key == "stored_alerts" || key == "stored_tickets") {
      SR_RETURN_IF_ERROR(engine_->Flush());
      if (key == "stored_alerts") {
        SR_ASSIGN_OR_RETURN(auto alerts, store_.AllAlerts());
        got = alerts.size();
      } else {
        SR_ASSIGN_OR_RETURN(auto tickets, store_.AllTickets());
        got = tickets.size();
      }
    } else if (key == "loop_skips") {
      // Stats cover all versions of a rule, so each rule counts once.
      std::set<std::pair<std::string, std::string>> rules;
      for (const auto& pack : packs_) {
        for (const CompiledRule& rule : pack->rules()) rules.insert({pack->id(), rule.rule->id});
      }
      for (const auto& [pack_id, rule_id] : rules) got += engine_->Stats(pack_id, rule_id).loop_skips;
    } else {
      return Fail("unknown key '" + key + "' in a state check");
    }
    if (std::to_string(got) != Text(want)) return Fail("state: " + key + " is " + std::to_string(got) + ", expected " + Text(want));
  }
  return OkStatus();
}

}  // namespace
}  // namespace salesradar::rules::scenario

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: rules_scenarios FILE...\n";
    return 2;
  }
  int failed = 0;
  for (int i = 1; i < argc; ++i) {
    salesradar::rules::scenario::ScenarioRun run{std::filesystem::path(argv[i])};
    if (!run.Run()) ++failed;
  }
  return failed == 0 ? 0 : 1;
}
