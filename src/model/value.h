// Typed field values shared by built-in fields and custom fields.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "common/clock.h"
#include "common/result.h"
#include "model/money.h"

namespace salesradar::model {

// A date without a time of day or time zone, such as a close date.
using CivilDate = std::chrono::year_month_day;

// The type of a field. An enum field contains one of a fixed list of strings.
enum class FieldType { kString, kEnum, kInt, kMoney, kDate, kTimestamp, kBool, kReference };

// Returns "string", "enum", "int", "money", "date", "timestamp", "bool" or "reference".
std::string_view FieldTypeName(FieldType type);

// Parses one of the names FieldTypeName returns. Returns kInvalidArgument otherwise.
Result<FieldType> ParseFieldType(std::string_view name);

// A reference to another entity. The target kind comes from the field's schema.
// Set `id` when the caller has resolved it. Otherwise leave `id` 0 and set `external_id`, and the
// store resolves it when it writes the record, counting records earlier in the same batch.
struct Reference {
  int64_t id = 0;
  std::string external_id;

  bool operator==(const Reference&) const = default;
};

// No value. Writing it clears a field.
struct Null {
  bool operator==(const Null&) const = default;
};

// One field value. The alternative must match the field's type: std::string for kString and
// kEnum, int64_t for kInt, Money, CivilDate for kDate, Timestamp (UTC) for kTimestamp, bool,
// Reference; Null fits every type.
using Value = std::variant<Null, std::string, int64_t, Money, CivilDate, Timestamp, bool, Reference>;

inline bool IsNull(const Value& value) { return std::holds_alternative<Null>(value); }

// Returns true when `value` is Null or contains the alternative that `type` requires.
bool ValueFitsType(const Value& value, FieldType type);

// Returns a short text of `value` for messages and logs. Examples: the string itself, "123456"
// for an int, "¥1,234.56" for money, "2017-03-01" for a date, "2017-07-14T02:40:00Z" for a
// timestamp, "true", "#42" or "ext:A17" for a reference, and "null".
std::string DescribeValue(const Value& value);

// Parses "YYYY-MM-DD" into a valid civil date. Returns kInvalidArgument naming the text
// otherwise (wrong shape, or a day that does not exist such as 2017-02-30).
Result<CivilDate> ParseIsoDate(std::string_view text);

// Formats a date as "YYYY-MM-DD".
std::string FormatIsoDate(CivilDate date);

}  // namespace salesradar::model
