#include "server/sse.h"

#include <exception>
#include <utility>

#include "common/logging.h"
#include "server/server_metrics.h"

namespace salesradar::server {
namespace {

std::string WithoutLineBreaks(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\r' || c == '\n') {
      c = ' ';
    }
  }
  return out;
}

// Appends one "data:" line per line of `data`, splitting at CRLF, LF or CR as the SSE parser does.
void AppendDataLines(std::string& out, std::string_view data) {
  while (true) {
    size_t end = data.find_first_of("\r\n");
    out += "data: ";
    out += data.substr(0, end);
    out += '\n';
    if (end == std::string_view::npos) {
      return;
    }
    size_t next = end + 1;
    if (data[end] == '\r' && next < data.size() && data[next] == '\n') {
      ++next;
    }
    data.remove_prefix(next);
  }
}

}  // namespace

std::string FormatSseEvent(const SseEvent& event) {
  std::string out;
  if (!event.event.empty()) {
    out += "event: " + WithoutLineBreaks(event.event) + "\n";
  }
  if (!event.id.empty()) {
    out += "id: " + WithoutLineBreaks(event.id) + "\n";
  }
  AppendDataLines(out, event.data);
  out += '\n';
  return out;
}

std::string FormatSseComment(std::string_view text) {
  return ": " + WithoutLineBreaks(text) + "\n\n";
}

SseSubscription::SseSubscription(uint64_t id, std::string owner, size_t capacity)
    : id_(id), owner_(std::move(owner)), capacity_(capacity) {}

SseSubscription::State SseSubscription::TakeEvents(std::vector<SseEvent>& out) {
  std::lock_guard<std::mutex> lock(mutex_);
  for (SseEvent& event : queue_) {
    out.push_back(std::move(event));
  }
  queue_.clear();
  return state_;
}

void SseSubscription::SetWakeup(std::function<void()> wakeup) {
  std::lock_guard<std::mutex> lock(mutex_);
  wakeup_ = std::move(wakeup);
}

void SseSubscription::Close() { SetState(State::kClosed); }

SseSubscription::State SseSubscription::state() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return state_;
}

void SseSubscription::SetState(State state) {
  std::function<void()> wakeup;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kOpen) {
      return;
    }
    state_ = state;
    wakeup = wakeup_;
  }
  if (wakeup) {
    wakeup();
  }
}

bool SseSubscription::Offer(const SseEvent& event) {
  std::function<void()> wakeup;
  bool queued = true;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (state_ != State::kOpen) {
      return true;
    }
    if (queue_.size() >= capacity_) {
      // The queued events are dropped with the client, so memory is released at once.
      queue_.clear();
      state_ = State::kOverflowed;
      queued = false;
    } else {
      queue_.push_back(event);
    }
    wakeup = wakeup_;
  }
  if (wakeup) {
    wakeup();
  }
  return queued;
}

SseHub::SseHub(size_t queue_capacity, ServerMetrics* metrics)
    : queue_capacity_(queue_capacity), metrics_(metrics) {}

std::shared_ptr<SseSubscription> SseHub::Subscribe(SseFilter filter, std::string owner) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto subscription = std::make_shared<SseSubscription>(next_id_++, std::move(owner), queue_capacity_);
  if (closed_) {
    subscription->Close();
    return subscription;
  }

  PruneLocked();
  subscribers_.push_back({subscription, std::move(filter)});
  return subscription;
}

size_t SseHub::Publish(const SseEvent& event) {
  std::vector<Subscriber> subscribers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    PruneLocked();
    subscribers = subscribers_;
  }

  size_t accepted = 0;
  for (const Subscriber& subscriber : subscribers) {
    std::shared_ptr<SseSubscription> subscription = subscriber.subscription.lock();
    if (subscription == nullptr || subscription->state() != SseSubscription::State::kOpen) {
      continue;
    }

    bool visible = true;
    try {
      visible = !subscriber.filter || subscriber.filter(event);
    } catch (const std::exception& e) {
      // A broken filter must not stop the publisher; the event is withheld from this client.
      Logger("server")->error("request {}: stream filter threw '{}'; event '{}' withheld",
                              subscription->owner(), e.what(), event.id);
      visible = false;
    }
    if (!visible) {
      continue;
    }

    ++accepted;
    if (!subscription->Offer(event)) {
      Logger("server")->warn(
          "request {}: stream client dropped because its queue of {} events is full; the client "
          "reads too slowly",
          subscription->owner(), queue_capacity_);
      if (metrics_ != nullptr) {
        metrics_->RecordStreamClientDropped();
      }
    }
  }
  return accepted;
}

size_t SseHub::subscriber_count() const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t count = 0;
  for (const Subscriber& subscriber : subscribers_) {
    auto subscription = subscriber.subscription.lock();
    if (subscription != nullptr && subscription->state() == SseSubscription::State::kOpen) {
      ++count;
    }
  }
  return count;
}

void SseHub::CloseAll() {
  std::vector<Subscriber> subscribers;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closed_ = true;
    subscribers.swap(subscribers_);
  }

  for (const Subscriber& subscriber : subscribers) {
    if (auto subscription = subscriber.subscription.lock()) {
      subscription->Close();
    }
  }
}

void SseHub::PruneLocked() {
  std::erase_if(subscribers_, [](const Subscriber& subscriber) {
    auto subscription = subscriber.subscription.lock();
    return subscription == nullptr || subscription->state() != SseSubscription::State::kOpen;
  });
}

}  // namespace salesradar::server
