#include "calendar/window.h"

#include <array>
#include <cassert>
#include <chrono>

#include <fmt/format.h>

namespace salesradar::calendar {
namespace {

struct UnitSpelling {
  std::string_view text;
  WindowUnit unit;
};

constexpr std::array<UnitSpelling, 9> kUnitSpellings = {{
    {"m", WindowUnit::kMinutes},
    {"h", WindowUnit::kHours},
    {"d", WindowUnit::kDays},
    {"workday", WindowUnit::kWorkdays},
    {"workdays", WindowUnit::kWorkdays},
    {"work_hour", WindowUnit::kWorkHours},
    {"work_hours", WindowUnit::kWorkHours},
    {"work_minute", WindowUnit::kWorkMinutes},
    {"work_minutes", WindowUnit::kWorkMinutes},
}};

constexpr std::string_view kAcceptedForms = "48h, 30m, 3d, 2 workdays, 16 work_hours, 90 work_minutes";

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

Error WindowError(std::string_view text, std::string_view problem_zh, std::string_view problem_en) {
  return InvalidArgument(
      fmt::format("时间窗口 '{}' 无效：{}；可用的写法例如 {}", text, problem_zh, kAcceptedForms),
      fmt::format("window '{}' is invalid: {}; write it like {}", text, problem_en, kAcceptedForms));
}

}  // namespace

bool Window::IsBusinessTime() const {
  return unit == WindowUnit::kWorkMinutes || unit == WindowUnit::kWorkHours ||
         unit == WindowUnit::kWorkdays;
}

Microseconds Window::Duration() const {
  switch (unit) {
    case WindowUnit::kMinutes:
    case WindowUnit::kWorkMinutes:
      return std::chrono::minutes(count);
    case WindowUnit::kHours:
    case WindowUnit::kWorkHours:
      return std::chrono::hours(count);
    case WindowUnit::kDays:
      return std::chrono::hours(24 * count);
    case WindowUnit::kWorkdays:
      break;
  }
  assert(false && "a workdays window has no fixed duration");
  return Microseconds(0);
}

int64_t MaxWindowCount(WindowUnit unit) {
  switch (unit) {
    case WindowUnit::kMinutes: return 3650LL * 24 * 60;
    case WindowUnit::kHours: return 3650LL * 24;
    case WindowUnit::kDays: return 3650;
    case WindowUnit::kWorkMinutes: return 20000LL * 60;
    case WindowUnit::kWorkHours: return 20000;
    case WindowUnit::kWorkdays: return 2500;
  }
  return 0;
}

Result<Window> ParseWindow(std::string_view text) {
  std::string_view rest = Trim(text);
  if (rest.empty()) {
    return WindowError(text, "内容为空", "it is empty");
  }

  // The count: ASCII digits only, so signs and fractions are rejected with the same message.
  size_t digits = 0;
  while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
    ++digits;
  }
  if (digits == 0) {
    return WindowError(text, "必须以正整数开头", "it must start with a whole number above zero");
  }
  if (digits > 9) {
    return WindowError(text, "数字过大", "the number is too large");
  }
  int64_t count = 0;
  for (size_t i = 0; i < digits; ++i) {
    count = count * 10 + (rest[i] - '0');
  }

  std::string_view unit_text = Trim(rest.substr(digits));
  if (!unit_text.empty() && (unit_text.front() == '.' || unit_text.front() == ',')) {
    return WindowError(text, "数量必须是整数，请换用更小的单位（例如 90m 而不是 1.5h）",
                       "the count must be a whole number; use a smaller unit (90m instead of 1.5h)");
  }
  const UnitSpelling* spelling = nullptr;
  for (const UnitSpelling& candidate : kUnitSpellings) {
    if (unit_text == candidate.text) {
      spelling = &candidate;
    }
  }
  if (spelling == nullptr) {
    return WindowError(text, fmt::format("未知的单位 '{}'（可用 m、h、d、workdays、work_hours、work_minutes）", unit_text),
                       fmt::format("unknown unit '{}' (use m, h, d, workdays, work_hours or "
                                   "work_minutes)",
                                   unit_text));
  }

  if (count == 0) {
    return WindowError(text, "长度必须至少为 1", "the count must be at least 1");
  }
  int64_t max_count = MaxWindowCount(spelling->unit);
  if (count > max_count) {
    return WindowError(text, fmt::format("超过上限 {}（约 10 年）", max_count),
                       fmt::format("the count exceeds the maximum {} (about 10 years)", max_count));
  }
  return Window{count, spelling->unit};
}

std::string FormatWindow(const Window& window) {
  switch (window.unit) {
    case WindowUnit::kMinutes: return fmt::format("{}m", window.count);
    case WindowUnit::kHours: return fmt::format("{}h", window.count);
    case WindowUnit::kDays: return fmt::format("{}d", window.count);
    case WindowUnit::kWorkMinutes:
      return fmt::format("{} {}", window.count, window.count == 1 ? "work_minute" : "work_minutes");
    case WindowUnit::kWorkHours:
      return fmt::format("{} {}", window.count, window.count == 1 ? "work_hour" : "work_hours");
    case WindowUnit::kWorkdays:
      return fmt::format("{} {}", window.count, window.count == 1 ? "workday" : "workdays");
  }
  return fmt::format("{}", window.count);
}

Timestamp AddWallTime(Timestamp start, Microseconds duration) { return start + duration; }

Result<Timestamp> WindowEnd(const BusinessCalendar& calendar, Timestamp start, const Window& window) {
  if (window.unit == WindowUnit::kWorkdays) {
    return calendar.AddWorkdays(start, window.count);
  }
  if (window.IsBusinessTime()) {
    return calendar.AddWorkingTime(start, window.Duration());
  }
  return AddWallTime(start, window.Duration());
}

}  // namespace salesradar::calendar
