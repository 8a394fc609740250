#include "server/test_client.h"

#include <cctype>
#include <array>
#include <functional>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace salesradar::server::testing {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

Error TransportError(const std::string& operation, beast::error_code ec) {
  return Unavailable("测试客户端：" + operation + "失败：" + ec.message(),
                     "test client: " + operation + " failed: " + ec.message());
}

HttpResult ToResult(const http::response<http::string_body>& response) {
  HttpResult result;
  result.status = static_cast<int>(response.result_int());
  for (const auto& field : response) {
    std::string name = Lower(field.name_string());
    auto it = result.headers.find(name);
    // Set-Cookie values cannot be joined with commas, so repeated ones are joined with '\n'.
    if (name == "set-cookie" && it != result.headers.end()) {
      it->second += "\n" + std::string(field.value());
    } else {
      result.headers[name] = std::string(field.value());
    }
  }
  result.body = response.body();
  result.keep_alive = response.keep_alive();
  return result;
}

}  // namespace

std::string HttpResult::Header(std::string_view name) const {
  auto it = headers.find(Lower(name));
  return it == headers.end() ? "" : it->second;
}

struct TestClient::Impl {
  Impl(uint16_t port_number, std::chrono::milliseconds timeout_value)
      : port(port_number), timeout(timeout_value), stream(io_context) {}

  // Starts `operation` with a completion handler that stores the error, then runs the
  // io_context until it completes; the stream's deadline bounds the wait.
  beast::error_code Run(const std::function<void(std::function<void(beast::error_code, size_t)>)>& operation) {
    beast::error_code result = net::error::would_block;
    stream.expires_after(timeout);
    operation([&result](beast::error_code ec, size_t) { result = ec; });
    io_context.restart();
    io_context.run();
    return result;
  }

  bool connected() const { return stream.socket().is_open(); }

  uint16_t port;
  std::chrono::milliseconds timeout;
  net::io_context io_context;
  beast::tcp_stream stream;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::string_body>> stream_parser;
  std::string stream_text;
  std::function<std::size_t(std::uint64_t, std::string_view, beast::error_code&)> chunk_callback;
  int connections = 0;
};

TestClient::TestClient(uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(port, timeout)) {}

TestClient::~TestClient() { Close(); }

Status TestClient::Connect() {
  Close();
  impl_->buffer.clear();
  impl_->stream_parser.reset();
  impl_->stream_text.clear();

  tcp::endpoint endpoint(net::ip::make_address("127.0.0.1"), impl_->port);
  beast::error_code ec = impl_->Run([&](auto done) {
    impl_->stream.async_connect(endpoint, [done](beast::error_code e) { done(e, 0); });
  });
  if (ec) {
    return TransportError("connect", ec);
  }
  ++impl_->connections;
  return OkStatus();
}

Result<HttpResult> TestClient::Request(std::string method, std::string target, std::string body,
                                       HeaderList headers) {
  if (!impl_->connected()) {
    SR_RETURN_IF_ERROR(Connect());
  }

  http::request<http::string_body> request;
  request.method_string(method);
  request.target(target);
  request.version(11);
  request.set(http::field::host, "127.0.0.1");
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  request.body() = std::move(body);
  if (!request.body().empty() || method == "POST" || method == "PUT") {
    request.prepare_payload();
  }

  beast::error_code ec = impl_->Run([&](auto done) { http::async_write(impl_->stream, request, done); });
  if (ec) {
    return TransportError("write", ec);
  }
  return ReadResponse(method == "HEAD");
}

Status TestClient::SendRaw(std::string_view bytes) {
  if (!impl_->connected()) {
    SR_RETURN_IF_ERROR(Connect());
  }
  beast::error_code ec = impl_->Run([&](auto done) {
    net::async_write(impl_->stream, net::buffer(bytes.data(), bytes.size()), done);
  });
  if (ec) {
    return TransportError("write", ec);
  }
  return OkStatus();
}

Result<HttpResult> TestClient::ReadResponse(bool head) {
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 << 20);
  parser.skip(head);
  beast::error_code ec = impl_->Run([&](auto done) {
    http::async_read(impl_->stream, impl_->buffer, parser, done);
  });
  if (ec) {
    return TransportError("read", ec);
  }
  return ToResult(parser.get());
}

Result<HttpResult> TestClient::OpenStream(std::string target, HeaderList headers) {
  if (!impl_->connected()) {
    SR_RETURN_IF_ERROR(Connect());
  }

  http::request<http::empty_body> request{http::verb::get, target, 11};
  request.set(http::field::host, "127.0.0.1");
  request.set(http::field::accept, "text/event-stream");
  for (const auto& [name, value] : headers) {
    request.set(name, value);
  }
  beast::error_code ec = impl_->Run([&](auto done) { http::async_write(impl_->stream, request, done); });
  if (ec) {
    return TransportError("write", ec);
  }

  impl_->stream_parser.emplace();
  impl_->stream_parser->body_limit(boost::none);
  impl_->stream_text.clear();
  // The parser keeps a reference to the callback, so the callback lives in impl_.
  std::string* text = &impl_->stream_text;
  impl_->chunk_callback = [text](std::uint64_t, std::string_view data, beast::error_code&) {
    text->append(data);
    return data.size();
  };
  impl_->stream_parser->on_chunk_body(impl_->chunk_callback);
  ec = impl_->Run([&](auto done) {
    http::async_read_header(impl_->stream, impl_->buffer, *impl_->stream_parser, done);
  });
  if (ec) {
    return TransportError("read stream header", ec);
  }
  return ToResult(impl_->stream_parser->get());
}

Result<std::string> TestClient::ReadStreamUntil(std::string_view needle) {
  auto deadline = std::chrono::steady_clock::now() + impl_->timeout;
  while (impl_->stream_text.find(needle) == std::string::npos) {
    if (!impl_->stream_parser || impl_->stream_parser->is_done()) {
      return Unavailable("测试客户端：流已结束", "test client: the stream ended before '" + std::string(needle) + "'");
    }
    beast::error_code ec = impl_->Run([&](auto done) {
      impl_->stream.expires_at(deadline);
      http::async_read_some(impl_->stream, impl_->buffer, *impl_->stream_parser, done);
    });
    if (ec) {
      return TransportError("read stream, waiting for '" + std::string(needle) + "'", ec);
    }
  }
  return impl_->stream_text;
}

bool TestClient::StreamFinished() const {
  return impl_->stream_parser && impl_->stream_parser->is_done();
}

bool TestClient::WaitForClose() {
  auto deadline = std::chrono::steady_clock::now() + impl_->timeout;
  std::array<char, 65536> scratch{};
  while (true) {
    beast::error_code ec;
    if (impl_->stream_parser && !impl_->stream_parser->is_done()) {
      ec = impl_->Run([&](auto done) {
        impl_->stream.expires_at(deadline);
        http::async_read_some(impl_->stream, impl_->buffer, *impl_->stream_parser, done);
      });
    } else {
      ec = impl_->Run([&](auto done) {
        impl_->stream.expires_at(deadline);
        impl_->stream.async_read_some(net::buffer(scratch), done);
      });
    }
    if (ec == beast::error::timeout) {
      return false;
    }
    if (ec) {
      return true;  // end of stream, reset, or a parse error after the close
    }
  }
}

void TestClient::Close() {
  if (impl_->connected()) {
    beast::error_code ec;
    impl_->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    impl_->stream.close();
  }
}

int TestClient::connection_count() const { return impl_->connections; }

}  // namespace salesradar::server::testing
