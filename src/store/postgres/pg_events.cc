// The event log: idempotent appends by event id in one statement, a keyset cursor in event-time
// order, the unprocessed events for replay, and the outbox backlog.
#include <limits>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "store/postgres/pg_store.h"
#include "store/subject_bucket.h"

namespace salesradar::store::postgres {
namespace {

constexpr int kCursorPageSize = 1000;

// The columns that ReadEvent reads, in its order.
constexpr const char* kEventColumns =
    "id, type, subject_type, subject_id, actor, occurred_at, received_at, payload, origin_rule, causation_depth";

// Appends the batch from one array per column, in batch order so that seq follows it, and
// wakes the nodes that LISTEN on salesradar_events when the statement commits. One statement
// is one round trip and atomic on its own.
constexpr const char* kAppendSql =
    "WITH inserted AS ("
    "INSERT INTO events (id, type, subject_type, subject_id, actor, occurred_at, received_at, payload, "
    "origin_rule, causation_depth, bucket) "
    "SELECT id, type, subject_type, subject_id, actor, occurred_at, received_at, payload, origin_rule, "
    "causation_depth, bucket FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], "
    "$6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::bigint[], $11::int[]) WITH ORDINALITY "
    "AS batch(id, type, subject_type, subject_id, actor, occurred_at, received_at, payload, origin_rule, "
    "causation_depth, bucket, position) ORDER BY position "
    "ON CONFLICT (id) DO NOTHING RETURNING 1) "
    "SELECT (SELECT COUNT(*) FROM inserted), pg_notify('salesradar_events', '')";

// Reads the event in columns [first, first + 10) of `row`, in the order of kEventColumns.
Result<rules::Event> ReadEvent(const PgResult& result, int row, int first) {
  rules::Event event;
  event.id = result.Text(row, first);
  event.type = result.Text(row, first + 1);
  event.subject = {std::string(result.Text(row, first + 2)), std::string(result.Text(row, first + 3))};
  event.actor = result.Text(row, first + 4);
  event.occurred_at = FromUnixMicros(result.Int(row, first + 5));
  event.received_at = FromUnixMicros(result.Int(row, first + 6));
  event.payload = nlohmann::json::parse(result.Text(row, first + 7), nullptr, /*allow_exceptions=*/false);
  if (!event.payload.is_object()) {
    return Error(ErrorCode::kDataLoss,
                 fmt::format("事件 '{}' 的 payload 不是 JSON 对象；请从备份恢复数据库", event.id),
                 fmt::format("event '{}': payload is not a JSON object; restore the database from a backup",
                             event.id));
  }
  event.origin_rule = result.Text(row, first + 8);
  event.causation_depth = static_cast<int>(result.Int(row, first + 9));
  return event;
}

// Reads pages of events ordered by (occurred_at, id), each page after the last key returned.
class EventCursor final : public Cursor<rules::Event> {
 public:
  EventCursor(PgConnection& connection, const EventFilter& filter)
      : connection_(connection),
        from_(filter.from ? ToUnixMicros(*filter.from) : std::numeric_limits<int64_t>::min()),
        to_(filter.to ? ToUnixMicros(*filter.to) : std::numeric_limits<int64_t>::max()),
        last_occurred_at_(std::numeric_limits<int64_t>::min()) {}

  Result<bool> Next(rules::Event* event) override {
    if (next_ == page_.size()) {
      if (last_page_) return false;
      Status fetched = FetchPage();
      if (!fetched.ok()) {
        last_page_ = true;
        return fetched.error();
      }
      if (page_.empty()) return false;
    }
    *event = std::move(page_[next_++]);
    return true;
  }

 private:
  Status FetchPage() {
    page_.clear();
    next_ = 0;
    PgParams params;
    params.AddInt(from_);
    params.AddInt(to_);
    params.AddInt(last_occurred_at_);
    params.AddText(last_id_);
    params.AddInt(kCursorPageSize);
    SR_ASSIGN_OR_RETURN(PgResult result,
                        connection_.Query(fmt::format("SELECT {} FROM events WHERE occurred_at >= $1 AND "
                                                      "occurred_at < $2 AND (occurred_at, id) > ($3, $4) "
                                                      "ORDER BY occurred_at, id LIMIT $5",
                                                      kEventColumns),
                                          params, "read events"));
    for (int row = 0; row < result.rows(); ++row) {
      SR_ASSIGN_OR_RETURN(rules::Event event, ReadEvent(result, row, 0));
      page_.push_back(std::move(event));
    }
    last_page_ = result.rows() < kCursorPageSize;
    if (!page_.empty()) {
      last_occurred_at_ = ToUnixMicros(page_.back().occurred_at);
      last_id_ = page_.back().id;
    }
    return OkStatus();
  }

  PgConnection& connection_;
  int64_t from_;
  int64_t to_;
  int64_t last_occurred_at_;
  std::string last_id_;
  std::vector<rules::Event> page_;
  size_t next_ = 0;
  bool last_page_ = false;
};

}  // namespace

Result<AppendEventsResult> PgStore::AppendEvents(std::span<const rules::Event> events) {
  for (const rules::Event& event : events) {
    SR_RETURN_IF_ERROR(rules::ValidateEvent(event));
  }
  if (events.empty()) {
    return AppendEventsResult{};
  }

  std::vector<std::string> ids, types, subject_types, subject_ids, actors, payloads, origin_rules;
  std::vector<int64_t> occurred_at, received_at, depths, buckets;
  for (const rules::Event& event : events) {
    ids.push_back(event.id);
    types.push_back(event.type);
    subject_types.push_back(event.subject.type);
    subject_ids.push_back(event.subject.id);
    actors.push_back(event.actor);
    occurred_at.push_back(ToUnixMicros(event.occurred_at));
    received_at.push_back(ToUnixMicros(event.received_at));
    payloads.push_back(event.payload.dump());
    origin_rules.push_back(event.origin_rule);
    depths.push_back(event.causation_depth);
    buckets.push_back(SubjectBucket(event.subject.type, event.subject.id));
  }

  PgParams params;
  for (const auto* column : {&ids, &types, &subject_types, &subject_ids, &actors}) {
    params.AddText(ArrayLiteral(*column));
  }
  params.AddText(ArrayLiteral(occurred_at));
  params.AddText(ArrayLiteral(received_at));
  params.AddText(ArrayLiteral(payloads));
  params.AddText(ArrayLiteral(origin_rules));
  params.AddText(ArrayLiteral(depths));
  params.AddText(ArrayLiteral(buckets));

  SR_ASSIGN_OR_RETURN(PgResult appended, connection_->Query(kAppendSql, params, "append events"));
  AppendEventsResult result;
  result.inserted = appended.Int(0, 0);
  result.duplicates = static_cast<int64_t>(events.size()) - result.inserted;
  return result;
}

Result<std::unique_ptr<Cursor<rules::Event>>> PgStore::OpenEventCursor(const EventFilter& filter) {
  return std::unique_ptr<Cursor<rules::Event>>(std::make_unique<EventCursor>(*connection_, filter));
}

Result<std::vector<StoredEvent>> PgStore::ListUnprocessedEvents(int64_t after_seq, int limit) {
  return ListUnprocessedEventsInBuckets(after_seq, limit, {});
}

// The NOT EXISTS probes processed_events by its primary key for each event in seq order, and
// LIMIT stops the scan once a page is full.
Result<std::vector<StoredEvent>> PgStore::ListUnprocessedEventsInBuckets(int64_t after_seq, int limit,
                                                                         std::span<const int> buckets) {
  PgParams params;
  params.AddInt(after_seq);
  params.AddInt(limit);
  std::string in_buckets;
  if (!buckets.empty()) {
    std::vector<int64_t> values(buckets.begin(), buckets.end());
    params.AddText(ArrayLiteral(values));
    in_buckets = "e.bucket = ANY($3::int[]) AND ";
  }

  std::string sql = fmt::format(
      "SELECT e.seq, e.id, e.type, e.subject_type, e.subject_id, e.actor, e.occurred_at, e.received_at, e.payload, "
      "e.origin_rule, e.causation_depth FROM events e WHERE {}e.seq > $1 AND NOT EXISTS "
      "(SELECT 1 FROM processed_events p WHERE p.event_id = e.id) ORDER BY e.seq LIMIT $2",
      in_buckets);
  SR_ASSIGN_OR_RETURN(PgResult result, connection_->Query(sql, params, "list unprocessed events"));

  std::vector<StoredEvent> events;
  for (int row = 0; row < result.rows(); ++row) {
    StoredEvent stored;
    stored.seq = result.Int(row, 0);
    SR_ASSIGN_OR_RETURN(stored.event, ReadEvent(result, row, 1));
    events.push_back(std::move(stored));
  }
  return events;
}

Result<int64_t> PgStore::CountOutboxBacklog() {
  SR_ASSIGN_OR_RETURN(PgResult count, connection_->Query("SELECT COUNT(*) FROM alert_outbox WHERE sent_at IS NULL",
                                                         PgParams(), "count outbox backlog"));
  return count.rows() > 0 ? count.Int(0, 0) : 0;
}

}  // namespace salesradar::store::postgres
