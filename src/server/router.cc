#include "server/router.h"

#include <algorithm>
#include <optional>

#include "server/contract.h"
#include "server/url.h"

namespace salesradar::server {
namespace {

// Splits "/a/b" into {"a", "b"}; "/" gives {""} and "/a/" gives {"a", ""}.
std::vector<std::string_view> SplitSegments(std::string_view path) {
  std::vector<std::string_view> segments;
  path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    segments.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) {
      return segments;
    }
    path.remove_prefix(slash + 1);
  }
}

bool IsParameterName(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool IsLiteral(std::string_view text) {
  return text.find_first_of("{}") == std::string_view::npos;
}

// Returns the shape of a pattern, in which every parameter is written "{}".
std::string Shape(std::string_view pattern) {
  std::string shape;
  bool in_parameter = false;
  for (char c : pattern) {
    if (c == '{') {
      in_parameter = true;
      shape += "{}";
    } else if (c == '}') {
      in_parameter = false;
    } else if (!in_parameter) {
      shape += c;
    }
  }
  return shape;
}

}  // namespace

void Router::Add(Method method, std::string_view pattern, Handler handler) {
  if (pattern.empty() || pattern[0] != '/') {
    AbortOnBug("route pattern '" + std::string(pattern) + "' must start with '/'");
  }

  Route route{method, std::string(pattern), {}, std::move(handler)};
  for (std::string_view text : SplitSegments(pattern)) {
    bool braced = text.size() >= 2 && text.front() == '{' && text.back() == '}';
    if (braced && IsParameterName(text.substr(1, text.size() - 2))) {
      route.segments.push_back({std::string(text.substr(1, text.size() - 2)), true});
    } else if (IsLiteral(text)) {
      route.segments.push_back({std::string(text), false});
    } else {
      AbortOnBug("route pattern '" + std::string(pattern) + "' has a malformed segment '" +
                 std::string(text) + "'; write a parameter as {name}");
    }
  }

  for (const Route& existing : routes_) {
    if (existing.method == method && Shape(existing.pattern) == Shape(pattern)) {
      AbortOnBug("route " + std::string(MethodName(method)) + " " + std::string(pattern) +
                 " is registered twice (first as " + existing.pattern + ")");
    }
  }
  routes_.push_back(std::move(route));
}

const Router::Route* Router::FindBest(Method method, const std::vector<std::string>& path_segments,
                                      std::vector<Method>& path_methods) const {
  const Route* best = nullptr;

  for (const Route& route : routes_) {
    if (route.segments.size() != path_segments.size()) {
      continue;
    }
    bool matches = true;
    for (size_t i = 0; i < path_segments.size() && matches; ++i) {
      const Segment& segment = route.segments[i];
      matches = segment.is_parameter ? !path_segments[i].empty() : segment.text == path_segments[i];
    }
    if (!matches) {
      continue;
    }

    path_methods.push_back(route.method);
    if (route.method != method) {
      continue;
    }

    // More specific: at the first differing segment kind, a literal beats a parameter.
    if (best == nullptr) {
      best = &route;
      continue;
    }
    for (size_t i = 0; i < route.segments.size(); ++i) {
      if (route.segments[i].is_parameter != best->segments[i].is_parameter) {
        if (!route.segments[i].is_parameter) {
          best = &route;
        }
        break;
      }
    }
  }
  return best;
}

RouteMatch Router::Match(Method method, std::string_view path) const {
  RouteMatch match;
  if (path.empty() || path[0] != '/') {
    return match;
  }

  std::vector<std::string> segments;
  for (std::string_view raw : SplitSegments(path)) {
    std::optional<std::string> decoded = PercentDecode(raw, false);
    if (!decoded) {
      match.outcome = RouteMatch::Outcome::kBadPath;
      return match;
    }
    segments.push_back(std::move(*decoded));
  }

  std::vector<Method> path_methods;
  const Route* route = FindBest(method, segments, path_methods);
  if (route == nullptr && method == Method::kHead) {
    path_methods.clear();
    route = FindBest(Method::kGet, segments, path_methods);
  }

  if (route == nullptr) {
    bool reads = method == Method::kGet || method == Method::kHead;
    if (path_methods.empty() && reads && fallback_) {
      match.outcome = RouteMatch::Outcome::kMatched;
      match.handler = &fallback_;
      match.pattern = kFallbackPattern;
      return match;
    }
    if (path_methods.empty()) {
      return match;
    }
    bool has_get = std::find(path_methods.begin(), path_methods.end(), Method::kGet) !=
                   path_methods.end();
    if (has_get) {
      path_methods.push_back(Method::kHead);
    }
    std::sort(path_methods.begin(), path_methods.end());
    path_methods.erase(std::unique(path_methods.begin(), path_methods.end()), path_methods.end());
    match.outcome = RouteMatch::Outcome::kMethodNotAllowed;
    match.allowed_methods = std::move(path_methods);
    return match;
  }

  match.outcome = RouteMatch::Outcome::kMatched;
  match.handler = &route->handler;
  match.pattern = route->pattern;
  for (size_t i = 0; i < segments.size(); ++i) {
    if (route->segments[i].is_parameter) {
      match.params[route->segments[i].text] = std::move(segments[i]);
    }
  }
  return match;
}

void Router::SetFallback(Handler handler) { fallback_ = std::move(handler); }

std::vector<RouteInfo> Router::Routes() const {
  std::vector<RouteInfo> routes;
  routes.reserve(routes_.size());
  for (const Route& route : routes_) {
    routes.push_back({route.method, route.pattern});
  }
  std::sort(routes.begin(), routes.end(), [](const RouteInfo& a, const RouteInfo& b) {
    return a.pattern != b.pattern ? a.pattern < b.pattern : a.method < b.method;
  });
  return routes;
}

}  // namespace salesradar::server
