// The sending half of the worker: due rows grouped by channel, robot rows merged up to the
// payload size and sent while the robot's rate limit allows, outcomes written back to the rows.
#include <fmt/format.h>

#include "notify/channel_sender.h"
#include "notify/payloads.h"
#include "notify/worker_impl.h"

namespace salesradar::notify {
namespace {

constexpr int kDueBatch = 1000;

std::vector<int64_t> IdsOf(std::span<const store::NotifyMessage> batch) {
  std::vector<int64_t> ids;
  for (const store::NotifyMessage& message : batch) ids.push_back(message.id);
  return ids;
}

}  // namespace

Status Worker::Impl::SendDue() {
  SR_ASSIGN_OR_RETURN(std::vector<store::NotifyMessage> due, notify_->DueMessages(Now(), kDueBatch));
  if (due.empty()) return OkStatus();
  SR_ASSIGN_OR_RETURN(std::vector<store::NotifyChannel> channels, notify_->ListChannels());

  std::map<int64_t, std::vector<store::NotifyMessage>> by_channel;
  for (store::NotifyMessage& message : due) by_channel[message.channel_id].push_back(std::move(message));

  for (const store::NotifyChannel& channel : channels) {
    auto group = by_channel.find(channel.id);
    if (group == by_channel.end() || !channel.enabled) continue;

    Result<ChannelSpec> spec = BuildChannelSpec(channel, box_);
    if (!spec.ok()) {
      logger_->error("notify channel {}: cannot be used: {}", channel.id, spec.error().ToLogString());
      std::vector<int64_t> ids = IdsOf(group->second);
      SR_RETURN_IF_ERROR(notify_->UpdateMessages(ids, {std::string(store::kMessageFailed), false, std::nullopt,
                                                       spec.error().message_en(), std::nullopt}));
      MetricsOf(channel.id).failed->Increment(static_cast<double>(ids.size()));
      continue;
    }
    SR_RETURN_IF_ERROR(SendChannel(*spec, group->second));
  }
  return OkStatus();
}

Status Worker::Impl::SendChannel(const ChannelSpec& spec, std::vector<store::NotifyMessage>& due) {
  if (!IsRobot(spec.kind)) {
    for (const store::NotifyMessage& message : due) {
      SR_RETURN_IF_ERROR(SendBatch(spec, std::span<const store::NotifyMessage>(&message, 1)));
    }
    return OkStatus();
  }

  std::span<const store::NotifyMessage> rest(due);
  while (!rest.empty() && !limiter_->TryAcquire(spec.id, spec.kind, Now())) {
    std::vector<MessageEntry> entries;
    for (const store::NotifyMessage& message : rest) {
      Result<MessageEntry> entry = MessageEntry::FromJson(message.body);
      entries.push_back(entry.ok() ? *entry : MessageEntry{"alert", message.source, "", "", "", ""});
    }
    size_t count = EntriesThatFit(spec, entries, LocaleOfTag(rest.front().locale));
    SR_RETURN_IF_ERROR(SendBatch(spec, rest.first(count)));
    rest = rest.subspan(count);
  }
  return OkStatus();
}

Status Worker::Impl::SendBatch(const ChannelSpec& spec, std::span<const store::NotifyMessage> batch) {
  std::vector<int64_t> ids = IdsOf(batch);
  SR_RETURN_IF_ERROR(notify_->UpdateMessages(ids, {std::string(store::kMessageSending), false, std::nullopt,
                                                   std::nullopt, std::nullopt}));

  std::vector<MessageEntry> entries;
  for (const store::NotifyMessage& message : batch) {
    Result<MessageEntry> entry = MessageEntry::FromJson(message.body);
    entries.push_back(entry.ok() ? *entry : MessageEntry{"alert", message.source, "", "", "", ""});
  }
  SendRequest request{entries, LocaleOfTag(batch.front().locale), batch.front().id, batch.front().source,
                      batch.front().target, Now()};
  SendOutcome outcome = Send(spec, request, options_.request_timeout);

  if (outcome.kind == SendOutcome::Kind::kSent && options_.crash_after_send && options_.crash_after_send(ids)) {
    crashed_ = true;
    return Unavailable("通知任务已模拟崩溃", "the notify worker simulated a crash");
  }
  return RecordOutcome(spec, batch, outcome);
}

Status Worker::Impl::RecordOutcome(const ChannelSpec& spec, std::span<const store::NotifyMessage> batch,
                                   const SendOutcome& outcome) {
  std::vector<int64_t> ids = IdsOf(batch);
  ChannelMetrics& metrics = MetricsOf(spec.id);
  switch (outcome.kind) {
    case SendOutcome::Kind::kSent:
      metrics.sent->Increment();
      return notify_->UpdateMessages(ids, {std::string(store::kMessageSent), true, std::nullopt, "", Now()});

    case SendOutcome::Kind::kRateLimited: {
      Timestamp until = Now() + outcome.block;
      limiter_->Block(spec.id, until);
      metrics.retries->Increment();
      logger_->warn("notify channel {}: rate-limited by the platform, {} messages wait {} s: {}", spec.id, ids.size(),
                    outcome.block.count(), outcome.error);
      return notify_->UpdateMessages(ids, {std::string(store::kMessagePending), false, until, outcome.error, std::nullopt});
    }

    case SendOutcome::Kind::kRetry:
      for (const store::NotifyMessage& message : batch) {
        int64_t attempts = message.attempts + 1;
        bool last = attempts >= options_.max_attempts;
        std::string state(last ? store::kMessageFailed : store::kMessagePending);
        std::optional<Timestamp> next = last ? std::nullopt : std::optional<Timestamp>(NextAttempt(attempts));
        SR_RETURN_IF_ERROR(notify_->UpdateMessages(std::span<const int64_t>(&message.id, 1),
                                                   {state, true, next, outcome.error, std::nullopt}));
        (last ? metrics.failed : metrics.retries)->Increment();
      }
      logger_->warn("notify channel {}: send of messages {}..{} failed, will retry: {}", spec.id, ids.front(),
                    ids.back(), outcome.error);
      return OkStatus();

    case SendOutcome::Kind::kPermanent:
      metrics.failed->Increment(static_cast<double>(ids.size()));
      logger_->error("notify channel {}: messages {}..{} failed: {}", spec.id, ids.front(), ids.back(), outcome.error);
      return notify_->UpdateMessages(ids, {std::string(store::kMessageFailed), true, std::nullopt, outcome.error,
                                           std::nullopt});
  }
  return OkStatus();
}

// base * 2^(attempts-1), capped, times a random factor in [0.75, 1.25].
Timestamp Worker::Impl::NextAttempt(int64_t attempts) {
  double delay = static_cast<double>(options_.base_backoff.count());
  for (int64_t i = 1; i < attempts && delay < static_cast<double>(options_.max_backoff.count()); ++i) delay *= 2;
  delay = std::min(delay, static_cast<double>(options_.max_backoff.count()));
  std::uniform_real_distribution<double> jitter(0.75, 1.25);
  auto micros = static_cast<int64_t>(delay * jitter(random_) * 1e6);
  return Now() + Microseconds(micros);
}

}  // namespace salesradar::notify
