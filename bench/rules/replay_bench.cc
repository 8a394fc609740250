// Replay throughput of the rules engine against its peers, in one run over the same generated
// events (bench/rules/replay_events.h):
//   engine       examples/rules/b2b-default.yaml through rules::Engine on a simulated clock
//   handwritten  the same conditions written directly in C++, counting alerts only
//   handwritten_pack
//                the whole pack written directly in C++, with the alerts, messages, history,
//                escalation, tickets and outbox that the engine makes (the ceiling). The
//                benchmark fails when its alert changes or tickets differ from the engine's.
//   sql          "lead without follow-up in 48 hours" found by SQL over the events in SQLite,
//                once over everything and as a cron job every 15 simulated minutes
// With --dump-jsonl PATH it also writes the events for the json-rules-engine peer
// (bench/rules/json-rules-engine/); --no-sql skips the SQL part, for profiling.
// --compare-changes keeps every alert change of the engine and of the hand-written pack in memory
// and compares them record by record, messages included.
// Usage: replay_bench [--events N] [--dump-jsonl PATH] [--no-sql] [--compare-changes]
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bench/rules/handwritten_pack.h"
#include "bench/rules/handwritten_rules.h"
#include "bench/rules/replay_events.h"
#include "calendar/calendar_loader.h"
#include "calendar/calendar_registry.h"
#include "rules/compiler.h"
#include "rules/engine.h"
#include "rules/memory_subject_resolver.h"

namespace salesradar::bench {
namespace {

using Clock = std::chrono::steady_clock;

// The engine's batches are written, and the hand-written pack's outbox dropped, after this many events.
constexpr int64_t kFlushEvents = 50'000;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// CPU time of the calling thread: on a shared machine it varies less than wall time.
double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) / 1e9;
}

// Wall and CPU time of one timed section.
struct Timing {
  double seconds = 0;
  double cpu_seconds = 0;
};

class Stopwatch {
 public:
  Timing Stop() const { return {SecondsSince(wall_), ThreadCpuSeconds() - cpu_}; }

 private:
  Clock::time_point wall_ = Clock::now();
  double cpu_ = ThreadCpuSeconds();
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Drops every batch: the benchmark measures matching, not storage.
class DiscardingStateStore final : public rules::EngineStateStore {
 public:
  Status Apply(const rules::StateBatch&) override { return OkStatus(); }
  Result<rules::EngineSnapshot> LoadSnapshot() override { return rules::EngineSnapshot{}; }
  Result<bool> IsProcessed(std::string_view) override { return false; }
};

std::vector<rules::SubjectSchema> Schemas() {
  using cel::Type;
  return {{"lead", {"Lead", {{"name", Type::String()}}}},
          {"opportunity", {"Opportunity", {{"name", Type::String()}, {"stage", Type::String()}}}},
          {"contract", {"Contract", {{"name", Type::String()}}}},
          {"visit", {"Visit", {{"name", Type::String()}}}},
          {"rep", {"Rep", {{"name", Type::String()}}}}};
}

std::shared_ptr<const rules::CompiledPack> CompileDefaultPack(calendar::CalendarRegistry& calendars) {
  std::string dir = std::string(SALESRADAR_SOURCE_DIR) + "/examples/calendars/cn/";
  std::vector<calendar::CalendarFile> years = {{"cn/2025.yaml", ReadFile(dir + "2025.yaml")},
                                               {"cn/2026.yaml", ReadFile(dir + "2026.yaml")}};
  Result<calendar::BusinessCalendar> cn = calendar::LoadCalendar({"cn/calendar.yaml", ReadFile(dir + "calendar.yaml")}, years);
  if (!cn.ok() || !calendars.Add(std::move(cn).value()).ok()) return nullptr;

  rules::CompileContext context{Schemas(), &calendars};
  std::string pack = ReadFile(std::string(SALESRADAR_SOURCE_DIR) + "/examples/rules/b2b-default.yaml");
  rules::CompileResult compiled = rules::CheckRulePack(pack, "b2b-default.yaml", context);
  for (const rules::Problem& problem : compiled.problems) std::cerr << rules::FormatProblem(problem, Locale::kEnglish) << "\n";
  return compiled.pack;
}

// Adds each event's subject, owned by the actor of its first event, and each actor as a rep.
// Subjects are named by their ids.
void PutSubjects(const std::vector<rules::Event>& events, rules::MemorySubjectResolver& subjects) {
  std::set<rules::SubjectRef> seen;
  for (const rules::Event& event : events) {
    if (seen.insert(event.subject).second) {
      subjects.Put(event.subject, {{"name", event.subject.id}}, event.subject.id, event.actor);
    }
    rules::SubjectRef rep{"rep", event.actor};
    if (seen.insert(rep).second) subjects.Put(rep, {{"name", event.actor}}, event.actor, event.actor);
  }
}

int64_t& CountOf(ChangeCounts& counts, const std::string& rule_id, std::string_view action) {
  auto rule = counts.find(rule_id);
  if (rule == counts.end()) rule = counts.emplace(rule_id, ChangeCounts::mapped_type()).first;
  auto entry = rule->second.find(action);
  if (entry == rule->second.end()) entry = rule->second.emplace(std::string(action), 0).first;
  return entry->second;
}

struct EngineRun {
  Timing time;
  std::map<std::string, int64_t> alerts;
  std::map<std::string, int64_t> refires;
  ChangeCounts changes;
  int64_t tickets_opened = 0;
  int64_t tickets_closed = 0;
  uint64_t failures = 0;
};

// Replays `events` through the engine. When `all_changes` is not null it receives every change.
EngineRun RunEngine(const std::vector<rules::Event>& events, std::shared_ptr<const rules::CompiledPack> pack,
                    std::vector<rules::AlertChange>* all_changes) {
  rules::MemorySubjectResolver subjects(Schemas());
  PutSubjects(events, subjects);

  ManualClock clock(events.front().occurred_at);
  DiscardingStateStore state;
  rules::EngineOptions options;
  options.flush_after_each_call = false;
  rules::Engine engine(clock, subjects, state, options);
  if (!engine.Publish(pack).ok() || !engine.Restore().ok()) std::abort();

  EngineRun run;
  auto count = [&run, all_changes](const std::vector<rules::AlertChange>& changes) {
    for (const rules::AlertChange& change : changes) {
      if (change.action == rules::AlertAction::kRaised) ++run.alerts[change.key.rule_id];
      if (change.action == rules::AlertAction::kRefired) ++run.refires[change.key.rule_id];
      ++CountOf(run.changes, change.key.rule_id, rules::AlertActionName(change.action));
      if (!change.ticket) continue;
      ++(change.ticket->status == rules::TicketStatus::kOpen ? run.tickets_opened : run.tickets_closed);
    }
    if (all_changes != nullptr) all_changes->insert(all_changes->end(), changes.begin(), changes.end());
  };

  Stopwatch stopwatch;
  int64_t processed = 0;
  for (const rules::Event& event : events) {
    if (event.occurred_at > clock.Now()) clock.Set(event.occurred_at);
    Result<rules::EventOutcome> outcome = engine.OnEvent(event);
    if (!outcome.ok()) std::abort();
    count(outcome->changes);
    if (++processed % kFlushEvents == 0 && !engine.Flush().ok()) std::abort();
  }
  Result<std::vector<rules::AlertChange>> last = engine.FireDueTimers();
  if (last.ok()) count(*last);
  (void)engine.Flush();
  run.time = stopwatch.Stop();

  for (const rules::CompiledRule& rule : pack->rules()) run.failures += engine.Stats(pack->id(), rule.rule->id).failures;
  return run;
}

struct PackRun {
  Timing time;
  HandwrittenPackResult result;
};

PackRun RunPack(const std::vector<rules::Event>& events, const calendar::BusinessCalendar& cn,
                std::vector<rules::AlertChange>* all_changes) {
  rules::MemorySubjectResolver subjects(Schemas());
  PutSubjects(events, subjects);

  // The stopwatch stops before the replay's state is freed, because the engine's teardown is not
  // timed either.
  PackRun run;
  Stopwatch stopwatch;
  auto stop = [&run, &stopwatch] { run.time = stopwatch.Stop(); };
  run.result = RunHandwrittenPack(events, subjects, cn, kFlushEvents, all_changes, stop);
  return run;
}

void Exec(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  if (sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::cerr << "sqlite: " << (message ? message : "") << "\n";
    std::abort();
  }
}

int64_t QueryCount(sqlite3_stmt* statement, int64_t from, int64_t to) {
  sqlite3_bind_int64(statement, 1, from);
  sqlite3_bind_int64(statement, 2, to);
  int64_t count = 0;
  if (sqlite3_step(statement) == SQLITE_ROW) count = sqlite3_column_int64(statement, 0);
  sqlite3_reset(statement);
  return count;
}

struct SqlRun {
  double load_seconds = 0;
  double full_query_seconds = 0;
  int64_t full_query_alerts = 0;
  double cron_seconds = 0;
  int64_t cron_runs = 0;
  int64_t cron_alerts = 0;
};

SqlRun RunSql(const std::vector<rules::Event>& events) {
  sqlite3* db = nullptr;
  sqlite3_open(":memory:", &db);
  Exec(db, "CREATE TABLE events (id TEXT PRIMARY KEY, type TEXT, subject_id TEXT, occurred_at INTEGER)");

  SqlRun run;
  Clock::time_point start = Clock::now();
  Exec(db, "BEGIN");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO events VALUES (?, ?, ?, ?)", -1, &insert, nullptr);
  for (const rules::Event& event : events) {
    sqlite3_bind_text(insert, 1, event.id.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 2, event.type.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(insert, 3, event.subject.id.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(insert, 4, ToUnixMicros(event.occurred_at));
    sqlite3_step(insert);
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  Exec(db, "COMMIT");
  Exec(db, "CREATE INDEX events_type_time ON events (type, occurred_at)");
  Exec(db, "CREATE INDEX events_subject ON events (subject_id, type, occurred_at)");
  run.load_seconds = SecondsSince(start);

  // Leads whose 48-hour deadline falls in [?1, ?2) and that had no follow-up before it.
  const int64_t window = int64_t{48} * 3600 * 1'000'000;
  std::string sql = fmt::format(
      "SELECT count(*) FROM events l WHERE l.type = 'lead_created' AND l.occurred_at + {0} >= ?1 "
      "AND l.occurred_at + {0} < ?2 AND NOT EXISTS (SELECT 1 FROM events f WHERE f.subject_id = l.subject_id "
      "AND f.type IN ('call_logged', 'visit_completed', 'message_sent', 'email_sent') "
      "AND f.occurred_at >= l.occurred_at AND f.occurred_at < l.occurred_at + {0})",
      window);
  sqlite3_stmt* query = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &query, nullptr);

  int64_t first = ToUnixMicros(events.front().occurred_at);
  int64_t last = ToUnixMicros(events.back().occurred_at);
  start = Clock::now();
  run.full_query_alerts = QueryCount(query, INT64_MIN / 2, last + 1);
  run.full_query_seconds = SecondsSince(start);

  const int64_t period = int64_t{15} * 60 * 1'000'000;
  start = Clock::now();
  for (int64_t from = first; from <= last; from += period) {
    run.cron_alerts += QueryCount(query, from, std::min(from + period, last + 1));
    ++run.cron_runs;
  }
  run.cron_seconds = SecondsSince(start);

  sqlite3_finalize(query);
  sqlite3_close(db);
  return run;
}

void DumpJsonLines(const std::vector<rules::Event>& events, const std::string& path) {
  std::ofstream out(path);
  for (const rules::Event& event : events) {
    nlohmann::json line = {{"id", event.id},           {"type", event.type}, {"subject_type", event.subject.type},
                           {"subject_id", event.subject.id}, {"actor", event.actor},
                           {"occurred_at_us", ToUnixMicros(event.occurred_at)}, {"payload", event.payload}};
    out << line.dump() << "\n";
  }
}

int64_t Total(const std::map<std::string, int64_t>& alerts) {
  int64_t total = 0;
  for (const auto& [rule, count] : alerts) total += count;
  return total;
}

int64_t CountIn(const ChangeCounts& counts, const std::string& rule_id, const std::string& action) {
  auto rule = counts.find(rule_id);
  if (rule == counts.end()) return 0;
  auto entry = rule->second.find(action);
  return entry == rule->second.end() ? 0 : entry->second;
}

// Returns one line for each (rule, action) count and each ticket count that differs.
std::vector<std::string> CountDifferences(const EngineRun& engine, const HandwrittenPackResult& pack) {
  std::set<std::pair<std::string, std::string>> keys;
  for (const ChangeCounts* counts : {&engine.changes, &pack.changes}) {
    for (const auto& [rule, actions] : *counts) {
      for (const auto& [action, n] : actions) keys.emplace(rule, action);
    }
  }

  std::vector<std::string> differences;
  for (const auto& [rule, action] : keys) {
    int64_t expected = CountIn(engine.changes, rule, action);
    int64_t actual = CountIn(pack.changes, rule, action);
    if (expected == actual) continue;
    differences.push_back(fmt::format("{} {}: engine {}, handwritten pack {}", rule, action, expected, actual));
  }
  if (engine.tickets_opened != pack.tickets_opened) {
    differences.push_back(
        fmt::format("tickets opened: engine {}, handwritten pack {}", engine.tickets_opened, pack.tickets_opened));
  }
  if (engine.tickets_closed != pack.tickets_closed) {
    differences.push_back(
        fmt::format("tickets closed: engine {}, handwritten pack {}", engine.tickets_closed, pack.tickets_closed));
  }
  return differences;
}

std::string DescribeTicket(const std::optional<rules::Ticket>& ticket) {
  if (!ticket) return "none";
  std::string closed = ticket->closed_at ? std::to_string(ToUnixMicros(*ticket->closed_at)) : "-";
  return fmt::format("{} {} {} opened {} closed {}", ticket->id, ticket->department,
                     rules::TicketStatusName(ticket->status), ToUnixMicros(ticket->opened_at), closed);
}

// Writes every field of `change` on one line, so that two changes compare as text.
std::string DescribeChange(const rules::AlertChange& change) {
  std::string recipients;
  for (const rules::ResolvedRecipient& recipient : change.recipients) {
    recipients += fmt::format("[{} {} {}]", static_cast<int>(recipient.role), recipient.user_id, recipient.department);
  }
  return fmt::format("{} {} {} {} raised_at {} at {} by {} note '{}' message '{}' / '{}' recipients {} ticket {}",
                     change.alert_id, rules::AlertActionName(change.action), rules::LevelName(change.level),
                     rules::AlertStatusName(change.status), ToUnixMicros(change.raised_at), ToUnixMicros(change.at),
                     change.actor, change.note, change.message.zh, change.message.en, recipients,
                     DescribeTicket(change.ticket));
}

// Returns how many changes differ by position, or are missing from one side, and prints the
// first three that differ.
int64_t CompareChanges(const std::vector<rules::AlertChange>& engine, const std::vector<rules::AlertChange>& pack) {
  size_t common = std::min(engine.size(), pack.size());
  int64_t differences = static_cast<int64_t>(std::max(engine.size(), pack.size()) - common);
  for (size_t i = 0; i < common; ++i) {
    std::string expected = DescribeChange(engine[i]);
    std::string actual = DescribeChange(pack[i]);
    if (expected == actual) continue;
    if (++differences > 3) continue;
    std::cerr << fmt::format("change {} differs:\n  engine:           {}\n  handwritten pack: {}\n", i, expected,
                             actual);
  }
  return differences;
}

nlohmann::json EngineJson(const EngineRun& engine, double events) {
  return {{"seconds", engine.time.seconds},
          {"cpu_seconds", engine.time.cpu_seconds},
          {"events_per_second", events / engine.time.seconds},
          {"alerts", engine.alerts},
          {"refires", engine.refires},
          {"changes", engine.changes},
          {"tickets_opened", engine.tickets_opened},
          {"tickets_closed", engine.tickets_closed},
          {"failed_evaluations", engine.failures}};
}

nlohmann::json PackJson(const PackRun& run, double events) {
  return {{"seconds", run.time.seconds},
          {"cpu_seconds", run.time.cpu_seconds},
          {"events_per_second", events / run.time.seconds},
          {"alerts", run.result.raised},
          {"refires", run.result.refired},
          {"changes", run.result.changes},
          {"tickets_opened", run.result.tickets_opened},
          {"tickets_closed", run.result.tickets_closed}};
}

std::string SummaryLine(const EngineRun& engine, const Timing& handwritten_time, const HandwrittenAlerts& handwritten,
                        const PackRun& pack, double events) {
  return fmt::format(
      "engine {:.2f} s, CPU {:.2f} s ({:.0f} events/s, {} alerts, {} refires), handwritten {:.3f} s, CPU {:.3f} s "
      "({} alerts, {} refires), ratio {:.1f}x wall, {:.1f}x CPU; handwritten pack {:.3f} s, CPU {:.3f} s "
      "({} alerts, {} refires, {} tickets), ratio {:.1f}x wall, {:.1f}x CPU\n",
      engine.time.seconds, engine.time.cpu_seconds, events / engine.time.seconds, Total(engine.alerts),
      Total(engine.refires), handwritten_time.seconds, handwritten_time.cpu_seconds, Total(handwritten.raised),
      Total(handwritten.refired), engine.time.seconds / handwritten_time.seconds,
      engine.time.cpu_seconds / handwritten_time.cpu_seconds, pack.time.seconds, pack.time.cpu_seconds,
      Total(pack.result.raised), Total(pack.result.refired), pack.result.tickets_opened,
      engine.time.seconds / pack.time.seconds, engine.time.cpu_seconds / pack.time.cpu_seconds);
}

// Returns 0 when the hand-written pack made the engine's changes and tickets, and 1 after
// printing what differs otherwise. With `compare_changes` it also compares every record.
int CheckPackMatchesEngine(const EngineRun& engine, const HandwrittenPackResult& pack, bool compare_changes,
                           const std::vector<rules::AlertChange>& engine_changes,
                           const std::vector<rules::AlertChange>& pack_changes) {
  std::vector<std::string> differences = CountDifferences(engine, pack);
  for (const std::string& difference : differences) std::cerr << "  " << difference << "\n";
  if (!differences.empty()) {
    std::cerr << "replay_bench: the hand-written pack's counts of alert changes or tickets differ from the engine's, "
                 "as listed above. Bring bench/rules/handwritten_pack.cc in line with the engine, or fix the engine. "
                 "--compare-changes prints the first records that differ.\n";
    return 1;
  }
  if (!compare_changes) return 0;

  int64_t changed = CompareChanges(engine_changes, pack_changes);
  if (changed > 0) {
    std::cerr << fmt::format(
        "replay_bench: {} of {} alert changes differ between the engine and the hand-written pack\n", changed,
        engine_changes.size());
    return 1;
  }
  std::cerr << fmt::format("all {} alert changes are equal, messages included\n", engine_changes.size());
  return 0;
}

int Main(int argc, char** argv) {
  int64_t count = 1'000'000;
  std::string dump_path;
  bool sql = true;
  bool compare_changes = false;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--no-sql") sql = false;
    if (flag == "--compare-changes") compare_changes = true;
    if (i + 1 >= argc) continue;
    if (flag == "--events") count = std::atoll(argv[i + 1]);
    if (flag == "--dump-jsonl") dump_path = argv[i + 1];
  }

  Timestamp start_time = FromUnixMicros(1'767'225'600'000'000);  // 2026-01-01T00:00:00Z
  std::vector<rules::Event> events = GenerateB2bEvents(count, start_time, 42);
  if (!dump_path.empty()) DumpJsonLines(events, dump_path);

  calendar::CalendarRegistry calendars;
  std::shared_ptr<const rules::CompiledPack> pack = CompileDefaultPack(calendars);
  if (pack == nullptr) return 1;
  Result<std::shared_ptr<const calendar::BusinessCalendar>> cn = calendars.Find("cn");
  if (!cn.ok()) {
    std::cerr << "replay_bench: " << cn.error().message_en() << "\n";
    return 1;
  }

  std::vector<rules::AlertChange> engine_changes;
  std::vector<rules::AlertChange> pack_changes;
  EngineRun engine = RunEngine(events, pack, compare_changes ? &engine_changes : nullptr);
  Stopwatch stopwatch;
  HandwrittenAlerts handwritten = RunHandwrittenRules(events);
  Timing handwritten_time = stopwatch.Stop();
  PackRun handwritten_pack = RunPack(events, **cn, compare_changes ? &pack_changes : nullptr);

  double n = static_cast<double>(count);
  nlohmann::json result = {
      {"events", count},
      {"engine", EngineJson(engine, n)},
      {"handwritten", {{"seconds", handwritten_time.seconds}, {"cpu_seconds", handwritten_time.cpu_seconds},
                       {"events_per_second", n / handwritten_time.seconds}, {"alerts", handwritten.raised},
                       {"refires", handwritten.refired}}},
      {"engine_over_handwritten", engine.time.seconds / handwritten_time.seconds},
      {"engine_over_handwritten_cpu", engine.time.cpu_seconds / handwritten_time.cpu_seconds},
      {"handwritten_pack", PackJson(handwritten_pack, n)},
      {"engine_over_handwritten_pack", engine.time.seconds / handwritten_pack.time.seconds},
      {"engine_over_handwritten_pack_cpu", engine.time.cpu_seconds / handwritten_pack.time.cpu_seconds}};
  if (sql) {
    SqlRun run = RunSql(events);
    result["sql"] = {{"load_seconds", run.load_seconds}, {"full_query_seconds", run.full_query_seconds},
                     {"full_query_alerts", run.full_query_alerts}, {"cron_runs", run.cron_runs},
                     {"cron_seconds", run.cron_seconds}, {"cron_alerts", run.cron_alerts}};
  }
  std::cout << result.dump(2) << "\n";
  std::cerr << SummaryLine(engine, handwritten_time, handwritten, handwritten_pack, n);

  return CheckPackMatchesEngine(engine, handwritten_pack.result, compare_changes, engine_changes, pack_changes);
}

}  // namespace
}  // namespace salesradar::bench

int main(int argc, char** argv) { return salesradar::bench::Main(argc, argv); }
