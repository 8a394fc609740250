// EngineHost start-up: the engine's own connections, the calendars, the stored rule packs, the
// restored engine state and the replay of events committed but never processed.
#include <filesystem>

#include <fmt/format.h>

#include "api/engine_host_impl.h"
#include "api/rule_support.h"
#include "api/store_pool.h"
#include "common/logging.h"

namespace salesradar::api {
namespace {

constexpr int kReplayPageSize = 1000;

Error PackProblems(const std::vector<rules::Problem>& problems) {
  Error error(ErrorCode::kInvalidArgument,
              fmt::format("规则包有 {} 个问题：{}", problems.size(), rules::FormatProblem(problems.front(), Locale::kChinese)),
              fmt::format("the rule pack has {} problem(s): {}", problems.size(),
                          rules::FormatProblem(problems.front(), Locale::kEnglish)));
  for (const rules::Problem& problem : problems) {
    std::string key = fmt::format("line {}", problem.line);
    if (!problem.rule_id.empty()) key += fmt::format(", rule {}", problem.rule_id);
    error.AddDetail(std::move(key), rules::FormatProblem(problem, Locale::kChinese) + " | " +
                                        rules::FormatProblem(problem, Locale::kEnglish));
  }
  return error;
}

}  // namespace

RefreshingSubjectResolver::RefreshingSubjectResolver(store::Store& store, const Clock& clock, Microseconds max_age)
    : store_(store), clock_(clock), max_age_(max_age) {}

std::optional<rules::SubjectInfo> RefreshingSubjectResolver::Resolve(const rules::SubjectRef& subject) {
  if (current_ == nullptr) return std::nullopt;
  return current_->Resolve(subject);
}

Status RefreshingSubjectResolver::RefreshIfOld() {
  Timestamp now = clock_.Now();
  if (current_ != nullptr && now - built_at_ < max_age_) return OkStatus();

  SR_ASSIGN_OR_RETURN(std::vector<rules::SubjectSchema> schemas, store::LoadSubjectSchemas(store_));
  current_ = std::make_unique<store::StoreSubjectResolver>(store_, std::move(schemas));
  built_at_ = now;
  return OkStatus();
}

Status EngineHost::Impl::LoadCalendars() {
  std::string calendar_dir = options.calendar_dir.empty() ? DefaultCalendarDir() : options.calendar_dir;
  std::error_code missing;
  if (std::filesystem::is_directory(calendar_dir, missing)) {
    SR_ASSIGN_OR_RETURN(calendars, LoadCalendarDir(calendar_dir));
  } else {
    Logger("engine")->warn("calendar folder {} does not exist; rules that name a calendar will not compile",
                           calendar_dir);
    calendars = std::make_unique<calendar::CalendarRegistry>();
  }
  return OkStatus();
}

Status EngineHost::Impl::Open() {
  SR_RETURN_IF_ERROR(LoadCalendars());
  SR_ASSIGN_OR_RETURN(state_store_connection, store::Open(stores.database()));
  if (options.scope) {
    SR_ASSIGN_OR_RETURN(state, state_store_connection->OpenScopedEngineState(*options.scope));
  } else {
    SR_ASSIGN_OR_RETURN(state, state_store_connection->OpenEngineState());
  }
  SR_ASSIGN_OR_RETURN(resolver_store_connection, store::Open(stores.database()));
  subjects = std::make_unique<RefreshingSubjectResolver>(*resolver_store_connection, clock,
                                                         std::chrono::duration_cast<Microseconds>(
                                                             options.subject_cache_max_age));
  SR_RETURN_IF_ERROR(subjects->RefreshIfOld());

  rules::EngineOptions engine_options;
  engine_options.flush_after_each_call = false;
  engine_options.on_evaluation_failure = [this](const rules::EvaluationFailure& failure) {
    OnEvaluationFailure(failure);
  };
  engine = std::make_unique<rules::Engine>(clock, *subjects, *state, std::move(engine_options));
  return OkStatus();
}

Result<std::shared_ptr<const rules::CompiledPack>> EngineHost::Impl::Compile(store::Store& store,
                                                                            const std::string& yaml,
                                                                            const std::string& file_name) {
  SR_ASSIGN_OR_RETURN(rules::CompileContext context, BuildCompileContext(store, *calendars));
  rules::CompileResult compiled = rules::CheckRulePack(yaml, file_name, context);
  if (!compiled.ok()) return PackProblems(compiled.problems);
  return compiled.pack;
}

void EngineHost::Impl::RememberRuleNames(const rules::CompiledPack& pack) {
  std::lock_guard lock(names_mutex);
  for (const rules::CompiledRule& rule : pack.rules()) {
    rule_names[pack.id() + "/" + rule.rule->id] = rule.rule->name;
  }
}

// Publishes the active version of every stored pack and keeps the older ones, which stored
// windows and alerts may refer to. A version that no longer compiles (a custom field it names was
// removed, a calendar is missing) is logged and left out; Restore then names it if state needs it.
Status EngineHost::Impl::RestorePacks() {
  SR_RETURN_IF_ERROR(LoadNewVersions());

  SR_ASSIGN_OR_RETURN(rules::RestoreSummary summary, engine->Restore());
  Logger("engine")->info("engine restored: {} rule pack versions, {} windows, {} counters, {} alerts, {} tickets",
                         loaded_versions.size(), summary.windows, summary.counters, summary.alerts, summary.tickets);
  return OkStatus();
}

// Without an engine (the cluster's front host) it only learns the rule names.
Status EngineHost::Impl::LoadNewVersions() {
  SR_ASSIGN_OR_RETURN(std::vector<store::RulePackVersion> versions, state_store_connection->ListRulePackVersions());
  for (const store::RulePackVersion& version : versions) {
    std::string file_name = fmt::format("{}@{}.yaml", version.pack_id, version.version);
    if (loaded_versions.contains(file_name)) continue;
    Result<std::shared_ptr<const rules::CompiledPack>> pack = Compile(*state_store_connection, version.yaml, file_name);
    if (!pack.ok()) {
      Logger("engine")->error("rule pack {} version {} does not compile and is not loaded: {}", version.pack_id,
                              version.version, pack.error().ToLogString());
      continue;
    }

    if (engine != nullptr && version.active) {
      SR_RETURN_IF_ERROR(engine->Publish(*pack));
    } else if (engine != nullptr) {
      SR_RETURN_IF_ERROR(engine->KeepVersion(*pack));
    }
    loaded_versions.insert(file_name);
    RememberRuleNames(**pack);
  }
  return OkStatus();
}

// Processes the events of the log that no engine batch recorded: a process that stopped between
// the intake's commit and the engine's flush leaves them behind.
// NOTE: finding them checks every event of the log against processed_events, so start-up time
// grows with the size of the log.
Status EngineHost::Impl::ReplayUnprocessed() {
  int64_t after_seq = 0;
  size_t replayed = 0;
  while (true) {
    SR_ASSIGN_OR_RETURN(std::vector<store::StoredEvent> page,
                        state_store_connection->ListUnprocessedEvents(after_seq, kReplayPageSize));
    if (page.empty()) break;

    for (const store::StoredEvent& stored : page) ProcessEvent(stored.event);
    after_seq = page.back().seq;
    replayed += page.size();
    SR_RETURN_IF_ERROR(engine->Flush());
    PublishChanges(unflushed_changes);
    unflushed_changes.clear();
  }

  if (replayed > 0) Logger("engine")->info("replayed {} events committed but not processed before", replayed);
  return OkStatus();
}

}  // namespace salesradar::api
