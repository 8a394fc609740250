#include "server/sse_session.h"

#include <array>
#include <atomic>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/logging.h"

namespace salesradar::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// Streams one subscription to one client. Every member function except Wake() runs on the
// connection's strand (executor_), so the members need no lock; Wake() only touches the atomic
// wake_posted_ and posts to the strand.
//
// At most one write is in flight (writing_). Events that arrive meanwhile wait in the
// subscription's bounded queue and go out together in the next write. Memory per client is so
// bounded by the queue capacity plus one batch.
class SseSession final : public Connection, public std::enable_shared_from_this<SseSession> {
 public:
  SseSession(beast::tcp_stream stream, ServerCore& core,
             std::shared_ptr<SseSubscription> subscription, SseResponseHeader header,
             std::string request_id);
  ~SseSession() override;

  void Start();
  void BeginShutdown() override;
  void ForceClose() override;

  // Schedules Flush() on the strand; called by the subscription on the publishing thread.
  void Wake();

 private:
  void OnHeaderWritten(beast::error_code ec, size_t bytes);
  void WatchForDisconnect();
  void OnClientData(beast::error_code ec, size_t bytes);
  void ScheduleHeartbeat();
  void OnHeartbeat(beast::error_code ec);
  void Flush();
  void Write();
  void OnWritten(beast::error_code ec, size_t bytes);
  void Finish();
  void CloseNow(std::string_view reason);

  beast::tcp_stream stream_;
  net::any_io_executor executor_;
  net::steady_timer heartbeat_timer_;
  ServerCore& core_;
  std::shared_ptr<SseSubscription> subscription_;
  SseResponseHeader header_;
  http::response_serializer<http::empty_body> serializer_;  // refers to header_
  std::string request_id_;
  uint64_t registry_id_ = 0;
  const bool chunked_;

  std::string pending_;  // the frames of the write in flight
  bool writing_ = false;
  bool finishing_ = false;
  bool closed_ = false;
  uint64_t events_sent_ = 0;
  std::chrono::steady_clock::time_point last_write_ = std::chrono::steady_clock::now();
  std::atomic<bool> wake_posted_{false};
  std::array<char, 512> read_buffer_{};
};

SseSession::SseSession(beast::tcp_stream stream, ServerCore& core,
                       std::shared_ptr<SseSubscription> subscription, SseResponseHeader header,
                       std::string request_id)
    : stream_(std::move(stream)),
      executor_(stream_.get_executor()),
      heartbeat_timer_(executor_),
      core_(core),
      subscription_(std::move(subscription)),
      header_(std::move(header)),
      serializer_(header_),
      request_id_(std::move(request_id)),
      chunked_(header_.chunked()) {}

SseSession::~SseSession() {
  if (registry_id_ != 0) {
    core_.connections.Remove(registry_id_);
  }
}

void SseSession::Start() {
  registry_id_ = core_.connections.Add(weak_from_this());

  // A weak pointer, because the subscription must not keep a disconnected session alive.
  std::weak_ptr<SseSession> weak = weak_from_this();
  subscription_->SetWakeup([weak] {
    if (auto self = weak.lock()) {
      self->Wake();
    }
  });

  net::dispatch(executor_, [self = shared_from_this()] {
    self->stream_.expires_after(self->core_.config.response_timeout);
    http::async_write_header(
        self->stream_, self->serializer_,
        beast::bind_front_handler(&SseSession::OnHeaderWritten, self));
  });
}

void SseSession::BeginShutdown() {
  net::post(executor_, [self = shared_from_this()] {
    self->subscription_->Close();
    self->Flush();
  });
}

void SseSession::ForceClose() {
  net::post(executor_, [self = shared_from_this()] { self->CloseNow("server stopped"); });
}

void SseSession::Wake() {
  if (wake_posted_.exchange(true)) {
    return;  // a Flush() is already on its way
  }
  net::post(executor_, [self = shared_from_this()] {
    self->wake_posted_.store(false);
    self->Flush();
  });
}

void SseSession::OnHeaderWritten(beast::error_code ec, size_t) {
  if (ec) {
    CloseNow("sending the stream header failed: " + ec.message());
    return;
  }
  // Reads wait without a deadline, because a stream client sends nothing; each write sets its own.
  stream_.expires_never();
  WatchForDisconnect();
  ScheduleHeartbeat();
  Flush();
}

void SseSession::WatchForDisconnect() {
  stream_.async_read_some(net::buffer(read_buffer_),
                          beast::bind_front_handler(&SseSession::OnClientData, shared_from_this()));
}

void SseSession::OnClientData(beast::error_code ec, size_t) {
  if (ec) {
    CloseNow(ec == net::error::eof ? "client disconnected" : ec.message());
    return;
  }
  WatchForDisconnect();  // anything the client sends is ignored
}

void SseSession::ScheduleHeartbeat() {
  // The next heartbeat is due one interval after the last write. While a write is stuck, that time
  // is already past, so the timer then waits a whole interval instead of firing at once.
  auto interval = core_.config.stream_heartbeat_interval;
  auto due = last_write_ + interval;
  if (due <= std::chrono::steady_clock::now()) {
    due = std::chrono::steady_clock::now() + interval;
  }
  heartbeat_timer_.expires_at(due);
  heartbeat_timer_.async_wait(beast::bind_front_handler(&SseSession::OnHeartbeat, shared_from_this()));
}

void SseSession::OnHeartbeat(beast::error_code ec) {
  if (ec || closed_) {
    return;
  }
  bool quiet = std::chrono::steady_clock::now() - last_write_ >= core_.config.stream_heartbeat_interval;
  if (quiet && !writing_ && !finishing_) {
    pending_ = FormatSseComment("heartbeat");
    Write();
  }
  ScheduleHeartbeat();
}

void SseSession::Flush() {
  if (closed_) {
    return;
  }
  // Checked before the pending write: a client whose queue overflowed is usually the one whose
  // write is stuck, and waiting for that write would hold the connection for response_timeout.
  if (subscription_->state() == SseSubscription::State::kOverflowed) {
    CloseNow("queue full, client too slow");
    return;
  }
  if (writing_ || finishing_) {
    return;
  }

  std::vector<SseEvent> events;
  SseSubscription::State state = subscription_->TakeEvents(events);
  if (!events.empty()) {
    pending_.clear();
    for (const SseEvent& event : events) {
      pending_ += FormatSseEvent(event);
    }
    events_sent_ += events.size();
    Write();
    return;
  }
  if (state == SseSubscription::State::kClosed) {
    Finish();
  }
}

void SseSession::Write() {
  writing_ = true;
  last_write_ = std::chrono::steady_clock::now();
  stream_.expires_after(core_.config.response_timeout);
  auto on_written = beast::bind_front_handler(&SseSession::OnWritten, shared_from_this());
  if (chunked_) {
    net::async_write(stream_, http::make_chunk(net::buffer(pending_)), std::move(on_written));
  } else {
    net::async_write(stream_, net::buffer(pending_), std::move(on_written));
  }
}

void SseSession::OnWritten(beast::error_code ec, size_t) {
  writing_ = false;
  if (ec) {
    CloseNow(ec == beast::error::timeout ? "write timed out, client too slow" : ec.message());
    return;
  }
  if (finishing_) {
    CloseNow("stream ended");
    return;
  }
  Flush();
}

void SseSession::Finish() {
  finishing_ = true;
  if (!chunked_) {
    CloseNow("stream ended");  // without chunked encoding, the close ends the body
    return;
  }
  writing_ = true;
  stream_.expires_after(core_.config.response_timeout);
  net::async_write(stream_, http::make_chunk_last(),
                   beast::bind_front_handler(&SseSession::OnWritten, shared_from_this()));
}

void SseSession::CloseNow(std::string_view reason) {
  if (closed_) {
    return;
  }
  closed_ = true;
  heartbeat_timer_.cancel();
  subscription_->Close();

  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
  Logger("server")->info("request {}: stream closed after {} events ({})", request_id_,
                         events_sent_, reason);
}

}  // namespace

void StartSseSession(beast::tcp_stream stream, ServerCore& core,
                     std::shared_ptr<SseSubscription> subscription, SseResponseHeader header,
                     std::string request_id) {
  std::make_shared<SseSession>(std::move(stream), core, std::move(subscription), std::move(header),
                               std::move(request_id))
      ->Start();
}

}  // namespace salesradar::server
