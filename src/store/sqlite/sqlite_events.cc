// The event log: idempotent appends by event id and a cursor in event-time order.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_engine_state.h"
#include "store/sqlite/sqlite_store.h"
#include "store/subject_bucket.h"

namespace salesradar::store::sqlite {
namespace {

constexpr const char* kEventColumns =
    "id, type, subject_type, subject_id, actor, occurred_at, received_at, payload, origin_rule, causation_depth";

// Owns its statement, so that the Store can be read while the cursor is open.
class EventCursor final : public Cursor<rules::Event> {
 public:
  // Reads the columns of kEventColumns from `first_column` on.
  explicit EventCursor(std::unique_ptr<Statement> statement, int first_column = 0)
      : statement_(std::move(statement)), first_(first_column) {}

  // Returns column `column` of the current row. REQUIRES: Next returned true.
  int64_t Int(int column) const { return statement_->Int(column); }

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
    int column = first_;
    event->id = row.Text(column);
    event->type = row.Text(column + 1);
    event->subject = {row.Text(column + 2), row.Text(column + 3)};
    event->actor = row.Text(column + 4);
    event->occurred_at = FromUnixMicros(row.Int(column + 5));
    event->received_at = FromUnixMicros(row.Int(column + 6));
    event->payload = nlohmann::json::parse(row.Text(column + 7), nullptr, /*allow_exceptions=*/false);
    if (!event->payload.is_object()) {
      done_ = true;
      return Error(ErrorCode::kDataLoss, "事件 '" + event->id + "' 的 payload 不是 JSON 对象；请从备份恢复数据库",
                   "event '" + event->id + "': payload is not a JSON object; restore the database from a backup");
    }
    event->origin_rule = row.Text(column + 8);
    event->causation_depth = static_cast<int>(row.Int(column + 9));
    return true;
  }

  std::unique_ptr<Statement> statement_;
  int first_;
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
                                              "causation_depth, bucket) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
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
      insert->BindInt(11, SubjectBucket(event.subject.type, event.subject.id));
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
  std::string sql = "SELECT " + std::string(kEventColumns) +
                    " FROM events WHERE occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at, id";
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> statement, Statement::Prepare(connection_->handle(), sql));
  statement->BindInt(1, filter.from ? ToUnixMicros(*filter.from) : INT64_MIN);
  statement->BindInt(2, filter.to ? ToUnixMicros(*filter.to) : INT64_MAX);
  return std::unique_ptr<Cursor<rules::Event>>(std::make_unique<EventCursor>(std::move(statement)));
}

Result<std::unique_ptr<rules::EngineStateStore>> SqliteStore::OpenEngineState() {
  return std::unique_ptr<rules::EngineStateStore>(std::make_unique<SqliteEngineState>(*connection_));
}

Result<std::unique_ptr<rules::EngineStateStore>> SqliteStore::OpenScopedEngineState(const EngineStateScope& scope) {
  if (!scope.lease_name.empty()) {
    return Error(ErrorCode::kFailedPrecondition,
                 fmt::format("租约 '{}' 需要 PostgreSQL 数据库；SQLite 只能单节点运行，不使用租约", scope.lease_name),
                 fmt::format("lease '{}' needs a PostgreSQL database; SQLite runs one node only and has no leases",
                             scope.lease_name));
  }
  return std::unique_ptr<rules::EngineStateStore>(std::make_unique<SqliteEngineState>(*connection_, scope.buckets));
}

// The bucket column has no index in SQLite: the scan goes by seq and skips other buckets.
Result<std::vector<StoredEvent>> SqliteStore::ListUnprocessedEventsInBuckets(int64_t after_seq, int limit,
                                                                             std::span<const int> buckets) {
  if (buckets.empty()) return ListUnprocessedEvents(after_seq, limit);

  std::string in_buckets;
  for (int bucket : buckets) {
    in_buckets += (in_buckets.empty() ? "" : ",") + std::to_string(bucket);
  }
  SR_ASSIGN_OR_RETURN(std::unique_ptr<Statement> select,
                      Statement::Prepare(connection_->handle(),
                                         "SELECT e.seq, " + std::string(kEventColumns) +
                                             " FROM events e WHERE e.bucket IN (" + in_buckets +
                                             ") AND e.seq > ? AND NOT EXISTS (SELECT 1 FROM processed_events p "
                                             "WHERE p.event_id = e.id) ORDER BY e.seq LIMIT ?"));
  select->BindInt(1, after_seq);
  select->BindInt(2, limit);

  std::vector<StoredEvent> events;
  EventCursor rows(std::move(select), /*first_column=*/1);
  while (true) {
    StoredEvent stored;
    SR_ASSIGN_OR_RETURN(bool has_row, rows.Next(&stored.event));
    if (!has_row) break;
    stored.seq = rows.Int(0);
    events.push_back(std::move(stored));
  }
  return events;
}

}  // namespace salesradar::store::sqlite
