#include "rules/memory_state_store.h"

#include "rules/state_json.h"

namespace salesradar::rules {

bool StateBatch::empty() const {
  return windows_upserted.empty() && windows_removed.empty() && counters_upserted.empty() &&
         counters_removed.empty() && alerts_upserted.empty() && tickets_upserted.empty() &&
         processed_event_ids.empty() && outbox.empty();
}

Status MemoryStateStore::Apply(const StateBatch& batch) {
  if (failures_left_ > 0) {
    --failures_left_;
    return Unavailable("内存状态存储：按测试要求模拟写入失败", "memory state store: write failure simulated for a test");
  }

  for (const RuleSubjectKey& key : batch.windows_removed) windows_.erase(key);
  for (const WindowState& window : batch.windows_upserted) windows_[window.key] = WindowToJson(window).dump();
  for (const RuleSubjectKey& key : batch.counters_removed) counters_.erase(key);
  for (const CounterState& counter : batch.counters_upserted) counters_[counter.key] = CounterToJson(counter).dump();
  for (const Alert& alert : batch.alerts_upserted) alerts_[alert.id] = AlertToJson(alert).dump();
  for (const Ticket& ticket : batch.tickets_upserted) tickets_[ticket.id] = TicketToJson(ticket).dump();
  for (const std::string& id : batch.processed_event_ids) processed_.insert(id);
  for (const AlertChange& change : batch.outbox) outbox_.push_back(AlertChangeToJson(change).dump());
  ++applied_batches_;
  return OkStatus();
}

Result<EngineSnapshot> MemoryStateStore::LoadSnapshot() {
  EngineSnapshot snapshot;
  for (const auto& [key, text] : windows_) {
    SR_ASSIGN_OR_RETURN(WindowState window, WindowFromJson(nlohmann::json::parse(text)));
    snapshot.windows.push_back(std::move(window));
  }
  for (const auto& [key, text] : counters_) {
    SR_ASSIGN_OR_RETURN(CounterState counter, CounterFromJson(nlohmann::json::parse(text)));
    snapshot.counters.push_back(std::move(counter));
  }
  SR_ASSIGN_OR_RETURN(std::vector<Alert> alerts, AllAlerts());
  for (Alert& alert : alerts) {
    if (!IsResolved(alert.status)) snapshot.unresolved_alerts.push_back(std::move(alert));
  }
  SR_ASSIGN_OR_RETURN(std::vector<Ticket> tickets, AllTickets());
  for (Ticket& ticket : tickets) {
    if (ticket.status == TicketStatus::kOpen) snapshot.open_tickets.push_back(std::move(ticket));
  }
  return snapshot;
}

Result<bool> MemoryStateStore::IsProcessed(std::string_view event_id) { return processed_.count(event_id) > 0; }

Result<std::vector<Alert>> MemoryStateStore::AllAlerts() const {
  std::vector<Alert> alerts;
  for (const auto& [id, text] : alerts_) {
    SR_ASSIGN_OR_RETURN(Alert alert, AlertFromJson(nlohmann::json::parse(text)));
    alerts.push_back(std::move(alert));
  }
  return alerts;
}

Result<std::vector<Ticket>> MemoryStateStore::AllTickets() const {
  std::vector<Ticket> tickets;
  for (const auto& [id, text] : tickets_) {
    SR_ASSIGN_OR_RETURN(Ticket ticket, TicketFromJson(nlohmann::json::parse(text)));
    tickets.push_back(std::move(ticket));
  }
  return tickets;
}

Result<std::vector<AlertChange>> MemoryStateStore::Outbox() const {
  std::vector<AlertChange> changes;
  for (const std::string& text : outbox_) {
    SR_ASSIGN_OR_RETURN(AlertChange change, AlertChangeFromJson(nlohmann::json::parse(text)));
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace salesradar::rules
