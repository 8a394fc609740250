// The built web UI served from a folder (web/dist): its files with a Content-Type and cache
// headers, and index.html for every client-side route, so that a reload of /alerts/42 works.
#pragma once

#include <string>

#include "server/router.h"

namespace salesradar::api {

// Sets the router's fallback to serve the files under `web_root` for GET and HEAD requests that
// match no route. Files under /assets/ carry content hashes in their names, so they are cached for
// a year. Every other file, index.html included, is revalidated with its ETag on each use. A file
// with a "<name>.gz" beside it is sent gzipped to clients that accept gzip. A path that names no
// file gets index.html, unless it is under /assets/ or ends in a static file's extension (.js,
// .css, .png ...): those are 404. Paths under /api/ and the
// operations endpoints never get index.html. A path with a "." or ".." segment, a segment that
// starts with ".", a backslash or a NUL byte, encoded or not, is rejected with 404 and never
// leaves `web_root`. Does nothing when `web_root` is empty.
void RegisterStaticFiles(server::Router& router, const std::string& web_root);

}  // namespace salesradar::api
