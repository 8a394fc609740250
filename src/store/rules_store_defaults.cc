// Default bodies of the rules-engine Store methods, for backends that do not implement them yet.
#include <fmt/format.h>

#include "store/cluster_store.h"
#include "store/store.h"

namespace salesradar::store {
namespace {

Error RulesNotSupported(std::string_view method) {
  return Error(ErrorCode::kFailedPrecondition,
               fmt::format("此数据库后端尚不支持 {}；请使用 SQLite 数据库", method),
               fmt::format("this database backend does not support {} yet; use an SQLite database", method));
}

}  // namespace

Result<AppendEventsResult> Store::AppendEvents(std::span<const rules::Event>) {
  return RulesNotSupported("AppendEvents");
}

Result<std::unique_ptr<Cursor<rules::Event>>> Store::OpenEventCursor(const EventFilter&) {
  return RulesNotSupported("OpenEventCursor");
}

Result<RulePackVersion> Store::PublishRulePack(std::string_view, int64_t, std::string_view, std::string_view) {
  return RulesNotSupported("PublishRulePack");
}

Result<std::vector<RulePackVersion>> Store::ListRulePackVersions() {
  return RulesNotSupported("ListRulePackVersions");
}

Result<std::unique_ptr<rules::EngineStateStore>> Store::OpenEngineState() {
  return RulesNotSupported("OpenEngineState");
}

Result<std::unique_ptr<rules::EngineStateStore>> Store::OpenScopedEngineState(const EngineStateScope& scope) {
  if (scope.buckets.empty() && scope.lease_name.empty()) {
    return OpenEngineState();
  }
  return RulesNotSupported("OpenScopedEngineState");
}

Result<std::unique_ptr<ClusterStore>> Store::OpenClusterStore() {
  return Error(ErrorCode::kFailedPrecondition,
               "多节点集群需要 PostgreSQL 数据库；SQLite 只能单节点运行",
               "a cluster of several nodes needs a PostgreSQL database; SQLite runs one node only");
}

Result<std::unique_ptr<NotifyStore>> Store::OpenNotifyStore() {
  return RulesNotSupported("OpenNotifyStore");
}

Result<std::vector<HealthAlertRow>> Store::ListHealthAlerts(const HealthAlertFilter&, const auth::Viewer*) {
  return RulesNotSupported("ListHealthAlerts");
}

}  // namespace salesradar::store
