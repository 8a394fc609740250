// The event log: idempotent appends by event id and a cursor in event-time order.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_engine_state.h"
#include "store/sqlite/sqlite_store.h"

namespace salesradar::store::sqlite {
namespace {

// Owns its statement, so that the Store can be read while the cursor is open.
class EventCursor final : public Cursor<rules::Event> {
 public:
  explicit EventCursor(std::unique_ptr<Statement> statement) : statement_(std::move(statement)) {}

  Result<bool> Next(rules::Event* event) override {
    if (done_) return false;

    Result<bool> stepped = statement_->Step();
    if (!stepped.ok() || !*stepped) {
      done_ = true;
      statement_->Reset();
      return stepped;
    }
    return Read(event);
  }

 private:
  Result<bool> Read(rules::Event* event) {
    const Statement& row = *statement_;
    event->id = row.Text(0);
    event->type = row.Text(1);
    event->subject = {row.Text(2), row.Text(3)};
    event->actor = row.Text(4);
    event->occurred_at = FromUnixMicros(row.Int(5));
    event->received_at = FromUnixMicros(row.Int(6));
    event->payload = nlohmann::json::parse(row.Text(7), nullptr, /*allow_exceptions=*/false);
    if (!event->payload.is_object()) {
      done_ = true;
      return Error(ErrorCode::kDataLoss, "事件 '" + event->id + "' 的 payload 不是 JSON 对象；请从备份恢复数据库",
                   "event '" + event->id + "': payload is not a JSON object; restore the database from a backup");
    }
    event->origin_rule = row.Text(8);
    event->causation_depth = static_cast<int>(row.Int(9));
    return true;
  }

  std::unique_ptr<Statement> statement_;
  bool done_ = false;
};

}  // namespace

Result<AppendEventsResult> SqliteStore::AppendEvents(std::span<const rules::Event> events) {
  for (const rules::Event& event : events) {
    SR_RETURN_IF_ERROR(rules::ValidateEvent(event));
  }

  return WithTransaction([&]() -> Result<AppendEventsResult> {
    AppendEventsResult result;
    for (const rules::Event& event : events) {
      SR_ASSIGN_OR_RETURN(StatementLease insert,
                          connection_->Cached("INSERT OR IGNORE INTO events (id, type, subject_type, subject_id, "
                                              "actor, occurred_at, received_at, payload, origin_rule, "
                                              "causation_depth) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
      insert->BindText(1, event.id);
      insert->BindText(2, event.type);
      insert->BindText(3, event.subject.type);
      insert->BindText(4, event.subject.id);
      insert->BindText(5, event.actor);
      insert->BindInt(6, ToUnixMicros(event.occurred_at));
      insert->BindInt(7, ToUnixMicros(event.received_at));
      insert->BindText(8, event.payload.dump());
      insert->BindText(9, event.origin_rule);
      insert->BindInt(10, event.causation_depth);
      SR_RETURN_IF_ERROR(insert->Run());

      if (sqlite3_changes(connection_->handle()) == 1) {
        ++result.inserted;
      } else {
        ++result.duplicates;
      }
    }
    return result;
  });
}

Result<std::unique_ptr<Cursor<rules::Event>>> SqliteStore::OpenEventCursor(const EventFilter& filter) {
  std::string sql =
      "SELECT id, type, subject_type, subject_id, actor, occurred_at, received_at, payload, origin_rule, "
      "causation_depth FROM events WHERE occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id";
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> statement, Statement::Prepare(connection_->handle(), sql));
  statement->BindInt(1, filter.from ? ToUnixMicros(*filter.from) : INT64_MIN);
  statement->BindInt(2, filter.to ? ToUnixMicros(*filter.to) : INT64_MAX);
  return std::unique_ptr<Cursor<rules::Event>>(std::make_unique<EventCursor>(std::move(statement)));
}

Result<std::unique_ptr<rules::EngineStateStore>> SqliteStore::OpenEngineState() {
  return std::unique_ptr<rules::EngineStateStore>(std::make_unique<SqliteEngineState>(*connection_));
}

}  // namespace salesradar::store::sqlite
