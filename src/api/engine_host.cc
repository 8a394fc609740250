// PLACEHOLDER so that App links; the owner of the engine host replaces this file.
#include "api/engine_host.h"

#include "common/error.h"

namespace salesradar::api {

class EngineHost::Impl {};

namespace {
Error NotYet() { return Error(ErrorCode::kFailedPrecondition, "规则引擎尚未接入", "the rules engine is not wired yet"); }
}  // namespace

Result<std::unique_ptr<EngineHost>> EngineHost::Start(StorePool&, const Clock&, server::SseHub&,
                                                      server::MetricsRegistry&, EngineHostOptions) {
  return std::unique_ptr<EngineHost>(new EngineHost(std::make_unique<Impl>()));
}
EngineHost::EngineHost(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EngineHost::~EngineHost() = default;
bool EngineHost::Enqueue(std::vector<rules::Event>) { return true; }
Result<std::vector<rules::AlertChange>> EngineHost::Acknowledge(std::string, std::string, std::string) { return NotYet(); }
Result<std::vector<rules::AlertChange>> EngineHost::Snooze(std::string, std::string, Timestamp, std::string) { return NotYet(); }
Result<std::vector<rules::AlertChange>> EngineHost::Resolve(std::string, std::string, std::string) { return NotYet(); }
Result<store::RulePackVersion> EngineHost::PublishPack(std::string, std::string) { return NotYet(); }
Status EngineHost::Drain(std::chrono::milliseconds) { return Status(); }
size_t EngineHost::queued_events() const { return 0; }
size_t EngineHost::pending_timers() const { return 0; }

}  // namespace salesradar::api
