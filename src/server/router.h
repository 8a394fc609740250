// Maps a method and a path to a handler. Patterns are literal segments and parameters:
// "/api/v1/opportunities/{id}" matches "/api/v1/opportunities/42" with params {"id": "42"}.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_types.h"

namespace salesradar::server {

// One registered route, as listed by Router::Routes().
struct RouteInfo {
  Method method;
  std::string pattern;
};

// The result of Router::Match().
struct RouteMatch {
  enum class Outcome {
    kMatched,           // `handler`, `pattern` and `params` are set
    kNotFound,          // no route has this path
    kMethodNotAllowed,  // routes have this path, but not for this method; see `allowed_methods`
    kBadPath,           // the path has a malformed percent-escape
  };

  Outcome outcome = Outcome::kNotFound;
  const Handler* handler = nullptr;  // owned by the router
  std::string pattern;
  std::map<std::string, std::string> params;
  std::vector<Method> allowed_methods;  // for the Allow header of a 405
};

// Thread safety: Add() must finish before the server starts. After that the router is only read,
// so Match() and Routes() may run on any number of threads at once.
class Router {
 public:
  // Registers `handler` for `method` and `pattern`. A pattern starts with '/' and has segments
  // separated by '/'; a segment is literal text or a parameter "{name}" whose name is letters,
  // digits and '_'. A parameter matches one whole non-empty segment. A malformed pattern or a
  // second route with the same method and pattern shape ("/a/{x}" and "/a/{y}" have the same
  // shape) is a bug and aborts the process.
  void Add(Method method, std::string_view pattern, Handler handler);

  // Finds the route for `method` and `path` (percent-encoded, without the query). When several
  // patterns match, the most specific wins: at the first segment where they differ, a literal
  // beats a parameter. HEAD falls back to the GET route of the path when no HEAD route exists.
  RouteMatch Match(Method method, std::string_view path) const;

  // Registers the handler for GET and HEAD requests whose path matches no route, such as the
  // files and client-side routes of the web UI. Match() returns it with the pattern
  // kFallbackPattern. It is not listed by Routes().
  void SetFallback(Handler handler);

  // Returns every route, sorted by pattern and then by method.
  std::vector<RouteInfo> Routes() const;

 private:
  struct Segment {
    std::string text;  // the literal text, or the parameter's name
    bool is_parameter = false;
  };

  struct Route {
    Method method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  // Returns the best route for `method` among those whose segments match `path_segments`, or
  // nullptr. Appends the method of every route that matches the path to `path_methods`.
  const Route* FindBest(Method method, const std::vector<std::string>& path_segments,
                        std::vector<Method>& path_methods) const;

  std::vector<Route> routes_;
  Handler fallback_;
};

// The route pattern reported for requests handled by the fallback handler.
inline constexpr const char* kFallbackPattern = "/*";

}  // namespace salesradar::server
