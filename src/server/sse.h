// Server-Sent Events: the event frame format, per-connection subscriptions with a bounded queue,
// and the hub that publishes events to every subscription whose filter accepts them.
//
// A handler subscribes and returns Response::EventStream(subscription). The server then writes
// the subscription's events to the connection as they arrive. It sends a comment line as a
// heartbeat when the stream has been quiet for the configured interval, and it closes the
// subscription when the client disconnects.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace salesradar::server {

class ServerMetrics;

// One event for the stream.
struct SseEvent {
  std::string event;  // the event type, for example "alert.created"; empty means "message"
  std::string data;   // the payload, usually JSON; each line becomes one "data:" line
  std::string id;     // becomes Last-Event-ID when the client reconnects; may be empty
  // Facts for subscription filters, such as the alert's owner; never sent to the client.
  std::map<std::string, std::string> attributes;
};

// Returns the wire form of `event`: "event:", "id:" and "data:" lines and a blank line. Line
// breaks (CR, LF, CRLF) inside `event` and `id` are replaced by spaces, because the format has
// no way to escape them.
std::string FormatSseEvent(const SseEvent& event);

// Returns a comment frame ": text\n\n", which clients ignore; used for heartbeats.
std::string FormatSseComment(std::string_view text);

// The queue of one stream client. Thread safety: every method may be called from any thread;
// mutex_ guards queue_, state_ and wakeup_.
class SseSubscription {
 public:
  enum class State {
    kOpen,
    kClosed,      // the client left, the publisher closed it, or the server is stopping
    kOverflowed,  // the queue was full when an event arrived; the client must be dropped
  };

  SseSubscription(uint64_t id, std::string owner, size_t capacity);

  uint64_t id() const { return id_; }

  // The request id of the stream's request, for log lines.
  const std::string& owner() const { return owner_; }

  // Moves the queued events to the end of `out` and returns the state. Events queued before
  // the subscription closed are still returned.
  State TakeEvents(std::vector<SseEvent>& out);

  // Sets the function called, on the publishing thread, after an event is queued or the state
  // changes. It must return quickly, for example by posting work to the connection's strand.
  void SetWakeup(std::function<void()> wakeup);

  // Ends the subscription: the hub stops queueing to it. Idempotent.
  void Close();

  State state() const;

 private:
  friend class SseHub;

  // Queues `event`. Returns false when the queue was full: the subscription is then overflowed
  // and its queue emptied. Returns true when queued or when the subscription is not open.
  bool Offer(const SseEvent& event);

  void SetState(State state);

  const uint64_t id_;
  const std::string owner_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::deque<SseEvent> queue_;
  State state_ = State::kOpen;
  std::function<void()> wakeup_;
};

// Decides whether a subscriber may see an event; runs on the publishing thread, so it must be
// thread-safe and quick.
using SseFilter = std::function<bool(const SseEvent& event)>;

// Thread safety: every method may be called from any thread; mutex_ guards subscribers_ and
// closed_. Filters and wakeups run outside the lock.
class SseHub {
 public:
  // `queue_capacity` is the number of events each subscription may hold before its client is
  // dropped. `metrics` (optional, must outlive the hub) counts dropped clients.
  explicit SseHub(size_t queue_capacity, ServerMetrics* metrics = nullptr);

  // Adds a subscriber that receives every published event that `filter` accepts (all events when
  // `filter` is empty). `owner` names the subscriber in log lines, usually the request id. After
  // CloseAll() the returned subscription is already closed.
  std::shared_ptr<SseSubscription> Subscribe(SseFilter filter, std::string owner);

  // Queues `event` for each open subscriber whose filter accepts it and returns how many
  // accepted it. A subscriber whose queue is full is overflowed, logged once and removed.
  size_t Publish(const SseEvent& event);

  // Returns the number of open subscribers.
  size_t subscriber_count() const;

  // Closes every subscription and refuses new ones; used when the server stops.
  void CloseAll();

 private:
  struct Subscriber {
    std::weak_ptr<SseSubscription> subscription;
    SseFilter filter;
  };

  // Removes subscribers that were closed or destroyed. REQUIRES: mutex_ held.
  void PruneLocked();

  const size_t queue_capacity_;
  ServerMetrics* const metrics_;
  mutable std::mutex mutex_;
  std::vector<Subscriber> subscribers_;
  uint64_t next_id_ = 1;
  bool closed_ = false;
};

}  // namespace salesradar::server
