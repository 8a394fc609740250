// The request and response types that route handlers see. They carry no Boost.Beast types, so
// handler code compiles without the heavy HTTP headers.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/locale.h"
#include "common/result.h"

namespace salesradar::server {

class SseSubscription;

// The HTTP methods that routes can be registered for. A request with any other method gets
// 501 Not Implemented before routing.
enum class Method { kGet, kHead, kPost, kPut, kPatch, kDelete, kOptions };

// Returns the method's name as written on the request line, for example "GET".
std::string_view MethodName(Method method);

// Parses a request-line method name, case-sensitive as HTTP defines it. Returns nullopt for a
// method outside the enum.
std::optional<Method> ParseMethod(std::string_view name);

// HTTP header fields in the order received. Names compare case-insensitively.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;

  // Appends a field, keeping fields of the same name.
  void Add(std::string name, std::string value);

  // Replaces every field named `name` by one field with `value`.
  void Set(std::string name, std::string value);

  // Returns the value of the first field named `name`, or nullopt.
  std::optional<std::string_view> Get(std::string_view name) const;

  const std::vector<Field>& fields() const { return fields_; }

 private:
  std::vector<Field> fields_;
};

// A parsed HTTP request as a handler receives it. Created by the server for one request and
// passed by const reference; handlers may copy what they need to keep.
struct Request {
  Method method = Method::kGet;
  std::string target;  // the request target as received, for example "/a/b?x=1"
  std::string path;    // the target's path, still percent-encoded, for example "/a/b"
  std::string route;   // the matched route pattern, for example "/api/v1/opportunities/{id}"
  std::map<std::string, std::string> params;               // path parameters, percent-decoded
  std::vector<std::pair<std::string, std::string>> query;  // query parameters, decoded, in order
  Headers headers;
  std::string body;
  Locale locale = Locale::kChinese;  // from Accept-Language; Chinese when absent
  std::string request_id;            // the client's X-Request-Id, or one the server generated
  std::string remote_address;        // the peer's IP address

  // Returns the path parameter `name`, or nullopt.
  std::optional<std::string_view> Param(std::string_view name) const;

  // Returns the first query parameter `name`, or nullopt.
  std::optional<std::string_view> Query(std::string_view name) const;

  // Returns the first header field `name`, or nullopt.
  std::optional<std::string_view> Header(std::string_view name) const;
};

// The response a handler returns. A normal response has a status, header fields and a body that
// the server sends with Content-Length. An event-stream response (`event_stream` set) keeps the
// connection open and sends the subscription's events as Server-Sent Events until the client
// disconnects, the subscription ends or the server stops.
struct Response {
  int status = 200;
  Headers headers;  // Content-Type included; the server adds Content-Length and X-Request-Id
  std::string body;
  std::shared_ptr<SseSubscription> event_stream;

  // A JSON body with Content-Type application/json; charset=utf-8.
  static Response Json(int status, const nlohmann::json& body);

  // A text body with the given Content-Type.
  static Response Text(int status, std::string body,
                       std::string content_type = "text/plain; charset=utf-8");

  // 204 No Content.
  static Response NoContent();

  // An open event stream fed by `subscription`. REQUIRES: subscription != nullptr.
  static Response EventStream(std::shared_ptr<SseSubscription> subscription);
};

// A route handler. It runs on one of the server's I/O threads, so it must not block for long.
// Several handlers run at once when the server has several threads. An Error result becomes a
// JSON error response with the status from HttpStatusFor(). An exception becomes a generic 500.
using Handler = std::function<Result<Response>(const Request& request)>;

}  // namespace salesradar::server
