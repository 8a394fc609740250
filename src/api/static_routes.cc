#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <fmt/format.h>

#include "api/routes.h"
#include "api/static_files.h"
#include "common/logging.h"
#include "server/error_mapping.h"
#include "server/url.h"

namespace salesradar::api {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kImmutableCache = "public, max-age=31536000, immutable";
constexpr std::string_view kRevalidateCache = "no-cache";

// Paths that belong to the server. A miss there is a 404, never the UI's index.html.
bool IsServerPath(std::string_view path) {
  for (std::string_view prefix : {"/api", "/healthz", "/readyz", "/metrics"}) {
    if (path == prefix || (path.starts_with(prefix) && path[prefix.size()] == '/')) {
      return true;
    }
  }
  return false;
}

// Returns the Content-Type of a known static file extension, or nullopt.
std::optional<std::string_view> KnownContentType(const fs::path& file) {
  static const std::vector<std::pair<std::string_view, std::string_view>> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json; charset=utf-8"},
      {".map", "application/json; charset=utf-8"},
      {".webmanifest", "application/manifest+json; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".txt", "text/plain; charset=utf-8"},
      {".wasm", "application/wasm"},
  };
  std::string extension = file.extension().string();
  for (const auto& [known, type] : kTypes) {
    if (extension == known) {
      return type;
    }
  }
  return std::nullopt;
}

std::string_view ContentTypeFor(const fs::path& file) {
  return KnownContentType(file).value_or("application/octet-stream");
}

// True when Accept-Encoding lists gzip with a weight above zero ("gzip;q=0" refuses it).
bool AcceptsGzip(const server::Request& request) {
  std::optional<std::string_view> accepted = request.Header("Accept-Encoding");
  if (!accepted) {
    return false;
  }
  size_t at = accepted->find("gzip");
  if (at == std::string_view::npos) {
    return false;
  }
  std::string_view parameters = accepted->substr(at + 4);
  parameters = parameters.substr(0, parameters.find(','));
  size_t weight = parameters.find("q=");
  if (weight == std::string_view::npos) {
    return true;
  }
  std::string value(parameters.substr(weight + 2));
  return std::strtod(value.c_str(), nullptr) > 0.0;
}

// Splits the decoded path into its segments, or returns nullopt when one of them could leave the
// web root or name a hidden file. Empty segments ("//", a trailing "/") are dropped.
std::optional<std::vector<std::string>> SafeSegments(std::string_view decoded_path) {
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= decoded_path.size()) {
    size_t slash = decoded_path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = decoded_path.size();
    }
    std::string_view segment = decoded_path.substr(start, slash - start);
    start = slash + 1;

    if (segment.empty()) {
      continue;
    }
    if (segment.front() == '.' || segment.find_first_of(std::string_view("\\\0", 2)) !=
                                      std::string_view::npos) {
      return std::nullopt;
    }
    segments.emplace_back(segment);
  }
  return segments;
}

struct StaticFile {
  fs::path path;
  std::string etag;
  fs::path gzipped;  // "<path>.gz" written by the web build (web/scripts/compress.mjs); may be empty
};

// Returns the regular file at `path` with a weak ETag from its size and modification time, or
// nullopt when there is none.
std::optional<StaticFile> FindFile(const fs::path& path) {
  std::error_code error;
  if (!fs::is_regular_file(path, error)) {
    return std::nullopt;
  }
  uintmax_t size = fs::file_size(path, error);
  if (error) {
    return std::nullopt;
  }
  fs::file_time_type modified = fs::last_write_time(path, error);
  if (error) {
    return std::nullopt;
  }
  auto ticks = modified.time_since_epoch().count();
  StaticFile file{path, fmt::format("W/\"{:x}-{:x}\"", size, static_cast<uint64_t>(ticks)), {}};

  fs::path gzipped = path;
  gzipped += ".gz";
  if (fs::is_regular_file(gzipped, error)) {
    file.gzipped = std::move(gzipped);
  }
  return file;
}

bool EtagMatches(std::string_view if_none_match, std::string_view etag) {
  if (if_none_match == "*") {
    return true;
  }
  std::string_view strong = etag.substr(2);  // without "W/", which the weak comparison ignores
  size_t start = 0;
  while (start < if_none_match.size()) {
    size_t comma = if_none_match.find(',', start);
    std::string_view candidate = if_none_match.substr(start, comma - start);
    while (!candidate.empty() && candidate.front() == ' ') {
      candidate.remove_prefix(1);
    }
    while (!candidate.empty() && candidate.back() == ' ') {
      candidate.remove_suffix(1);
    }
    if (candidate.starts_with("W/")) {
      candidate.remove_prefix(2);
    }
    if (candidate == strong) {
      return true;
    }
    if (comma == std::string_view::npos) {
      break;
    }
    start = comma + 1;
  }
  return false;
}

// Files are read on every request (the page cache keeps them in memory). A file the web build
// compressed is sent gzipped to clients that accept it.
Result<server::Response> ServeFile(const server::Request& request, const StaticFile& file,
                                   std::string_view cache_control) {
  server::Response response;
  bool gzip = !file.gzipped.empty() && AcceptsGzip(request);
  const fs::path& source = gzip ? file.gzipped : file.path;
  // Each encoding is its own representation, so it gets its own validator.
  std::string etag = gzip ? file.etag.substr(0, file.etag.size() - 1) + "-gz\"" : file.etag;

  response.headers.Set("Cache-Control", std::string(cache_control));
  response.headers.Set("ETag", etag);
  response.headers.Set("X-Content-Type-Options", "nosniff");
  if (!file.gzipped.empty()) {
    response.headers.Set("Vary", "Accept-Encoding");
  }

  std::optional<std::string_view> if_none_match = request.Header("If-None-Match");
  if (if_none_match && EtagMatches(*if_none_match, etag)) {
    response.status = 304;
    return response;
  }

  std::ifstream input(source, std::ios::binary);
  std::string body((std::istreambuf_iterator<char>(input)), std::istreambuf_iterator<char>());
  if (!input.good() && !input.eof()) {
    Logger("api")->error("request {}: reading web UI file {} failed", request.request_id,
                         source.string());
    return Unavailable("无法读取网页文件 " + file.path.filename().string(),
                       "cannot read the web UI file " + file.path.filename().string());
  }

  response.status = 200;
  response.headers.Set("Content-Type", std::string(ContentTypeFor(file.path)));
  if (gzip) {
    response.headers.Set("Content-Encoding", "gzip");
  }
  response.body = std::move(body);
  return response;
}

server::Response NotFoundResponse(const server::Request& request) {
  return server::ErrorResponse(server::RouteNotFoundError(request.path), request.locale,
                               request.request_id);
}

class StaticFiles {
 public:
  explicit StaticFiles(fs::path root) : root_(std::move(root)) {}

  Result<server::Response> Handle(const server::Request& request) const {
    if (IsServerPath(request.path)) {
      return NotFoundResponse(request);
    }
    std::optional<std::string> decoded = server::PercentDecode(request.path, false);
    if (!decoded) {
      return NotFoundResponse(request);
    }
    std::optional<std::vector<std::string>> segments = SafeSegments(*decoded);
    if (!segments) {
      Logger("api")->debug("request {}: rejected web UI path {}", request.request_id, request.path);
      return NotFoundResponse(request);
    }

    fs::path path = root_;
    for (const std::string& segment : *segments) {
      path /= segment;
    }
    if (std::optional<StaticFile> file = FindFile(path)) {
      bool hashed = !segments->empty() && segments->front() == "assets";
      bool index = segments->empty() || segments->back() == "index.html";
      return ServeFile(request, *file, hashed && !index ? kImmutableCache : kRevalidateCache);
    }

    // A missing asset is a 404, but a client route may hold a dot (/opportunities/OPP.1001).
    bool under_assets = !segments->empty() && segments->front() == "assets";
    bool asset_name = !segments->empty() && KnownContentType(fs::path(segments->back())).has_value();
    if (under_assets || asset_name) {
      return NotFoundResponse(request);
    }
    std::optional<StaticFile> index = FindFile(root_ / "index.html");
    if (!index) {
      Logger("api")->warn("request {}: {} has no index.html", request.request_id, root_.string());
      return NotFoundResponse(request);
    }
    return ServeFile(request, *index, kRevalidateCache);
  }

 private:
  fs::path root_;
};

}  // namespace

void RegisterStaticFiles(server::Router& router, const std::string& web_root) {
  if (web_root.empty()) {
    return;
  }
  std::error_code error;
  fs::path root = fs::weakly_canonical(fs::path(web_root), error);
  if (error) {
    root = fs::path(web_root);
  }
  if (!fs::is_regular_file(root / "index.html", error)) {
    Logger("api")->warn("web root {} has no index.html; build it with `npm run build` in web/", root.string());
  }

  auto files = std::make_shared<StaticFiles>(root);
  router.SetFallback([files](const server::Request& request) { return files->Handle(request); });
}

void RegisterStaticRoutes(server::Router& router, ApiContext& context) {
  RegisterStaticFiles(router, context.web_root);
}

}  // namespace salesradar::api
