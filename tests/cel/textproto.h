// A reader for the subset of protobuf text format that the conformance files use: nested
// messages, repeated fields, strings with C escapes, numbers, enum identifiers, `#` comments
// and `[type.googleapis.com/...]` Any payloads. There is no schema: every field keeps its raw
// text, and the runner interprets it.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace salesradar::cel::testing {

struct TextField;

struct TextMessage {
  std::vector<TextField> fields;

  // Returns the first field named `name`, or nullptr.
  const TextField* Find(std::string_view name) const;
  // Returns every field named `name`, in order.
  std::vector<const TextField*> FindAll(std::string_view name) const;
};

struct TextField {
  std::string name;      // a field name, or the type URL of an Any payload without brackets
  bool is_message = false;
  std::string scalar;    // decoded string, or the number / identifier text
  bool is_string = false;
  std::shared_ptr<TextMessage> message;
};

// Parses a whole file. Errors name the line.
Result<TextMessage> ParseTextProto(std::string_view text);

}  // namespace salesradar::cel::testing
