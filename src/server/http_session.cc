#include "server/http_session.h"

#include <array>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/logging.h"
#include "server/dispatcher.h"
#include "server/error_mapping.h"
#include "server/request_id.h"
#include "server/sse_session.h"
#include "server/url.h"

namespace salesradar::server {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using SteadyClock = std::chrono::steady_clock;

// How long a closing connection keeps reading and discarding what the client still sends, so
// that the client sees the last response instead of a connection reset caused by unread data.
constexpr std::chrono::seconds kLingerTimeout(2);

constexpr std::string_view kContinueResponse = "HTTP/1.1 100 Continue\r\n\r\n";

bool IsOperationalRoute(const std::string& route) {
  return route == "/healthz" || route == "/readyz" || route == "/metrics";
}

// Errors that mean the client went away or was too slow, as opposed to a malformed request.
bool IsConnectionLoss(beast::error_code ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof ||
         ec == beast::error::timeout || ec == net::error::operation_aborted ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe;
}

// Serves the requests of one connection. Every member function runs on the connection's strand
// (executor_), so the members need no lock.
class HttpSession final : public Connection, public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(tcp::socket socket, ServerCore& core);
  ~HttpSession() override;

  void Start();
  void BeginShutdown() override;
  void ForceClose() override;

 private:
  enum class State { kIdle, kReading, kHandling, kWriting, kClosing, kClosed, kHandedOff };

  void WaitForRequest();
  void OnFirstBytes(beast::error_code ec, size_t bytes);
  void ReadHeader();
  void OnHeader(beast::error_code ec, size_t bytes);
  void ReadBody();
  void OnBody(beast::error_code ec, size_t bytes);
  void OnReadError(beast::error_code ec);
  void BeginRequest();
  void HandleRequest();
  std::optional<Request> BuildRequest();
  void StartStream(Response response);
  void SendError(const ApiError& error, bool keep_alive);
  void Send(Response response, bool keep_alive);
  void OnWritten(bool keep_alive, beast::error_code ec, size_t bytes);
  void CloseGracefully();
  void OnDrained(beast::error_code ec, size_t bytes);
  void CloseNow();

  beast::tcp_stream stream_;
  net::any_io_executor executor_;  // the strand; kept because stream_ moves to a stream session
  ServerCore& core_;
  uint64_t registry_id_ = 0;
  State state_ = State::kIdle;
  std::string remote_address_;

  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::optional<http::response_serializer<http::string_body>> serializer_;
  std::array<char, 4096> drain_buffer_{};

  // The request in progress, for the access log and the metrics.
  std::string request_id_;
  Locale locale_ = Locale::kChinese;
  std::string method_label_;
  std::string path_;
  std::string route_label_;
  SteadyClock::time_point request_start_;
  unsigned http_version_ = 11;
  bool head_request_ = false;
  // The client may still be sending the request that was rejected. Closing a socket with unread
  // data makes the kernel send a reset, which can destroy the response before the client reads it.
  bool unread_input_ = false;
};

HttpSession::HttpSession(tcp::socket socket, ServerCore& core)
    : stream_(std::move(socket)), executor_(stream_.get_executor()), core_(core) {
  beast::error_code ec;
  tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
  remote_address_ = ec ? "unknown" : peer.address().to_string();
}

HttpSession::~HttpSession() {
  if (registry_id_ != 0) {
    core_.connections.Remove(registry_id_);
  }
}

void HttpSession::Start() {
  registry_id_ = core_.connections.Add(weak_from_this());
  net::post(executor_, [self = shared_from_this()] { self->WaitForRequest(); });
}

void HttpSession::BeginShutdown() {
  net::post(executor_, [self = shared_from_this()] {
    // Only a connection waiting for its next request is closed here. One in the middle of a
    // request checks `stopping` when it sends the response, and closes after it.
    if (self->state_ == State::kIdle) {
      self->stream_.cancel();
    }
  });
}

void HttpSession::ForceClose() {
  net::post(executor_, [self = shared_from_this()] { self->CloseNow(); });
}

void HttpSession::WaitForRequest() {
  if (core_.stopping.load()) {
    CloseNow();
    return;
  }

  state_ = State::kIdle;
  if (buffer_.size() > 0) {
    ReadHeader();  // a pipelined request is already buffered
    return;
  }
  stream_.expires_after(core_.config.idle_timeout);
  stream_.async_read_some(buffer_.prepare(drain_buffer_.size()),
                          beast::bind_front_handler(&HttpSession::OnFirstBytes, shared_from_this()));
}

void HttpSession::OnFirstBytes(beast::error_code ec, size_t bytes) {
  if (ec) {
    CloseNow();  // the client closed, the keep-alive wait timed out, or the server is stopping
    return;
  }
  buffer_.commit(bytes);
  ReadHeader();
}

void HttpSession::ReadHeader() {
  state_ = State::kReading;
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(core_.config.max_header_bytes));
  parser_->body_limit(core_.config.max_body_bytes);

  // One deadline covers the header and the body of the request.
  stream_.expires_after(core_.config.request_timeout);
  http::async_read_header(stream_, buffer_, *parser_,
                          beast::bind_front_handler(&HttpSession::OnHeader, shared_from_this()));
}

void HttpSession::OnHeader(beast::error_code ec, size_t) {
  BeginRequest();
  if (ec) {
    OnReadError(ec);
    return;
  }

  auto content_length = parser_->content_length();
  if (content_length && *content_length > core_.config.max_body_bytes) {
    unread_input_ = true;
    SendError(PayloadTooLargeError(core_.config.max_body_bytes), false);
    return;
  }

  // A client that sent "Expect: 100-continue" waits for this before it sends the body.
  const auto& header = parser_->get();
  if (http_version_ == 11 && beast::iequals(header[http::field::expect], "100-continue")) {
    net::async_write(stream_, net::buffer(kContinueResponse.data(), kContinueResponse.size()),
                     [self = shared_from_this()](beast::error_code write_ec, size_t) {
                       if (write_ec) {
                         self->CloseNow();
                         return;
                       }
                       self->ReadBody();
                     });
    return;
  }
  ReadBody();
}

void HttpSession::ReadBody() {
  http::async_read(stream_, buffer_, *parser_,
                   beast::bind_front_handler(&HttpSession::OnBody, shared_from_this()));
}

void HttpSession::OnBody(beast::error_code ec, size_t) {
  if (ec) {
    OnReadError(ec);
    return;
  }
  HandleRequest();
}

void HttpSession::OnReadError(beast::error_code ec) {
  unread_input_ = true;
  if (ec == http::error::body_limit) {
    SendError(PayloadTooLargeError(core_.config.max_body_bytes), false);
    return;
  }
  if (ec == http::error::header_limit) {
    SendError(HeaderTooLargeError(core_.config.max_header_bytes), false);
    return;
  }
  if (IsConnectionLoss(ec)) {
    Logger("server")->debug("request {}: connection from {} closed while reading the request: {}",
                            request_id_, remote_address_, ec.message());
    CloseNow();
    return;
  }
  if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
    SendError(BadRequestError("无法解析 HTTP 请求（" + ec.message() + "）",
                              "cannot parse the HTTP request (" + ec.message() + ")"),
              false);
    return;
  }
  Logger("server")->info("request {}: reading from {} failed: {}", request_id_, remote_address_,
                         ec.message());
  CloseNow();
}

void HttpSession::BeginRequest() {
  const auto& header = parser_->get();
  request_start_ = SteadyClock::now();

  std::string_view incoming_id = header["X-Request-Id"];
  request_id_ = ChooseRequestId(incoming_id.empty() ? std::nullopt
                                                    : std::optional<std::string_view>(incoming_id));
  locale_ = LocaleFromAcceptLanguage(header[http::field::accept_language]);

  // Unknown methods share one label, so that clients cannot grow the metric's label set.
  std::optional<Method> method = ParseMethod(header.method_string());
  method_label_ = method ? std::string(MethodName(*method)) : "OTHER";
  head_request_ = method == Method::kHead;
  path_ = std::string(SplitTarget(header.target()).path);
  route_label_ = kUnmatchedRouteLabel;
  http_version_ = header.version() == 10 ? 10 : 11;
}

std::optional<Request> HttpSession::BuildRequest() {
  auto& message = parser_->get();
  std::optional<Method> method = ParseMethod(message.method_string());
  if (!method) {
    SendError(MethodNotImplementedError(message.method_string()), message.keep_alive());
    return std::nullopt;
  }

  Request request;
  request.method = *method;
  request.target = std::string(message.target());
  TargetParts parts = SplitTarget(request.target);
  request.path = std::string(parts.path);
  auto query = ParseQuery(parts.query);
  if (!query) {
    SendError(BadRequestError("查询参数中的百分号编码无效", "invalid percent-encoding in the query string"),
              message.keep_alive());
    return std::nullopt;
  }
  request.query = std::move(*query);

  for (const auto& field : message) {
    request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  request.body = std::move(message.body());
  request.locale = locale_;
  request.request_id = request_id_;
  request.remote_address = remote_address_;
  return request;
}

void HttpSession::HandleRequest() {
  state_ = State::kHandling;
  std::optional<Request> request = BuildRequest();
  if (!request) {
    return;
  }

  DispatchResult result = Dispatch(core_.router, *request);
  route_label_ = result.route_label;
  bool keep_alive = parser_->get().keep_alive() && !core_.stopping.load();

  if (result.response.event_stream != nullptr && !head_request_) {
    StartStream(std::move(result.response));
    return;
  }
  if (result.response.event_stream != nullptr) {
    result.response.event_stream->Close();  // HEAD gets the stream's header only
  }
  Send(std::move(result.response), keep_alive);
}

void HttpSession::StartStream(Response response) {
  SseResponseHeader header;
  header.version(http_version_);
  header.result(http::status::ok);
  for (const auto& [name, value] : response.headers.fields()) {
    header.insert(name, value);
  }
  header.set("X-Request-Id", request_id_);
  header.keep_alive(false);  // the connection ends with the stream
  if (http_version_ == 11) {
    header.chunked(true);
  }

  std::chrono::duration<double> elapsed = SteadyClock::now() - request_start_;
  core_.metrics.RecordRequest(route_label_, method_label_, 200, elapsed.count());
  Logger("server")->info("request {}: {} {} 200, stream opened for {}", request_id_, method_label_,
                         path_, remote_address_);

  state_ = State::kHandedOff;
  StartSseSession(std::move(stream_), core_, std::move(response.event_stream), std::move(header),
                  request_id_);
}

void HttpSession::SendError(const ApiError& error, bool keep_alive) {
  Send(ErrorResponse(error, locale_, request_id_), keep_alive && !core_.stopping.load());
}

void HttpSession::Send(Response response, bool keep_alive) {
  state_ = State::kWriting;
  if (response.status < 100 || response.status > 599) {
    Logger("server")->error("request {}: handler returned HTTP status {}; sending 500 instead",
                            request_id_, response.status);
    response = ErrorResponse(InternalServerError(), locale_, request_id_);
  }

  response_ = {};
  response_.version(http_version_);
  response_.result(static_cast<unsigned>(response.status));
  for (const auto& [name, value] : response.headers.fields()) {
    response_.insert(name, value);
  }
  response_.set("X-Request-Id", request_id_);
  // 1xx, 204 and 304 responses have no body by definition.
  bool body_allowed = response.status >= 200 && response.status != 204 && response.status != 304;
  if (body_allowed) {
    response_.body() = std::move(response.body);
  }
  response_.keep_alive(keep_alive);
  response_.prepare_payload();  // a HEAD response keeps the Content-Length of the GET body

  serializer_.emplace(response_);
  stream_.expires_after(core_.config.response_timeout);
  auto on_written = beast::bind_front_handler(&HttpSession::OnWritten, shared_from_this(), keep_alive);
  if (head_request_) {
    http::async_write_header(stream_, *serializer_, std::move(on_written));
  } else {
    http::async_write(stream_, *serializer_, std::move(on_written));
  }
}

void HttpSession::OnWritten(bool keep_alive, beast::error_code ec, size_t) {
  std::chrono::duration<double> elapsed = SteadyClock::now() - request_start_;
  int status = static_cast<int>(response_.result_int());
  core_.metrics.RecordRequest(route_label_, method_label_, status, elapsed.count());
  auto level = IsOperationalRoute(route_label_) ? spdlog::level::debug : spdlog::level::info;
  Logger("server")->log(level, "request {}: {} {} {} in {:.1f} ms", request_id_, method_label_,
                        path_, status, elapsed.count() * 1000);

  if (ec) {
    Logger("server")->info("request {}: sending the response to {} failed: {}", request_id_,
                           remote_address_, ec.message());
    CloseNow();
    return;
  }

  serializer_.reset();
  response_ = {};
  if (unread_input_) {
    CloseGracefully();
    return;
  }
  if (!keep_alive || core_.stopping.load()) {
    CloseNow();  // the request was read completely, so closing cannot reset the response
    return;
  }
  WaitForRequest();
}

void HttpSession::CloseGracefully() {
  state_ = State::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  if (ec) {
    CloseNow();
    return;
  }
  // The deadline holds for the whole drain, not per read.
  stream_.expires_after(kLingerTimeout);
  stream_.async_read_some(net::buffer(drain_buffer_),
                          beast::bind_front_handler(&HttpSession::OnDrained, shared_from_this()));
}

void HttpSession::OnDrained(beast::error_code ec, size_t) {
  if (ec) {
    CloseNow();
    return;
  }
  stream_.async_read_some(net::buffer(drain_buffer_),
                          beast::bind_front_handler(&HttpSession::OnDrained, shared_from_this()));
}

void HttpSession::CloseNow() {
  if (state_ == State::kClosed || state_ == State::kHandedOff) {
    return;
  }
  state_ = State::kClosed;
  beast::error_code ec;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
  stream_.close();
}

}  // namespace

void StartHttpSession(tcp::socket socket, ServerCore& core) {
  std::make_shared<HttpSession>(std::move(socket), core)->Start();
}

}  // namespace salesradar::server
