#include "notify/worker.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "notify/alert_text.h"
#include "notify/digest.h"
#include "notify/digest_settings.h"
#include "notify/worker_impl.h"
#include "rules/state_json.h"

namespace salesradar::notify {
namespace {

constexpr std::string_view kOutboxCursor = "alert_outbox";
constexpr std::string_view kDigestCursor = "weekly_digest";
constexpr int kOutboxBatch = 500;
constexpr std::chrono::hours kDigestGrace{1};

const SystemClock kSystemClock;

Result<rules::AlertChange> ParseChange(const store::OutboxRow& row) {
  nlohmann::json json = nlohmann::json::parse(row.body, nullptr, false);
  if (json.is_discarded()) {
    return Error(ErrorCode::kDataLoss, fmt::format("预警发件箱第 {} 行不是有效的 JSON", row.seq),
                 fmt::format("alert_outbox row {} is not valid JSON", row.seq));
  }
  return rules::AlertChangeFromJson(json);
}

// The address owners a change's recipients name: ("user", id) and ("department", name).
std::vector<std::pair<std::string, std::string>> Owners(const rules::AlertChange& change,
                                                        const std::map<std::string, int64_t>& user_ids) {
  std::vector<std::pair<std::string, std::string>> owners;
  for (const rules::ResolvedRecipient& recipient : change.recipients) {
    if (recipient.role == rules::Recipient::Role::kDepartment) {
      owners.emplace_back("department", recipient.department);
      continue;
    }
    auto user = user_ids.find(recipient.user_id);
    if (user != user_ids.end()) owners.emplace_back("user", std::to_string(user->second));
  }
  return owners;
}

}  // namespace

Worker::Impl::Impl(WorkerOptions options, std::unique_ptr<store::Store> store,
                   std::unique_ptr<store::NotifyStore> notify, SecretBox box)
    : options_(std::move(options)),
      clock_(options_.clock != nullptr ? options_.clock : &kSystemClock),
      store_(std::move(store)),
      notify_(std::move(notify)),
      box_(std::move(box)),
      limiter_(SharedRateLimiter(options_.database)) {}

Status Worker::Impl::RunOnce() {
  if (crashed_) return Unavailable("通知任务已模拟崩溃", "the notify worker simulated a crash");
  SR_RETURN_IF_ERROR(ExpandOutbox());
  SR_RETURN_IF_ERROR(WriteDueDigests());
  Status sent = SendDue();
  UpdateBacklog();
  return sent;
}

Status Worker::Impl::ExpandOutbox() {
  SR_ASSIGN_OR_RETURN(int64_t position, notify_->Cursor(kOutboxCursor));
  SR_ASSIGN_OR_RETURN(std::vector<store::OutboxRow> rows, notify_->ReadOutbox({position, std::nullopt, kOutboxBatch}));
  if (rows.empty()) return OkStatus();

  SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store_->ListUsers());
  SR_ASSIGN_OR_RETURN(std::vector<store::NotifyAddress> addresses, notify_->ListAddresses("", ""));
  std::map<std::string, int64_t> user_ids;
  for (const model::User& user : users) user_ids[user.external_id] = user.id;

  std::vector<store::NotifyMessage> messages;
  for (const store::OutboxRow& row : rows) {
    Result<rules::AlertChange> change = ParseChange(row);
    if (!change.ok()) {
      logger_->error("alert_outbox {}: skipped: {}", row.seq, change.error().ToLogString());
      continue;
    }
    if (!ShouldNotify(change->action)) continue;

    for (const auto& [owner_kind, owner] : Owners(*change, user_ids)) {
      for (const store::NotifyAddress& address : addresses) {
        if (address.owner_kind != owner_kind || address.owner != owner) continue;
        store::NotifyMessage message;
        message.source = fmt::format("outbox:{}", row.seq);
        message.channel_id = address.channel_id;
        message.target = address.target;
        message.locale = address.locale;
        message.body = RenderAlertChange(*change, LocaleOfTag(address.locale), options_.public_base_url).ToJson();
        message.next_attempt_at = Now();
        messages.push_back(std::move(message));
      }
    }
  }

  SR_ASSIGN_OR_RETURN(int64_t inserted, notify_->Enqueue(messages, kOutboxCursor, rows.back().seq));
  logger_->debug("alert_outbox {}..{}: {} messages queued", rows.front().seq, rows.back().seq, inserted);
  return OkStatus();
}

// Returns the schedule in effect, read at every pass so that an admin's change needs no restart.
// A stored value that fails its check (written around the API) is logged, and the configured
// schedule is used instead.
DigestSchedule Worker::Impl::Schedule() {
  Result<DigestSchedule> schedule = CurrentDigestSchedule(*notify_, options_.digest);
  if (schedule.ok()) return *schedule;
  logger_->error("notify settings: the stored digest schedule is invalid, using the configured one: {}",
                 schedule.error().ToLogString());
  return options_.digest;
}

Status Worker::Impl::WriteDueDigests() {
  DigestSchedule schedule = Schedule();
  if (!schedule.enabled) return OkStatus();
  SR_ASSIGN_OR_RETURN(Timestamp slot, LatestDigestTime(schedule, Now()));
  SR_ASSIGN_OR_RETURN(int64_t done, notify_->Cursor(kDigestCursor));
  if (done >= ToUnixMicros(slot)) return OkStatus();

  // The first run only remembers the slot, so that a new install does not send last week's
  // digest late. Likewise a schedule change that puts this week's time in the past (more than
  // kDigestGrace ago, less than a week after the last digest) waits for the next week.
  bool first = done == 0;
  bool moved_back = Now() - slot > kDigestGrace && slot - FromUnixMicros(done) < std::chrono::hours(24 * 7);
  if (first || moved_back) {
    SR_ASSIGN_OR_RETURN(int64_t none, notify_->Enqueue({}, kDigestCursor, ToUnixMicros(slot)));
    (void)none;
    if (moved_back) logger_->info("weekly digest {}: skipped, the schedule moved it into the past", DigestWeekKey(schedule, slot));
    return OkStatus();
  }

  Timestamp week_start = slot - std::chrono::hours(24 * 7);
  std::vector<rules::AlertChange> changes;
  int64_t after = 0;
  while (true) {
    SR_ASSIGN_OR_RETURN(std::vector<store::OutboxRow> rows, notify_->ReadOutbox({after, week_start, kOutboxBatch}));
    for (const store::OutboxRow& row : rows) {
      Result<rules::AlertChange> change = ParseChange(row);
      if (change.ok() && change->at < slot) changes.push_back(std::move(change).value());
    }
    if (static_cast<int>(rows.size()) < kOutboxBatch) break;
    after = rows.back().seq;
  }

  SR_ASSIGN_OR_RETURN(std::vector<model::User> users, store_->ListUsers());
  SR_ASSIGN_OR_RETURN(std::vector<store::NotifyAddress> addresses, notify_->ListAddresses("", ""));
  std::string week_key = DigestWeekKey(schedule, slot);
  std::vector<store::NotifyMessage> messages =
      BuildWeeklyDigests(users, addresses, changes, week_key, Now(), options_.public_base_url);
  SR_ASSIGN_OR_RETURN(int64_t inserted, notify_->Enqueue(messages, kDigestCursor, ToUnixMicros(slot)));
  logger_->info("weekly digest {}: {} messages queued", week_key, inserted);
  return OkStatus();
}

void Worker::Impl::UpdateBacklog() {
  if (options_.metrics == nullptr) return;
  Result<std::vector<store::NotifyStateCount>> counts = notify_->CountMessages();
  if (!counts.ok()) return;

  std::map<int64_t, int64_t> backlog;
  for (auto& [channel_id, metrics] : metrics_) backlog[channel_id] = 0;
  for (const store::NotifyStateCount& count : *counts) {
    if (count.state == store::kMessagePending || count.state == store::kMessageSending) {
      backlog[count.channel_id] += count.count;
    } else {
      backlog.try_emplace(count.channel_id, 0);
    }
  }
  for (const auto& [channel_id, count] : backlog) MetricsOf(channel_id).backlog->Set(static_cast<double>(count));
}

ChannelMetrics& Worker::Impl::MetricsOf(int64_t channel_id) {
  auto it = metrics_.find(channel_id);
  if (it != metrics_.end()) return it->second;

  static server::MetricsRegistry unused_registry;
  server::MetricsRegistry& registry = options_.metrics != nullptr ? *options_.metrics : unused_registry;
  std::vector<std::string> labels = {std::to_string(channel_id)};
  ChannelMetrics metrics;
  metrics.sent = &registry.AddCounter("salesradar_notify_sent_total", "Notification requests accepted by the channel.",
                                      {"channel"}).WithLabels(labels);
  metrics.failed = &registry.AddCounter("salesradar_notify_failed_total",
                                        "Notification messages that failed for good.", {"channel"}).WithLabels(labels);
  metrics.retries = &registry.AddCounter("salesradar_notify_retries_total",
                                         "Notification sends that will be retried (network, 5xx, rate limit).",
                                         {"channel"}).WithLabels(labels);
  metrics.backlog = &registry.AddGauge("salesradar_notify_backlog", "Notification messages waiting to be sent.",
                                       {"channel"}).WithLabels(labels);
  return metrics_.emplace(channel_id, metrics).first->second;
}

void Worker::Impl::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] {
    logger_->info("notify worker started");
    std::unique_lock guard(mutex_);
    while (!stopping_) {
      guard.unlock();
      Status pass = RunOnce();
      if (!pass.ok()) logger_->error("notify worker pass failed: {}", pass.error().ToLogString());
      guard.lock();
      if (crashed_) break;
      wake_.wait_for(guard, options_.poll, [this] { return stopping_; });
    }
    logger_->info("notify worker stopped");
  });
}

void Worker::Impl::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<std::unique_ptr<Worker>> Worker::Open(WorkerOptions options) {
  store::OpenOptions open_options;
  open_options.clock = options.clock;
  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, store::Open(options.database, open_options));
  SR_ASSIGN_OR_RETURN(std::unique_ptr<store::NotifyStore> notify, store->OpenNotifyStore());
  SR_ASSIGN_OR_RETURN(SecretBox box, SecretBox::LoadOrCreate(options.secret_key_path));

  SR_ASSIGN_OR_RETURN(int64_t interrupted,
                      notify->MarkInterruptedMessages("the process stopped while this message was being sent; it may "
                                                      "have arrived, so it was not sent again; resend it if it did not"));
  if (interrupted > 0) {
    Logger("notify")->warn("{} notification messages were interrupted while sending and are marked unknown", interrupted);
  }
  auto impl = std::make_unique<Impl>(std::move(options), std::move(store), std::move(notify), std::move(box));
  return std::unique_ptr<Worker>(new Worker(std::move(impl)));
}

Worker::Worker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Worker::~Worker() { Stop(); }
void Worker::Start() { impl_->Start(); }
void Worker::Stop() { impl_->Stop(); }
Status Worker::RunOnce() { return impl_->RunOnce(); }

}  // namespace salesradar::notify
