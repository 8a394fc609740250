// Replay throughput of the rules engine against its peers, in one run over the same generated
// events (bench/rules/replay_events.h):
//   engine       examples/rules/b2b-default.yaml through rules::Engine on a simulated clock
//   handwritten  the same conditions written directly in C++ (the ceiling)
//   sql          "lead without follow-up in 48 hours" found by SQL over the events in SQLite,
//                once over everything and as a cron job every 15 simulated minutes
// With --dump-jsonl PATH it also writes the events for the json-rules-engine peer
// (bench/rules/json-rules-engine/); --no-sql skips the SQL part, for profiling.
// Usage: replay_bench [--events N] [--dump-jsonl PATH] [--no-sql]
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

struct EngineRun {
  Timing time;
  std::map<std::string, int64_t> alerts;
  std::map<std::string, int64_t> refires;
  uint64_t failures = 0;
};

EngineRun RunEngine(const std::vector<rules::Event>& events, std::shared_ptr<const rules::CompiledPack> pack) {
  rules::MemorySubjectResolver subjects(Schemas());
  std::set<rules::SubjectRef> seen;
  for (const rules::Event& event : events) {
    if (seen.insert(event.subject).second) {
      subjects.Put(event.subject, {{"name", event.subject.id}}, event.subject.id, event.actor);
    }
    rules::SubjectRef rep{"rep", event.actor};
    if (seen.insert(rep).second) subjects.Put(rep, {{"name", event.actor}}, event.actor, event.actor);
  }

  ManualClock clock(events.front().occurred_at);
  DiscardingStateStore state;
  rules::EngineOptions options;
  options.flush_after_each_call = false;
  rules::Engine engine(clock, subjects, state, options);
  if (!engine.Publish(pack).ok() || !engine.Restore().ok()) std::abort();

  EngineRun run;
  auto count = [&run](const std::vector<rules::AlertChange>& changes) {
    for (const rules::AlertChange& change : changes) {
      if (change.action == rules::AlertAction::kRaised) ++run.alerts[change.key.rule_id];
      if (change.action == rules::AlertAction::kRefired) ++run.refires[change.key.rule_id];
    }
  };

  Stopwatch stopwatch;
  int64_t processed = 0;
  for (const rules::Event& event : events) {
    if (event.occurred_at > clock.Now()) clock.Set(event.occurred_at);
    Result<rules::EventOutcome> outcome = engine.OnEvent(event);
    if (!outcome.ok()) std::abort();
    count(outcome->changes);
    if (++processed % 50'000 == 0 && !engine.Flush().ok()) std::abort();
  }
  Result<std::vector<rules::AlertChange>> last = engine.FireDueTimers();
  if (last.ok()) count(*last);
  (void)engine.Flush();
  run.time = stopwatch.Stop();

  for (const rules::CompiledRule& rule : pack->rules()) run.failures += engine.Stats(pack->id(), rule.rule->id).failures;
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

int Main(int argc, char** argv) {
  int64_t count = 1'000'000;
  std::string dump_path;
  bool sql = true;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--no-sql") sql = false;
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

  EngineRun engine = RunEngine(events, pack);
  Stopwatch stopwatch;
  HandwrittenAlerts handwritten = RunHandwrittenRules(events);
  Timing handwritten_time = stopwatch.Stop();

  double n = static_cast<double>(count);
  nlohmann::json result = {
      {"events", count},
      {"engine", {{"seconds", engine.time.seconds}, {"cpu_seconds", engine.time.cpu_seconds},
                  {"events_per_second", n / engine.time.seconds}, {"alerts", engine.alerts},
                  {"refires", engine.refires}, {"failed_evaluations", engine.failures}}},
      {"handwritten", {{"seconds", handwritten_time.seconds}, {"cpu_seconds", handwritten_time.cpu_seconds},
                       {"events_per_second", n / handwritten_time.seconds}, {"alerts", handwritten.raised},
                       {"refires", handwritten.refired}}},
      {"engine_over_handwritten", engine.time.seconds / handwritten_time.seconds},
      {"engine_over_handwritten_cpu", engine.time.cpu_seconds / handwritten_time.cpu_seconds}};
  if (sql) {
    SqlRun run = RunSql(events);
    result["sql"] = {{"load_seconds", run.load_seconds}, {"full_query_seconds", run.full_query_seconds},
                     {"full_query_alerts", run.full_query_alerts}, {"cron_runs", run.cron_runs},
                     {"cron_seconds", run.cron_seconds}, {"cron_alerts", run.cron_alerts}};
  }
  std::cout << result.dump(2) << "\n";
  std::cerr << fmt::format(
      "engine {:.2f} s, CPU {:.2f} s ({:.0f} events/s, {} alerts, {} refires), handwritten {:.3f} s, CPU {:.3f} s "
      "({} alerts, {} refires), ratio {:.1f}x wall, {:.1f}x CPU\n",
      engine.time.seconds, engine.time.cpu_seconds, n / engine.time.seconds, Total(engine.alerts), Total(engine.refires),
      handwritten_time.seconds, handwritten_time.cpu_seconds, Total(handwritten.raised), Total(handwritten.refired),
      engine.time.seconds / handwritten_time.seconds, engine.time.cpu_seconds / handwritten_time.cpu_seconds);
  return 0;
}

}  // namespace
}  // namespace salesradar::bench

int main(int argc, char** argv) { return salesradar::bench::Main(argc, argv); }
