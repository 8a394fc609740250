#include "model/value.h"

#include <array>

#include <fmt/format.h>

namespace salesradar::model {
namespace {

constexpr std::array<std::pair<FieldType, std::string_view>, 8> kTypeNames = {{
    {FieldType::kString, "string"},
    {FieldType::kEnum, "enum"},
    {FieldType::kInt, "int"},
    {FieldType::kMoney, "money"},
    {FieldType::kDate, "date"},
    {FieldType::kTimestamp, "timestamp"},
    {FieldType::kBool, "bool"},
    {FieldType::kReference, "reference"},
}};

// Parses the decimal digits of `text`. Returns -1 when one is not a digit.
int ParseFixedDigits(std::string_view text) {
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return -1;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

std::string FormatTimestamp(Timestamp t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  CivilDate date(days);
  std::chrono::hh_mm_ss<Microseconds> time(t - days);
  std::string out = fmt::format("{}T{:02}:{:02}:{:02}", FormatIsoDate(date), time.hours().count(),
                                time.minutes().count(), time.seconds().count());
  if (time.subseconds().count() != 0) {
    out += fmt::format(".{:06}", time.subseconds().count());
  }
  return out + "Z";
}

struct Describer {
  std::string operator()(const Null&) const { return "null"; }
  std::string operator()(const std::string& text) const { return text; }
  std::string operator()(int64_t number) const { return std::to_string(number); }
  std::string operator()(const Money& money) const { return FormatMoney(money); }
  std::string operator()(const CivilDate& date) const { return FormatIsoDate(date); }
  std::string operator()(const Timestamp& t) const { return FormatTimestamp(t); }
  std::string operator()(bool flag) const { return flag ? "true" : "false"; }
  std::string operator()(const Reference& ref) const {
    return ref.id != 0 ? fmt::format("#{}", ref.id) : "ext:" + ref.external_id;
  }
};

}  // namespace

std::string_view FieldTypeName(FieldType type) {
  for (const auto& [candidate, name] : kTypeNames) {
    if (candidate == type) {
      return name;
    }
  }
  return "string";
}

Result<FieldType> ParseFieldType(std::string_view name) {
  for (const auto& [type, candidate] : kTypeNames) {
    if (candidate == name) {
      return type;
    }
  }
  return InvalidArgument(
      fmt::format("未知的字段类型 '{}'；可用：string、enum、int、money、date、timestamp、bool、"
                  "reference",
                  name),
      fmt::format("unknown field type '{}'; use string, enum, int, money, date, timestamp, bool "
                  "or reference",
                  name));
}

bool ValueFitsType(const Value& value, FieldType type) {
  switch (type) {
    case FieldType::kString:
    case FieldType::kEnum: return IsNull(value) || std::holds_alternative<std::string>(value);
    case FieldType::kInt: return IsNull(value) || std::holds_alternative<int64_t>(value);
    case FieldType::kMoney: return IsNull(value) || std::holds_alternative<Money>(value);
    case FieldType::kDate: return IsNull(value) || std::holds_alternative<CivilDate>(value);
    case FieldType::kTimestamp: return IsNull(value) || std::holds_alternative<Timestamp>(value);
    case FieldType::kBool: return IsNull(value) || std::holds_alternative<bool>(value);
    case FieldType::kReference: return IsNull(value) || std::holds_alternative<Reference>(value);
  }
  return false;
}

std::string DescribeValue(const Value& value) { return std::visit(Describer{}, value); }

Result<CivilDate> ParseIsoDate(std::string_view text) {
  auto invalid = [text] {
    return InvalidArgument(
        fmt::format("日期 '{}' 无效；请写成 YYYY-MM-DD 形式的有效日期，如 2017-03-01", text),
        fmt::format("invalid date '{}'; write an existing date as YYYY-MM-DD, such as 2017-03-01",
                    text));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') {
    return invalid();
  }

  int year = ParseFixedDigits(text.substr(0, 4));
  int month = ParseFixedDigits(text.substr(5, 2));
  int day = ParseFixedDigits(text.substr(8, 2));
  if (year < 0 || month < 0 || day < 0) {
    return invalid();
  }

  CivilDate date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                 std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok()) {
    return invalid();
  }
  return date;
}

std::string FormatIsoDate(CivilDate date) {
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

}  // namespace salesradar::model
