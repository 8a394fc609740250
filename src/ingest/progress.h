// Import progress on a terminal: rows per second and percentage of the file's bytes.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

#include "common/locale.h"

namespace salesradar::ingest {

// Draws one status line on `out` (normally stderr), redrawn in place with '\r'. Nothing is
// drawn during the first 2 seconds of a file, so short imports print no progress at all, and
// the line is redrawn at most every 250 ms. Not thread-safe.
class ProgressMeter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `enabled` is normally whether `out` is a terminal. `now` is replaceable for tests.
  ProgressMeter(
      std::FILE* out, bool enabled, Locale locale,
      Clock now = [] { return std::chrono::steady_clock::now(); });

  // Reports `rows` read and `bytes_read` of `file_size` bytes of `file`. A new file name
  // restarts the 2-second delay and the rate.
  void Update(std::string_view file, int64_t rows, uint64_t bytes_read, uint64_t file_size);

  // Erases the status line, if one is shown, so that other output starts on a clean line.
  void Clear();

 private:
  std::FILE* out_;
  bool enabled_;
  Locale locale_;
  Clock now_;
  std::string file_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_drawn_;
  bool shown_ = false;
};

// Returns true when `file` is a terminal.
bool IsTerminal(std::FILE* file);

}  // namespace salesradar::ingest
