#include "ingest/value_convert.h"

#include <cassert>

#include <fmt/format.h>

#include "ingest/date_parse.h"
#include "ingest/money_parse.h"
#include "ingest/scalar_parse.h"
#include "ingest/suggest.h"

namespace salesradar::ingest {
namespace {

using model::FieldType;

bool EqualsIgnoreAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) {
      return false;
    }
  }
  return true;
}

Result<model::Value> ParseEnum(const FieldMapping& field, std::string_view text) {
  for (const std::string& allowed : field.allowed_values) {
    if (EqualsIgnoreAsciiCase(text, allowed)) {
      return model::Value(allowed);
    }
  }
  std::string allowed = JoinNames(field.allowed_values);
  return InvalidArgument(
      fmt::format("不是 {} 的允许取值；可用：{}；其他写法请在映射的 values 中对应", field.field,
                  allowed),
      fmt::format("unknown {} value; allowed values: {}; map other spellings under 'values' in "
                  "the mapping",
                  field.field, allowed));
}

Result<model::Value> ParseInt(const FieldMapping& field, std::string_view text) {
  SR_ASSIGN_OR_RETURN(int64_t value, ParseInteger(text));
  if (field.non_negative && value < 0) {
    return InvalidArgument("是负数；该字段必须大于或等于 0", "is negative; it must be 0 or more");
  }
  return model::Value(value);
}

Result<model::Value> ParseMoney(const FieldMapping& field, std::string_view text) {
  SR_ASSIGN_OR_RETURN(model::Money money,
                      ParseMoneyAmount(text, field.fen_exponent, field.currency));
  if (field.non_negative && money.fen < 0) {
    return InvalidArgument("金额为负数；金额必须大于或等于 0",
                           "amount is negative; amounts must be 0 or more");
  }
  return model::Value(std::move(money));
}

Result<model::Value> ParseTimestamp(const FieldMapping& field, const cctz::time_zone& zone,
                                    std::string_view text) {
  SR_ASSIGN_OR_RETURN(CivilDateTime parsed, ParseDateTime(text, field.date_formats));
  if (parsed.utc_offset) {
    // The text names its own offset, so the mapping's time zone does not apply.
    auto local = std::chrono::sys_days(parsed.date) + parsed.time_of_day + parsed.fraction;
    return model::Value(std::chrono::time_point_cast<Microseconds>(local - *parsed.utc_offset));
  }

  auto seconds = parsed.time_of_day.count();
  cctz::civil_second civil(
      static_cast<int>(parsed.date.year()), static_cast<unsigned>(parsed.date.month()),
      static_cast<unsigned>(parsed.date.day()), seconds / 3600, (seconds / 60) % 60, seconds % 60);
  auto instant = cctz::convert(civil, zone);
  return model::Value(std::chrono::time_point_cast<Microseconds>(instant) + parsed.fraction);
}

}  // namespace

Result<model::Value> ParseFieldValue(const FieldMapping& field, const cctz::time_zone& zone,
                                     std::string_view text) {
  assert(field.type != FieldType::kReference);  // the importer resolves references
  switch (field.type) {
    case FieldType::kString: return model::Value(std::string(text));
    case FieldType::kEnum: return ParseEnum(field, text);
    case FieldType::kInt: return ParseInt(field, text);
    case FieldType::kMoney: return ParseMoney(field, text);
    case FieldType::kDate: {
      SR_ASSIGN_OR_RETURN(CivilDateTime parsed, ParseDateTime(text, field.date_formats));
      return model::Value(parsed.date);
    }
    case FieldType::kTimestamp: return ParseTimestamp(field, zone, text);
    case FieldType::kBool: {
      SR_ASSIGN_OR_RETURN(bool value, ParseBoolean(text));
      return model::Value(value);
    }
    case FieldType::kReference: break;
  }
  return Internal("引用字段不能直接解析", "a reference field cannot be parsed as a value");
}

}  // namespace salesradar::ingest
