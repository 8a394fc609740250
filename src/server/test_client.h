// A small HTTP/1.1 client for the server tests, on Boost.Beast, connecting to 127.0.0.1 only.
// Every operation has a deadline, so a server bug fails the test instead of hanging it.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace salesradar::server::testing {

struct HttpResult {
  int status = 0;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;
  bool keep_alive = false;

  // Returns the header field `name` (any case), or "" when absent.
  std::string Header(std::string_view name) const;
};

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Not thread-safe: one test thread uses one client.
class TestClient {
 public:
  explicit TestClient(uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  ~TestClient();

  // Connects to 127.0.0.1:port. Request() connects on first use.
  Status Connect();

  // Sends one request and reads its response, on the open connection when there is one.
  Result<HttpResult> Request(std::string method, std::string target, std::string body = "",
                             HeaderList headers = {});

  // Writes bytes as they are, for malformed or pipelined requests.
  Status SendRaw(std::string_view bytes);

  // Reads one response. Set `head` for the response to a HEAD request, which has no body.
  Result<HttpResult> ReadResponse(bool head = false);

  // Sends a GET for an event stream and reads the response header; the body is then read with
  // ReadStreamUntil().
  Result<HttpResult> OpenStream(std::string target, HeaderList headers = {});

  // Reads the stream until its text contains `needle` and returns all text read so far. Fails on
  // timeout or when the stream ends first.
  Result<std::string> ReadStreamUntil(std::string_view needle);

  // True when the stream's body ended with the final chunk.
  bool StreamFinished() const;

  // Reads and discards until the server closes the connection; false on timeout.
  bool WaitForClose();

  // Closes the connection from this side.
  void Close();

  // The number of TCP connections this client has opened.
  int connection_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace salesradar::server::testing
