// Alert message templates: text with {placeholders}, filled when an alert is raised.
//
// Placeholders:
//   {rule.id} {rule.name}                       the rule
//   {subject.type} {subject.id} {subject.name}  the subject; {subject.FIELD} reads a declared field
//   {event.id} {event.type} {event.actor} {event.occurred_at} {event.payload.KEY}
//                                               the event that raised the alert (for absence
//                                               rules: the trigger event)
//   {window}                                    the rule's window, e.g. "48 小时" / "48 hours"
//   {deadline}                                  when an absence window ended
//   {count}                                     events counted by a count or streak rule
//   {value}                                     the value that crossed a threshold
// Write {{ and }} for literal braces. Times are shown in the rule calendar's zone, or in UTC
// when the rule has no calendar. A placeholder without a value renders as an empty text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/business_calendar.h"
#include "calendar/window.h"
#include "cel/value.h"
#include "common/error.h"
#include "common/locale.h"
#include "common/result.h"
#include "rules/event.h"

namespace salesradar::rules {

struct TemplatePart {
  bool placeholder = false;
  std::string text;  // literal text, or the placeholder's name such as "subject.name"
};

class MessageTemplate {
 public:
  MessageTemplate() = default;

  // Parses `text`. Fails with kInvalidArgument on an unclosed or empty placeholder and on an
  // unknown placeholder, naming the nearest known ones.
  static Result<MessageTemplate> Parse(std::string_view text);

  const std::vector<TemplatePart>& parts() const { return parts_; }

  // Returns the FIELD of every {subject.FIELD} other than type, id and name, for the compiler
  // to check against the subject's schema.
  std::vector<std::string> SubjectFields() const;

 private:
  std::vector<TemplatePart> parts_;
};

// The values that placeholders read. Pointers may be null for values the alert lacks.
struct TemplateValues {
  std::string_view rule_id;
  const LocalizedText* rule_name = nullptr;
  const SubjectRef* subject = nullptr;
  std::string_view subject_name;                   // falls back to the subject's id when empty
  const cel::ObjectValue* subject_record = nullptr;
  const Event* event = nullptr;
  std::optional<calendar::Window> window;
  std::optional<Timestamp> deadline;
  std::optional<int64_t> count;
  std::optional<double> value;
  const calendar::BusinessCalendar* calendar = nullptr;  // zone for times; UTC when null
};

// Fills `message` in `locale`.
std::string RenderMessage(const MessageTemplate& message, const TemplateValues& values, Locale locale);

// Returns a window as people read it: "48 小时", "2 个工作日" / "48 hours", "2 workdays".
std::string DescribeWindow(const calendar::Window& window, Locale locale);

// Formats `t` in the calendar's zone ("2026-02-24 17:00:00 +08:00"), or as RFC 3339 UTC when
// `calendar` is null.
std::string FormatTime(Timestamp t, const calendar::BusinessCalendar* calendar);

}  // namespace salesradar::rules
