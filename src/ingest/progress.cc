#include "ingest/progress.h"

#include <unistd.h>

#include <algorithm>

#include <fmt/format.h>

namespace salesradar::ingest {
namespace {

constexpr std::chrono::seconds kQuietPeriod{2};
constexpr std::chrono::milliseconds kRedrawInterval{250};

}  // namespace

bool IsTerminal(std::FILE* file) { return isatty(fileno(file)) == 1; }

ProgressMeter::ProgressMeter(std::FILE* out, bool enabled, Locale locale, Clock now)
    : out_(out), enabled_(enabled), locale_(locale), now_(std::move(now)) {}

void ProgressMeter::Update(std::string_view file, int64_t rows, uint64_t bytes_read,
                           uint64_t file_size) {
  if (!enabled_) {
    return;
  }
  auto now = now_();
  if (file != file_) {
    Clear();
    file_ = std::string(file);
    started_ = now;
    return;
  }
  if (now - started_ < kQuietPeriod || (shown_ && now - last_drawn_ < kRedrawInterval)) {
    return;
  }

  double seconds = std::chrono::duration<double>(now - started_).count();
  auto rate = static_cast<int64_t>(static_cast<double>(rows) / std::max(seconds, 0.001));
  double percent = file_size == 0 ? 100.0
                                  : 100.0 * static_cast<double>(std::min(bytes_read, file_size)) /
                                        static_cast<double>(file_size);
  std::string line =
      locale_ == Locale::kEnglish
          ? fmt::format("importing {}: {:5.1f}%  {} rows  {} rows/s", file_, percent, rows, rate)
          : fmt::format("正在导入 {}：{:5.1f}%  {} 行  {} 行/秒", file_, percent, rows, rate);
  std::fprintf(out_, "\r\033[K%s", line.c_str());
  std::fflush(out_);
  shown_ = true;
  last_drawn_ = now;
}

void ProgressMeter::Clear() {
  if (shown_) {
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
    shown_ = false;
  }
}

}  // namespace salesradar::ingest
