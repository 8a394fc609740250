// PLACEHOLDER so that App links; the owner of event intake replaces this file.
#include "api/event_intake.h"

#include "common/error.h"

namespace salesradar::api {

class EventIntake::Impl {};

Result<std::unique_ptr<EventIntake>> EventIntake::Start(StorePool&, EngineHost&, server::MetricsRegistry&,
                                                        EventIntakeOptions) {
  return std::unique_ptr<EventIntake>(new EventIntake(std::make_unique<Impl>()));
}
EventIntake::EventIntake(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
EventIntake::~EventIntake() = default;
Result<store::AppendEventsResult> EventIntake::Submit(std::vector<rules::Event>) {
  return Error(ErrorCode::kFailedPrecondition, "事件接收尚未接入", "event intake is not wired yet");
}
size_t EventIntake::queued_events() const { return 0; }

}  // namespace salesradar::api
